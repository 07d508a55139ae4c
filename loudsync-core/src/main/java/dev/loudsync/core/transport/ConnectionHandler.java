package dev.loudsync.core.transport;

import dev.loudsync.core.protocol.GuestMessage;
import org.jspecify.annotations.Nullable;

/**
 * What a transport tells the core about one connection; obtained from
 * {@code SessionRegistry.accept(Connection)}.
 *
 * <p>A transport calls these methods for one connection one at a time and in the order the events
 * happened (a Netty channel's event loop does that naturally). None blocks or throws on a guest's
 * bad input.
 */
public interface ConnectionHandler {

    /** A message arrived. */
    void onMessage(GuestMessage message);

    /**
     * A frame arrived that is not a valid message (malformed JSON, missing {@code type}, a value of
     * the wrong type...). The core answers {@code ERROR INVALID_MESSAGE}; an invalid {@code JOIN}
     * also closes the connection.
     *
     * @param type   the frame's {@code type} if it could be read, else null
     * @param id     1.1: the frame's request {@code id} if it could be read, else null; the error
     *               names it in {@code replyTo}
     * @param detail what was wrong, safe to show to the guest (no exception class names)
     */
    void onInvalidMessage(@Nullable String type, @Nullable String id, String detail);

    /** {@link #onInvalidMessage(String, String, String)} for a frame whose request id is unknown. */
    default void onInvalidMessage(@Nullable String type, String detail) {
        onInvalidMessage(type, null, detail);
    }

    /**
     * Something showed the connection is alive without being a message, such as a WebSocket pong
     * frame. May be called from any thread; cheap (no allocation, no task).
     */
    void onSignOfLife();

    /**
     * The connection's outbound buffer overflowed. The member is removed ({@code "Slow connection"})
     * and the connection closed with 4004.
     */
    void onSlowConsumer();

    /** The connection is closed, whoever closed it. Called once; later events are ignored. */
    void onClosed();
}
