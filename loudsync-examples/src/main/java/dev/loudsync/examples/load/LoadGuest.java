package dev.loudsync.examples.load;

import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.Capability;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.protocol.MessageTypes;
import dev.loudsync.core.protocol.ProtocolRules;
import dev.loudsync.netty.internal.ClientCodec;
import dev.loudsync.netty.internal.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * One simulated guest: its connection's last handler. It follows its member count from
 * {@code MEMBER_LIST}, {@code MEMBER_JOINED}/{@code MEMBER_LEFT} or {@code MEMBERS_CHANGED}, sends
 * {@code HEARTBEAT} at the interval {@code WELCOME} announces, answers the host's {@code PING}, and
 * records {@code CHAT} deliveries. Everything but the {@code volatile} fields runs on the
 * connection's event loop.
 *
 * <p>What it sends is written by LoudSync's client codec, as the Java client writes it. Frames it
 * sends in bulk ({@code JOIN} in a storm, {@code HEARTBEAT}, {@code LEAVE}) are encoded once,
 * before any clock runs, and sent as the same bytes each time. The membership frames it receives
 * are scanned ({@link FrameScanner}); the few others ({@code WELCOME}, {@code PING},
 * {@code ERROR}) are decoded by the codec.
 */
final class LoadGuest extends ChannelInboundHandlerAdapter {

    private static final ClientCodec CODEC = new ClientCodec();

    /** What all guests of one run share. */
    static final class Shared {
        final String sessionId;
        final boolean batching;
        final LongAdder frames = new LongAdder();
        final LongAdder errors = new LongAdder();
        volatile String firstError;
        volatile Convergence convergence;
        volatile Broadcasts broadcasts;

        Shared(String sessionId, boolean batching) {
            this.sessionId = sessionId;
            this.batching = batching;
        }

        void error(String what) {
            errors.increment();
            if (firstError == null) {
                firstError = what;
            }
        }
    }

    final int index;
    final String deviceId;
    private final Shared shared;
    final CompletableFuture<Void> handshake = new CompletableFuture<>();
    final CompletableFuture<Void> welcomed = new CompletableFuture<>();
    private Channel channel;
    private final int[] counts = new int[2];
    private final byte[] join;
    private final byte[] leave;

    /** Members in this guest's view (host included); -1 before its MEMBER_LIST. */
    volatile int members = -1;
    /** Whether this guest takes part in the current convergence. */
    volatile boolean participates = true;
    private Convergence arrivedAt;
    private java.util.concurrent.ScheduledFuture<?> heartbeats;
    volatile int closeCode = -1;

    LoadGuest(int index, String deviceId, Shared shared) {
        this.index = index;
        this.deviceId = deviceId;
        this.shared = shared;
        Set<String> caps = shared.batching ? Set.of(Capability.MEMBERS_CHANGED) : Set.of();
        this.join = encode(new GuestMessage.Join(shared.sessionId, deviceId, "Load " + index,
                ProtocolRules.CLIENT_VERSION, null, null, caps));
        this.leave = encode(new GuestMessage.Leave("load test"));
    }

