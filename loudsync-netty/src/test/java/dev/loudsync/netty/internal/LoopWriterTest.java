package dev.loudsync.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.TimeSource;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The writer's batching, observed from inside one task on the channel's loop (an inbound message,
 * as the server's writes happen), where an {@code EmbeddedChannel} runs no queued task.
 */
class LoopWriterTest {

    private final WebSocketFrames frames = new WebSocketFrames(new HostEncoder());

    /** A channel that runs {@code task} with its connection whenever something arrives. */
    private EmbeddedChannel channel(Consumer<NettyConnection> task) {
        EmbeddedChannel ch = new EmbeddedChannel();
        NettyConnection c = new NettyConnection(ch, frames, TimeSource.system());
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                task.accept(c);
            }
        });
        return ch;
    }

    @Test
    void writesOfOneTurn_areFlushedTogether_whenItEnds() {
        List<Integer> flushedDuringTheTurn = new ArrayList<>();
        EmbeddedChannel[] ch = new EmbeddedChannel[1];
        ch[0] = channel(c -> {
            LoopWriter w = LoopWriter.of(ch[0].eventLoop());
            w.write(c, WebSocketFrames.PING.duplicate());
            w.write(c, WebSocketFrames.PING.duplicate());
            flushedDuringTheTurn.add(ch[0].outboundMessages().size());
        });
        ch[0].writeInbound("turn");
        assertThat(flushedDuringTheTurn).containsExactly(0);
        assertThat(ch[0].outboundMessages()).hasSize(2);
        ch[0].finishAndReleaseAll();
    }
}
