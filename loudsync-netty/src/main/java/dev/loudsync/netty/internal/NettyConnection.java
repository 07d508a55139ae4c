package dev.loudsync.netty.internal;

import dev.loudsync.core.TimeSource;
import dev.loudsync.core.UpgradeRequest;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.transport.Connection;
import dev.loudsync.netty.Abuse;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * A WebSocket channel as the core sees it. Every write happens on the channel's event loop, in the
 * order the calls were made; calls from another thread are queued there.
 */
final class NettyConnection implements Connection {

    /** The name Netty's handshake gives the WebSocket frame decoder in the pipeline. */
    private static final String FRAME_DECODER = "wsdecoder";

    /** How long after our close frame the socket is closed (the peer may answer meanwhile). */
    static final long CLOSE_REPLY_TIMEOUT_MILLIS = 1_000;

    /** Room a droppable frame leaves besides its own bytes: Netty's entry overhead and then some. */
    private static final int PER_WRITE_OVERHEAD = 256;

    private static final int FRESH = 0;
    private static final int WELCOMED = 1;
    private static final int ENDED = 2;
    private static final AtomicIntegerFieldUpdater<NettyConnection> MEMBERSHIP =
            AtomicIntegerFieldUpdater.newUpdater(NettyConnection.class, "membership");

    private final Channel channel;
    private final WebSocketFrames frames;
    private final TimeSource time;
    private final String remoteAddress;
    private final ServerMetrics metrics;
    /** The frame counters of the channel's event loop. */
    final LoopCounters counters;
    /** Event loop only: a write is waiting for this turn's flush. */
    boolean flushPending;
    /** The HTTP request that opened the connection, for the session's authenticator. */
    private final UpgradeRequest upgradeRequest;
    /** Event loop only: the code of the close frame the server sent, or null. */
    private CloseCode closeCode;
    /**
     * FRESH, WELCOMED once a WELCOME went out (the session's thread), ENDED once closed (the event
     * loop): the two race, and the joined-connections gauge must count each connection once.
     */
    private volatile int membership;

    NettyConnection(Channel channel, WebSocketFrames frames, TimeSource time) {
        this(channel, frames, time, ServerMetrics.detached());
    }

    NettyConnection(Channel channel, WebSocketFrames frames, TimeSource time, ServerMetrics metrics) {
        this(channel, frames, time, metrics, null, null);
    }

    /**
     * @param uri     the upgrade request's target, or null if unknown
     * @param headers the upgrade request's headers, or null if unknown
     */
    NettyConnection(Channel channel, WebSocketFrames frames, TimeSource time, ServerMetrics metrics, String uri,
            HttpHeaders headers) {
        this.channel = channel;
        this.frames = frames;
        this.time = time;
        this.remoteAddress = formatAddress(channel.remoteAddress());
        this.metrics = metrics;
        this.counters = metrics.countersFor(channel.eventLoop());
        this.upgradeRequest = uri == null ? UpgradeRequest.unknown(remoteAddress)
                : new UpgradeRequest(remoteAddress, uri, headerMap(headers));
    }

