package dev.loudsync.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.TimeSource;
import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.transport.Connection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrameBroadcasterTest {

    private static ByteBuf root(ByteBuf b) {
        while (b.unwrap() != null) {
            b = b.unwrap();
        }
        return b;
    }

    @Test
    void aBroadcast_isEncodedOnce_andEveryRecipientGetsTheSameBytes() {
        WebSocketFrames frames = new WebSocketFrames(new HostEncoder());
        FrameBroadcaster broadcaster = new FrameBroadcaster(frames, TimeSource.system(), ByteBufAllocator.DEFAULT);
        List<EmbeddedChannel> channels = new ArrayList<>();
        List<Connection> recipients = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            EmbeddedChannel ch = new EmbeddedChannel();
            channels.add(ch);
            recipients.add(new NettyConnection(ch, frames, TimeSource.system()));
        }
        broadcaster.broadcast(new ApplicationMessage("CHAT", Map.of("text", "hello")), recipients);

        ByteBuf first = null;
        for (EmbeddedChannel ch : channels) {
            ch.runPendingTasks(); // the per-loop flush
            ByteBuf written = ch.readOutbound();
            assertThat(written).as("frame on %s", ch).isNotNull();
            if (first == null) {
                first = written;
            } else {
                assertThat(written).isEqualTo(first);
                // one encoding: every recipient's buffer is a view of the same memory
                assertThat(root(written)).isSameAs(root(first));
                written.release();
            }
            assertThat((Object) ch.readOutbound()).isNull();
        }
        first.release();
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }
}