    private static byte[] encode(GuestMessage m) {
        ByteBuf buf = CODEC.encode(m, System.currentTimeMillis(), UnpooledByteBufAllocator.DEFAULT);
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    Channel channel() {
        return channel;
    }

    void sendJoin() {
        send(join);
    }

    void sendChat(String text) {
        send(new ApplicationMessage("CHAT", Map.of("text", text)));
    }

    void sendLeave() {
        send(leave);
    }

    /** Sends {@code frame}, which is never written to (the frame encoder masks into a buffer of its own). */
    private void send(byte[] frame) {
        Channel ch = channel;
        if (ch != null && ch.isActive()) {
            ch.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(frame)), ch.voidPromise());
        }
    }

    private void send(GuestMessage m) {
        Channel ch = channel;
        if (ch != null && ch.isActive()) {
            ch.writeAndFlush(new TextWebSocketFrame(CODEC.encode(m, System.currentTimeMillis(), ch.alloc())),
                    ch.voidPromise());
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            handshake.complete(null);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof TextWebSocketFrame) {
                shared.frames.increment();
                onText(((TextWebSocketFrame) msg).content());
            } else if (msg instanceof CloseWebSocketFrame) {
                closeCode = ((CloseWebSocketFrame) msg).statusCode();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onText(ByteBuf content) {
        FrameScanner scanner = FrameScanner.forThisThread();
        String type = scanner.type(content);
        if (type == null) {
            shared.error("a frame without type");
            return;
        }
        switch (type) {
            case MessageTypes.MEMBER_JOINED -> changeMembers(1);
            case MessageTypes.MEMBER_LEFT -> changeMembers(-1);
            case MessageTypes.MEMBER_LIST -> {
                scanner.countPayloadArrays(content, Wire.MEMBERS, "", counts);
                members = counts[0];
                checkConvergence();
            }
            case MessageTypes.MEMBERS_CHANGED -> {
                scanner.countPayloadArrays(content, Wire.JOINED, Wire.LEFT, counts);
                changeMembers(counts[0] - counts[1]);
            }
            case "CHAT" -> onChat(scanner.payloadText(content));
            case MessageTypes.PING -> {
                ClientCodec.Incoming ping = decode(content);
                if (ping != null) {
                    send(new GuestMessage.Pong(ping.timestamp()));
                }
            }
            case MessageTypes.WELCOME -> {
                ClientCodec.Incoming welcome = decode(content);
                if (welcome != null) {
                    onWelcome((HostMessage.Welcome) welcome.message());
                }
            }
            case MessageTypes.ERROR -> {
                ClientCodec.Incoming error = decode(content);
                shared.error(deviceId + ": " + (error != null ? error.message() : "an unreadable ERROR"));
            }
            default -> {
                // PONG, MEMBER_UPDATED, SESSION_CLOSED, application types: nothing to follow
            }
        }
    }

    private void changeMembers(int delta) {
        if (members >= 0) {
            members = members + delta;
            checkConvergence();
        }
    }

    private void checkConvergence() {
        Convergence c = shared.convergence;
        if (c != null && participates && arrivedAt != c && members == c.target) {
            arrivedAt = c;
            c.arrived();
        }
    }

    /** Heartbeats from now on, at the announced interval, the first at a random point of it. */
    private void onWelcome(HostMessage.Welcome welcome) {
        long interval = welcome.heartbeatIntervalMs();
        byte[] beat = encode(new GuestMessage.Heartbeat(deviceId, null));
        heartbeats = channel.eventLoop().scheduleAtFixedRate(() -> send(beat),
                ThreadLocalRandom.current().nextLong(interval), interval, TimeUnit.MILLISECONDS);
        welcomed.complete(null);
    }

    /** A CHAT sent by the generator carries {@code "<round>:<System.nanoTime() at send>"}. */
    private void onChat(String text) {
        long now = System.nanoTime();
        Broadcasts b = shared.broadcasts;
        int colon = text == null ? -1 : text.indexOf(':');
        if (b == null || colon < 0) {
            return;
        }
        try {
            b.delivered(Integer.parseInt(text.substring(0, colon)), index, Long.parseLong(text.substring(colon + 1)), now);
        } catch (NumberFormatException e) {
            // someone else's chat
        }
    }

    /** A frame the scanner does not follow, decoded by the client codec; null (an error) if it cannot be. */
    private ClientCodec.Incoming decode(ByteBuf content) {
        ClientCodec.Incoming in = CODEC.decode(content);
        if (in == null) {
            shared.error(deviceId + ": unreadable frame: " + content.toString(StandardCharsets.UTF_8));
        }
        return in;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!handshake.isDone()) {
            handshake.completeExceptionally(cause);
        } else {
            shared.error(deviceId + ": " + cause);
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (heartbeats != null) {
            heartbeats.cancel(false);
        }
        handshake.completeExceptionally(new IOException("connection closed during the handshake"));
        welcomed.completeExceptionally(new IOException("connection closed before WELCOME"));
        ctx.fireChannelInactive();
    }
}
