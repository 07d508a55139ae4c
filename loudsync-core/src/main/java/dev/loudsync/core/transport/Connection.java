package dev.loudsync.core.transport;

import dev.loudsync.core.UpgradeRequest;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.HostMessage;

/**
 * A guest's connection as the core sees it. Implemented by a transport.
 *
 * <p>Methods are called from a session's executor (or, before the guest joined, from the thread
 * that delivers the connection's events). They must neither block nor throw: a send on a closed
 * connection is silently dropped. Messages are delivered in the order they were sent, and a
 * {@link #close} comes after every message sent before it.
 */
public interface Connection {

    /** Sends one message. */
    void send(HostMessage message);

    /**
     * Closes the connection with {@code code} (its {@link CloseCode#reason()} as close reason) after
     * the messages already sent. Closing twice has no further effect. The transport reports the
     * close back through {@link ConnectionHandler#onClosed()}.
     */
    void close(CloseCode code);

    /**
     * Sends a transport-level keep-alive probe (a WebSocket ping frame) whose answer the transport
     * reports through {@link ConnectionHandler#onSignOfLife()}. Transports without one do nothing.
     */
    void sendKeepAlive();

    /**
     * Sends one message if the connection can take it at once, without queueing it behind unsent
     * data and without counting it against a slow connection; drops it otherwise. By default the
     * same as {@link #send}, for transports that never queue.
     *
     * @return whether the message was sent
     */
    default boolean trySend(HostMessage message) {
        send(message);
        return true;
    }

    /** The peer's address for logs and per-address limits, for example {@code 192.168.1.7:51234}. */
    String remoteAddress();

    /** The request that opened the connection, as far as the transport knows it. */
    default UpgradeRequest upgradeRequest() {
        return UpgradeRequest.unknown(remoteAddress());
    }
}
