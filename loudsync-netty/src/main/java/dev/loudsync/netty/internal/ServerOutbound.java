package dev.loudsync.netty.internal;

import dev.loudsync.core.TimeSource;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.transport.Broadcaster;
import dev.loudsync.core.transport.Connection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;

/**
 * The server's outbound path without a server: the {@link HostEncoder}, whole WebSocket frames
 * ({@link WebSocketFrames}), connections over channels ({@link NettyConnection}) and the
 * broadcaster that writes one encoded frame to many ({@link FrameBroadcaster}), wired as
 * {@link ServerRuntime} wires them. It is the one door through which the benchmarks module
 * measures these package-private parts, so that no other module needs classes of this package
 * beyond its public ones. Not API.
 *
 * <p>Thread-safe, as the parts are.
 */
public final class ServerOutbound {

    private final WebSocketFrames frames = new WebSocketFrames(new HostEncoder());
    private final TimeSource time;

    /** @param time the clock of the envelopes' {@code timestamp} */
    public ServerOutbound(TimeSource time) {
        this.time = time;
    }

    /**
     * The complete text frame (header and payload) carrying {@code message}, as every connection
     * writes it; the caller owns the buffer.
     */
    public ByteBuf textFrame(HostMessage message, long timestamp, ByteBufAllocator alloc) {
        return frames.textFrame(message, timestamp, alloc);
    }

    /** The core's view of {@code channel}, an open WebSocket channel: what a server makes per guest. */
    public Connection connection(Channel channel) {
        return new NettyConnection(channel, frames, time);
    }

    /** A broadcaster to connections of {@link #connection}, encoding once into buffers of {@code alloc}. */
    public Broadcaster broadcaster(ByteBufAllocator alloc) {
        return new FrameBroadcaster(frames, time, alloc);
    }
}