    private static Map<String, List<String>> headerMap(HttpHeaders headers) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        if (headers != null) {
            for (Map.Entry<String, String> h : headers) {
                map.computeIfAbsent(h.getKey(), k -> new ArrayList<>(1)).add(h.getValue());
            }
        }
        return map;
    }

    @Override
    public UpgradeRequest upgradeRequest() {
        return upgradeRequest;
    }

    Channel channel() {
        return channel;
    }

    @Override
    public void send(HostMessage message) {
        if (!channel.isActive()) {
            return;
        }
        if (message instanceof HostMessage.Welcome && MEMBERSHIP.compareAndSet(this, FRESH, WELCOMED)) {
            metrics.connectionJoined();
        }
        writeFrame(frames.textFrame(message, time.currentTimeMillis(), channel.alloc()));
    }

    /**
     * Sends {@code message} only if the channel can take it at once: encoded on the calling
     * thread, then on the event loop written if the channel is writable and has room below its
     * high-water mark for the whole frame, else dropped. A dropped frame is never queued, and a
     * written one never makes the channel unwritable, so droppable traffic never closes a slow
     * consumer (it does occupy the outbound buffer until written, like any frame).
     *
     * @return on the event loop, whether the frame was written; from another thread, true once it
     *         is handed to the event loop, which decides there
     */
    @Override
    public boolean trySend(HostMessage message) {
        if (!channel.isActive()) {
            return false;
        }
        ByteBuf frame = frames.textFrame(message, time.currentTimeMillis(), channel.alloc());
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            return tryWriteFrame(frame);
        }
        loop.execute(() -> tryWriteFrame(frame));
        return true;
    }

    /**
     * Writes a ready frame (ownership passes) if the channel can take it at once, else releases
     * it; event loop only.
     *
     * @return whether it was written
     */
    boolean tryWriteFrame(ByteBuf frame) {
        if (!hasRoomFor(frame.readableBytes())) {
            frame.release();
            return false;
        }
        LoopWriter.of(channel.eventLoop()).write(this, frame);
        return true;
    }

    /**
     * Whether {@code bytes} more can be written without the channel turning unwritable. Netty
     * counts some bytes per pending write besides the frame (an outbound buffer entry, TLS records),
     * so the frame must leave that much room too.
     */
    private boolean hasRoomFor(int bytes) {
        return channel.isActive() && channel.isWritable()
                && channel.bytesBeforeUnwritable() > bytes + (bytes >> 5) + PER_WRITE_OVERHEAD;
    }

    /**
     * Called once, on the event loop, when the channel is closed.
     *
     * @return whether the connection carried a member (got a {@code WELCOME})
     */
    boolean ended() {
        return MEMBERSHIP.getAndSet(this, ENDED) == WELCOMED;
    }

    /** The code of the close frame the server sent, or null; event loop only. */
    CloseCode closeCode() {
        return closeCode;
    }

    /**
     * Records a close frame sent for this connection by another handler (Netty's frame decoder
     * answers protocol violations itself); the first code sent is the one that counts.
     */
    void closeSentElsewhere(CloseCode code) {
        if (closeCode == null && code != null) {
            closeCode = code;
            metrics.closeSent(code);
        }
    }

    /** Writes a ready frame (ownership passes) on the event loop. */
    void writeFrame(ByteBuf frame) {
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            LoopWriter.of(loop).write(this, frame);
        } else {
            loop.execute(() -> LoopWriter.of(loop).write(this, frame));
        }
    }

    @Override
    public void close(CloseCode code) {
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            closeNow(code);
        } else {
            loop.execute(() -> closeNow(code));
        }
    }

    private void closeNow(CloseCode code) {
        if (!channel.isActive()) {
            return;
        }
        if (closeCode == null) {
            closeCode = code;
            metrics.closeSent(code);
            if (code == CloseCode.SLOW_CONSUMER) {
                metrics.abuse(Abuse.SLOW_CONSUMER, remoteAddress, "over " + channel.config().getWriteBufferHighWaterMark()
                        + " bytes waiting to be written");
            }
        }
        // Netty's protocol handler drops writes after a close frame. Reading stops here too: the
        // frame decoder answers a protocol violation with a close frame of its own, and a guest
        // gets exactly one. Bytes still buffered go on undecoded and are released downstream.
        if (channel.pipeline().get(FRAME_DECODER) != null) {
            channel.pipeline().remove(FRAME_DECODER);
        }
        // The peer's answer is not awaited: the socket closes shortly after our close frame.
        channel.writeAndFlush(new CloseWebSocketFrame(code.code(), code.reason())).addListener(f -> {
            if (channel.isActive()) {
                channel.eventLoop().schedule(() -> {
                    channel.close();
                }, CLOSE_REPLY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            }
        });
        if (code == CloseCode.SLOW_CONSUMER) {
            // The peer is not reading: waiting for its answer would keep its backlog in memory.
            channel.close();
        }
    }

    @Override
    public void sendKeepAlive() {
        if (channel.isActive()) {
            writeFrame(WebSocketFrames.PING.duplicate());
        }
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    /** {@code 192.168.1.7:51234}, or {@code [fe80::1]:51234} for IPv6. */
    static String formatAddress(SocketAddress address) {
        if (address instanceof InetSocketAddress) {
            InetSocketAddress a = (InetSocketAddress) address;
            String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
            if (a.getAddress() instanceof Inet6Address) {
                host = "[" + host + "]";
            }
            return host + ":" + a.getPort();
        }
        return String.valueOf(address);
    }
}
