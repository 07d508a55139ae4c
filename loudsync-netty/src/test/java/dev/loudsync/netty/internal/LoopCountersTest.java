package dev.loudsync.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** The frame counters: payload bytes from a frame's size at every header length, pings left out. */
class LoopCountersTest {

    /** A text frame as WebSocketFrames builds it: the shortest header for the payload's length. */
    private static ByteBuf textFrame(int payload) {
        ByteBuf f = Unpooled.buffer();
        f.writeByte(0x81);
        if (payload < 126) {
            f.writeByte(payload);
        } else if (payload <= 0xFFFF) {
            f.writeByte(126).writeShort(payload);
        } else {
            f.writeByte(127).writeLong(payload);
        }
        return f.writeZero(payload);
    }

    @Test
    void sent_countsPayloadBytesOfEveryHeaderSize_andNotThePing() {
        LoopCounters c = new LoopCounters();
        int[] payloads = {1, 125, 126, 127, 65_535, 65_536, 200_000};
        long total = 0;
        for (int p : payloads) {
            ByteBuf f = textFrame(p);
            c.sent(f);
            f.release();
            total += p;
        }
        c.sent(WebSocketFrames.PING.duplicate());
        assertThat(c.get(LoopCounters.SENT)).isEqualTo(payloads.length);
        assertThat(c.get(LoopCounters.SENT_BYTES)).isEqualTo(total);
    }

    @Test
    void received_addsUp() {
        LoopCounters c = new LoopCounters();
        c.received(10);
        c.received(0);
        c.received(65_536);
        assertThat(c.get(LoopCounters.RECEIVED)).isEqualTo(3);
        assertThat(c.get(LoopCounters.RECEIVED_BYTES)).isEqualTo(65_546);
    }
}
