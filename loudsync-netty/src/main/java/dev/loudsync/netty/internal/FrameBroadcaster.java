package dev.loudsync.netty.internal;

import dev.loudsync.core.TimeSource;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.transport.Broadcaster;
import dev.loudsync.core.transport.Connection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes a message once, as a complete WebSocket frame, and writes the same bytes to every
 * recipient. Recipients are grouped by event loop: one task per loop writes to all of its channels,
 * so fan-out runs on every core at once and each channel is flushed once per loop turn. A droppable
 * broadcast is written the same way to the channels that can take it at once and skips the others.
 */
final class FrameBroadcaster implements Broadcaster {

    private final WebSocketFrames frames;
    private final TimeSource time;
    private final ByteBufAllocator alloc;

    FrameBroadcaster(WebSocketFrames frames, TimeSource time, ByteBufAllocator alloc) {
        this.frames = frames;
        this.time = time;
        this.alloc = alloc;
    }

    @Override
    public void broadcast(HostMessage message, List<? extends Connection> recipients) {
        fanOut(message, recipients, false);
    }

    /**
     * Like {@link #broadcast}, encoded once too, but each recipient's channel takes the frame only
     * if it can at once ({@link NettyConnection#tryWriteFrame}); the others never see it.
     */
    @Override
    public void broadcastDroppable(HostMessage message, List<? extends Connection> recipients) {
        fanOut(message, recipients, true);
    }

    private void fanOut(HostMessage message, List<? extends Connection> recipients, boolean droppable) {
        int n = recipients.size();
        if (n == 0) {
            return;
        }
        ByteBuf frame = frames.textFrame(message, time.currentTimeMillis(), alloc);
        try {
            if (n == 1 && !droppable) {
                ((NettyConnection) recipients.get(0)).writeFrame(frame.retain());
                return;
            }
            // Few loops (one per core): a list scan beats a map.
            List<EventLoop> loops = new ArrayList<>(4);
            List<List<NettyConnection>> groups = new ArrayList<>(4);
            for (int i = 0; i < n; i++) {
                NettyConnection c = (NettyConnection) recipients.get(i);
                EventLoop loop = c.channel().eventLoop();
                int g = loops.indexOf(loop);
                if (g < 0) {
                    g = loops.size();
                    loops.add(loop);
                    groups.add(new ArrayList<>(n / 2 + 1));
                }
                groups.get(g).add(c);
            }
            for (int g = 0; g < loops.size(); g++) {
                EventLoop loop = loops.get(g);
                List<NettyConnection> group = groups.get(g);
                ByteBuf shared = frame.retain();
                if (loop.inEventLoop()) {
                    writeAll(loop, group, shared, droppable);
                } else {
                    loop.execute(() -> writeAll(loop, group, shared, droppable));
                }
            }
        } finally {
            frame.release();
        }
    }

    private static void writeAll(EventLoop loop, List<NettyConnection> group, ByteBuf frame, boolean droppable) {
        try {
            LoopWriter writer = LoopWriter.of(loop);
            for (int i = 0; i < group.size(); i++) {
                NettyConnection c = group.get(i);
                if (!c.channel().isActive()) {
                    continue;
                }
                if (droppable) {
                    c.tryWriteFrame(frame.retainedDuplicate());
                } else {
                    writer.write(c, frame.retainedDuplicate());
                }
            }
        } finally {
            frame.release();
        }
    }
}
