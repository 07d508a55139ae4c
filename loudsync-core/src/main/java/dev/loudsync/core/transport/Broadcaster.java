package dev.loudsync.core.transport;

import dev.loudsync.core.protocol.HostMessage;
import java.util.List;

/**
 * Sends one message to many connections. A transport can encode the message once and hand the
 * same bytes to every recipient; {@link #PER_CONNECTION} just calls {@link Connection#send} on each.
 *
 * <p>Called on a session's executor; must neither block nor throw. The list is not modified by
 * the caller afterwards, and the implementation may keep it.
 */
@FunctionalInterface
public interface Broadcaster {

    /** Sends {@code message} to each of {@code recipients}. */
    void broadcast(HostMessage message, List<? extends Connection> recipients);

    /**
     * Sends {@code message} to each of {@code recipients} whose connection can take it at once, and
     * drops it for the others (a volatile broadcast: never queued, never counted against a slow
     * connection). By default {@link Connection#trySend} on each.
     */
    default void broadcastDroppable(HostMessage message, List<? extends Connection> recipients) {
        for (Connection c : recipients) {
            c.trySend(message);
        }
    }

    /** A broadcaster that sends to each connection on its own. */
    Broadcaster PER_CONNECTION = (message, recipients) -> {
        for (Connection c : recipients) {
            c.send(message);
        }
    };
}
