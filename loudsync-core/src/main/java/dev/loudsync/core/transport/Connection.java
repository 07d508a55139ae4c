package dev.loudsync.core.transport;

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

    /** The peer's address for logs and per-address limits, for example {@code 192.168.1.7:51234}. */
    String remoteAddress();
}
