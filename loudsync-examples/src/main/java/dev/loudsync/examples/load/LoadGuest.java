package dev.loudsync.examples.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
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
 */
final class LoadGuest extends ChannelInboundHandlerAdapter {

    private static final ObjectMapper JSON = new ObjectMapper();

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
    }

    Channel channel() {
        return channel;
    }

    void sendJoin() {
        String caps = shared.batching ? ",\"capabilities\":[\"membersChanged\"]" : "";
        send("{\"type\":\"JOIN\",\"timestamp\":" + System.currentTimeMillis() + ",\"payload\":{\"sessionId\":\""
                + shared.sessionId + "\",\"deviceId\":\"" + deviceId + "\",\"deviceName\":\"Load " + index
                + "\",\"version\":\"1.0\"" + caps + "}}");
    }

    void sendChat(String text) {
        send("{\"type\":\"CHAT\",\"payload\":{\"text\":\"" + text + "\"}}");
    }

    void sendLeave() {
        send("{\"type\":\"LEAVE\",\"payload\":{\"reason\":\"load test\"}}");
    }

    private void send(String text) {
        Channel ch = channel;
        if (ch != null && ch.isActive()) {
            ch.writeAndFlush(new TextWebSocketFrame(text), ch.voidPromise());
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
            case "MEMBER_JOINED" -> changeMembers(1);
            case "MEMBER_LEFT" -> changeMembers(-1);
            case "MEMBER_LIST" -> {
                scanner.countPayloadArrays(content, "members", "", counts);
                members = counts[0];
                checkConvergence();
            }
            case "MEMBERS_CHANGED" -> {
                scanner.countPayloadArrays(content, "joined", "left", counts);
                changeMembers(counts[0] - counts[1]);
            }
            case "CHAT" -> onChat(scanner.payloadText(content));
            case "PING" -> {
                JsonNode ping = tree(content);
                send("{\"type\":\"PONG\",\"payload\":{\"pingTimestamp\":" + ping.path("timestamp").asLong() + "}}");
            }
            case "WELCOME" -> onWelcome(tree(content));
            case "ERROR" -> shared.error(deviceId + ": " + tree(content).path("payload"));
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
    private void onWelcome(JsonNode welcome) {
        long interval = welcome.path("payload").path("heartbeatIntervalMs").asLong(5000);
        String beat = "{\"type\":\"HEARTBEAT\",\"payload\":{\"deviceId\":\"" + deviceId + "\"}}";
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

    private JsonNode tree(ByteBuf content) {
        try {
            return JSON.readTree(new ByteBufInputStream(content.duplicate()));
        } catch (IOException e) {
            shared.error(deviceId + ": unreadable JSON: " + e.getMessage());
            return JSON.missingNode();
        }
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
