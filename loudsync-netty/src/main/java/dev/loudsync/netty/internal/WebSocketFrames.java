package dev.loudsync.netty.internal;

import dev.loudsync.core.protocol.HostMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/**
 * Builds complete server-to-client WebSocket frames (header and payload in one buffer), so that a
 * message encoded once can be written as the same bytes to many channels. Netty's frame encoder lets
 * a plain {@link ByteBuf} pass through untouched, and server frames are never masked, so the bytes
 * are valid on every connection.
 */
final class WebSocketFrames {

    /** The largest header: 2 bytes plus an 8-byte length. */
    private static final int MAX_HEADER = 10;
    private static final int FIN_TEXT = 0x81;

    /** An empty ping frame, shared: write {@code duplicate()}s of it. */
    static final ByteBuf PING = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer(new byte[] {(byte) 0x89, 0}).asReadOnly());

    private final HostEncoder encoder;

    WebSocketFrames(HostEncoder encoder) {
        this.encoder = encoder;
    }

    /** The text frame carrying {@code message}; the caller owns the buffer. */
    ByteBuf textFrame(HostMessage message, long timestamp, ByteBufAllocator alloc) {
        ByteBuf buf = alloc.buffer(256);
        try {
            buf.writerIndex(MAX_HEADER);
            encoder.encodeInto(message, timestamp, buf);
            int length = buf.writerIndex() - MAX_HEADER;
            int start;
            if (length < 126) {
                start = MAX_HEADER - 2;
                buf.setByte(start + 1, length);
            } else if (length <= 0xFFFF) {
                start = MAX_HEADER - 4;
                buf.setByte(start + 1, 126);
                buf.setShort(start + 2, length);
            } else {
                start = 0;
                buf.setByte(start + 1, 127);
                buf.setLong(start + 2, length);
            }
            buf.setByte(start, FIN_TEXT);
            buf.readerIndex(start);
            return buf;
        } catch (RuntimeException | Error e) {
            buf.release();
            throw e;
        }
    }
}
