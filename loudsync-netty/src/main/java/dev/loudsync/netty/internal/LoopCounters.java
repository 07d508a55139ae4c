package dev.loudsync.netty.internal;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The data frames one event loop read and wrote. Written by that loop's thread only, read by
 * anyone: single-writer counters need no atomic read-modify-write, only ordered stores others
 * see whole ({@code lazySet}), which on common hardware are plain stores. (Not a VarHandle's
 * opaque store: Android's API level 26, where the library also runs, has no VarHandle.)
 *
 * <p>Internal: public only so that {@code loudsync-benchmarks} can measure it; not API.
 */
public final class LoopCounters {

    // The four counters sit in the middle of their array, a cache line away from anything else
    // on the heap, so that two loops' counters never share a line that both threads write.
    public static final int RECEIVED = 8;
    public static final int RECEIVED_BYTES = 9;
    public static final int SENT = 10;
    public static final int SENT_BYTES = 11;

    private final AtomicLongArray slots = new AtomicLongArray(20);

    /** A data frame of {@code payloadBytes} was read. */
    public void received(int payloadBytes) {
        AtomicLongArray s = slots;
        s.lazySet(RECEIVED, s.get(RECEIVED) + 1);
        s.lazySet(RECEIVED_BYTES, s.get(RECEIVED_BYTES) + payloadBytes);
    }

    /**
     * A complete frame, as {@link WebSocketFrames} builds them, is handed to a channel. Its
     * header's size follows from its total size (2 bytes below 128 in all, 4 below 65,540, else
     * 10), so no byte of it is read. The one frame the server writes with an empty payload is its
     * keep-alive ping (every message is JSON, never empty): not counted.
     */
    public void sent(ByteBuf frame) {
        int total = frame.readableBytes();
        if (total <= 2) {
            return;
        }
        int header = total < 128 ? 2 : total < 65_540 ? 4 : 10;
        AtomicLongArray s = slots;
        s.lazySet(SENT, s.get(SENT) + 1);
        s.lazySet(SENT_BYTES, s.get(SENT_BYTES) + total - header);
    }

    public long get(int slot) {
        return slots.get(slot);
    }
}
