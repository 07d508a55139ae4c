package dev.loudsync.netty;

import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.ErrorCode;

/**
 * Told of what happens to a server's connections, for auditing, banning or logging; set with
 * {@link LoudSyncServer.Builder#listener}. Every method has an empty default, so new events never
 * break an implementation. A session's own events (joins, leaves) go to
 * {@link dev.loudsync.core.SessionListener}s.
 *
 * <h2>Threads</h2>
 * Methods run on the server's network threads: those of one connection on its event loop, one at a
 * time and in order, a refused join on the thread that refused it (the connection's or its
 * session's). Different connections report from different threads at once, so an implementation
 * must be thread-safe. Methods must be quick and must not block: a network thread serves many
 * connections. An exception thrown here is caught and logged at WARN, and changes nothing for the
 * connection or the server.
 *
 * <p>Addresses are {@code ip:port} as in {@link dev.loudsync.core.transport.Connection#remoteAddress()},
 * for example {@code 192.168.1.7:51234} or {@code [fe80::1]:51234}.
 */
public interface ServerListener {

    /** A WebSocket upgrade completed: the connection may now send its {@code JOIN}. */
    default void connectionOpened(String remoteAddress) {
    }

    /**
     * A WebSocket connection is closed.
     *
     * @param code the close code the server sent, or null if the peer closed first or the connection
     *             was lost
     */
    default void connectionClosed(String remoteAddress, CloseCode code) {
    }

    /** A {@code JOIN} was refused with {@code code} (the {@code ERROR} the guest got before the close). */
    default void joinRefused(String remoteAddress, ErrorCode code) {
    }

    /**
     * A protection of the server stopped a connection.
     *
     * @param detail what the peer did, for a log line (for example the refused origin or the HTTP
     *               status sent); never null, may be empty. It can hold text the peer chose.
     */
    default void abuse(Abuse kind, String remoteAddress, String detail) {
    }
}
