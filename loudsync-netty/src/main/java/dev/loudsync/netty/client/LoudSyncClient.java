package dev.loudsync.netty.client;

import dev.loudsync.core.Member;
import dev.loudsync.core.TimeSource;
import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.Capability;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.protocol.MessageTypes;
import dev.loudsync.core.protocol.ProtocolRules;
import dev.loudsync.netty.internal.ClientCodec;
import dev.loudsync.netty.internal.Transports;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A guest of a LoudSync session, in Java: joins, keeps a live member list, sends heartbeats,
 * measures latency and the host's clock, and survives lost connections by resuming its membership.
 *
 * <pre>{@code
 * LoudSyncClient client = LoudSyncClient.builder()
 *         .url(URI.create("ws://192.168.1.20:8080/"))
 *         .sessionId("K7M-2QX")
 *         .device("speaker-1", "Kitchen speaker")
 *         .listener(new ClientListener() { ... })
 *         .build();
 * client.connect().join();          // completes with the WELCOME
 * client.members();                 // the live view, host first
 * client.hostTimeNow();             // the host's clock, for starting playback together
 * client.close();                   // LEAVE, then close
 * }</pre>
 *
 * <h2>Reconnecting</h2>
 * After a lost connection (no close frame, 1001, 1011–1013) or a reconnectable close (4000–4499)
 * the client waits as its {@link ReconnectPolicy} says and joins again with its resume token, so
 * the others see no one leave. It never retries after a final code (4500–4999), {@code KICKED},
 * {@code SESSION_CLOSED} or its own {@code LEAVE}.
 *
 * <h2>Threads</h2>
 * Everything runs on one network thread: its own ({@code loudsync-client}, ended by {@link #close()})
 * unless {@link Builder#eventLoopGroup} gives one. Listeners run there. Methods may be called from
 * any thread.
 */
public final class LoudSyncClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LoudSyncClient.class);
    private static final int MAX_FRAME = 64 << 20;
    private static final int QUICK_PINGS = 8;
    private static final long QUICK_PING_SPACING_MILLIS = 50;

    private final URI url;
    private final String sessionId;
    private final String deviceId;
    private final String deviceName;
    private final String pin;
    private final Duration heartbeatOverride;
    private final Duration connectTimeout;
    private final ReconnectPolicy reconnect;
    private final ClientListener listener;
    private final TimeSource time;
    private final boolean batching;
    private final SslContext tls;
    private final EventLoopGroup ownGroup;
    private final EventLoop loop;
    private final ClientCodec codec = new ClientCodec();
    private final SplittableRandom random = new SplittableRandom();

    // ---- event loop only
    private ClientState state = ClientState.DISCONNECTED;
    private Channel channel;
    private CompletableFuture<HostMessage.Welcome> connecting;
    private CompletableFuture<Void> leaving;
    private String resumeToken;
    private boolean finalEnd;
    private int closeCode;
    private int attempts;
    private ScheduledFuture<?> heartbeatTask;
    private ScheduledFuture<?> reconnectTask;
    private final Map<Long, Long> pingsInFlight = new HashMap<>();
    private long lastPingTimestamp;
    private final Map<String, Member> view = new LinkedHashMap<>();
    private final ClockSync clock;

    // ---- read from any thread
    private volatile ClientState publishedState = ClientState.DISCONNECTED;
    private volatile List<Member> members = List.of();
    private volatile ClockEstimate clockEstimate;
    private volatile int latencyMillis = -1;

    private LoudSyncClient(Builder b) {
        this.url = b.url;
        this.sessionId = b.sessionId;
        this.deviceId = b.deviceId;
        this.deviceName = b.deviceName;
        this.pin = b.pin;
        this.heartbeatOverride = b.heartbeatInterval;
        this.connectTimeout = b.connectTimeout;
        this.reconnect = b.reconnect;
        this.listener = b.listener;
        this.time = b.time;
        this.batching = b.batching;
        this.tls = "wss".equals(b.url.getScheme()) ? (b.tls != null ? b.tls : defaultClientTls()) : null;
        if (b.group != null) {
            this.ownGroup = null;
            this.loop = b.group.next();
        } else {
            this.ownGroup = Transports.newGroup(1, new DefaultThreadFactory("loudsync-client", true), true);
            this.loop = ownGroup.next();
        }
        this.clock = new ClockSync(time);
    }

    private static SslContext defaultClientTls() {
        try {
            return SslContextBuilder.forClient().build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Connects and joins.
     *
     * @return completes with the host's {@code WELCOME}; exceptionally if the host refuses (the
     *         {@link JoinRefusedException} carries the close code) or cannot be reached. Calling it
     *         while connecting or connected returns the pending or a completed future.
     */
    public CompletableFuture<HostMessage.Welcome> connect() {
        CompletableFuture<HostMessage.Welcome> result = new CompletableFuture<>();
        loop.execute(() -> {
            if (connecting != null && !connecting.isDone()) {
                connecting.whenComplete((w, e) -> complete(result, w, e));
                return;
            }
            if (state == ClientState.CONNECTED || state == ClientState.RECONNECTING) {
                result.completeExceptionally(new IllegalStateException("already " + state));
                return;
            }
            connecting = result;
            finalEnd = false;
            attempts = 0;
            setState(ClientState.CONNECTING);
            open();
        });
        return result;
    }

    private static <T> void complete(CompletableFuture<T> f, T value, Throwable error) {
        if (error != null) {
            f.completeExceptionally(error);
        } else {
            f.complete(value);
        }
    }

    /** The current state. */
    public ClientState state() {
        return publishedState;
    }

    /** The live member list as this client knows it: host first, then by join time, then id. */
    public List<Member> members() {
        return members;
    }

    /** The latest round-trip time to the host, from PING/PONG. */
    public OptionalInt latencyMillis() {
        int l = latencyMillis;
        return l < 0 ? OptionalInt.empty() : OptionalInt.of(l);
    }

    /** The estimate of the host's clock, once a PING was answered. */
    public Optional<ClockEstimate> clockEstimate() {
        return Optional.ofNullable(clockEstimate);
    }

    /** The host's clock now, in milliseconds since the epoch (the local clock before any estimate). */
    public long hostTimeNow() {
        ClockEstimate e = clockEstimate;
        double local = clock.localMillis(time.nanoTime());
        return Math.round(e == null ? local : local + e.offsetMillis());
    }

    /**
     * Sends an application message.
     *
     * @param payload a Jackson tree, a map, or any value Jackson writes as a JSON object
     * @return completes when written; exceptionally if not connected
     * @throws IllegalArgumentException if {@code type} is not an application type or the payload no
     *                                  JSON object
     */
    public CompletableFuture<Void> send(String type, Object payload) {
        if (!MessageTypes.isApplicationType(type)) {
            throw new IllegalArgumentException("type: " + type + " (expected: an upper-case application type)");
        }
        String text = codec.encodeToString(codec.application(type, payload), time.currentTimeMillis());
        CompletableFuture<Void> result = new CompletableFuture<>();
        loop.execute(() -> {
            if (state != ClientState.CONNECTED || channel == null) {
                result.completeExceptionally(new IllegalStateException("not connected (" + state + ")"));
                return;
            }
            channel.writeAndFlush(new TextWebSocketFrame(text)).addListener(f -> complete(result, null, f.cause()));
        });
        return result;
    }

    /** Says goodbye ({@code LEAVE}) and closes; no reconnect follows. Completes when closed. */
    public CompletableFuture<Void> leave() {
        CompletableFuture<Void> result = new CompletableFuture<>();
        loop.execute(() -> {
            finalEnd = true;
            cancel(reconnectTask);
            if (channel == null || !channel.isActive()) {
                setState(ClientState.DISCONNECTED);
                result.complete(null);
                return;
            }
            leaving = result;
            if (state == ClientState.CONNECTED) {
                sendMessage(new GuestMessage.Leave(null));
            }
            Channel ch = channel;
            loop.schedule(() -> {
                ch.close();
            }, 2, TimeUnit.SECONDS);
        });
        return result;
    }

    /** Leaves (waiting up to 3 s) and releases the client's thread. Idempotent. */
    @Override
    public void close() {
        if (!loop.isShuttingDown()) {
            try {
                leave().get(3, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.debug("Leaving did not finish: {}", e.toString());
            }
        }
        if (ownGroup != null) {
            ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    // ------------------------------------------------------------------ event loop

    private void open() {
        closeCode = 0;
        int port = url.getPort() != -1 ? url.getPort() : ("wss".equals(url.getScheme()) ? 443 : 80);
        Bootstrap b = new Bootstrap().group(loop).channel(Transports.socketChannel(loop))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), url.getHost(), port));
                        }
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                                new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                                        .webSocketUri(url)
                                        .allowExtensions(false)
                                        .maxFramePayloadLength(MAX_FRAME)
                                        .handshakeTimeoutMillis(connectTimeout.toMillis())
                                        .handleCloseFrames(false)
                                        .build()),
                                new WebSocketFrameAggregator(MAX_FRAME),
                                new Handler());
                    }
                });
        b.connect(url.getHost(), port).addListener(f -> {
            if (!f.isSuccess()) {
                lost(f.cause());
            }
        });
    }

    private final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            ctx.fireChannelActive();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                Set<String> caps = batching ? Set.of(Capability.MEMBERS_CHANGED) : Set.of();
                sendMessage(new GuestMessage.Join(sessionId, deviceId, deviceName, ProtocolRules.CLIENT_VERSION,
                        pin, resumeToken, caps));
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof TextWebSocketFrame) {
                    onText(((TextWebSocketFrame) msg).content());
                } else if (msg instanceof CloseWebSocketFrame) {
                    CloseWebSocketFrame close = (CloseWebSocketFrame) msg;
                    closeCode = close.statusCode();
                    ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), close.reasonText()))
                            .addListener(f -> ctx.close());
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (channel == ctx.channel()) {
                channel = null;
                lost(null);
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("Connection to {} failed: {}", url, cause.toString());
            ctx.close();
        }
    }

    private void onText(ByteBuf text) {
        ClientCodec.Incoming in = codec.decode(text);
        if (in == null) {
            log.debug("Ignoring a message this client does not understand: {}",
                    text.toString(text.readerIndex(), Math.min(text.readableBytes(), 200), StandardCharsets.UTF_8));
            return;
        }
        HostMessage m = in.message();
        if (m instanceof ApplicationMessage) {
            ApplicationMessage a = (ApplicationMessage) m;
            notify(() -> listener.message(a.type(), a.payload()));
        } else if (m instanceof HostMessage.Welcome) {
            onWelcome((HostMessage.Welcome) m);
        } else if (m instanceof HostMessage.MemberList) {
            view.clear();
            for (Member member : ((HostMessage.MemberList) m).members()) {
                view.put(member.id(), member);
            }
            List<Member> list = publishView();
            notify(() -> listener.memberList(list));
        } else if (m instanceof HostMessage.MemberJoined) {
            Member member = ((HostMessage.MemberJoined) m).member();
            view.put(member.id(), member);
            publishView();
            notify(() -> listener.memberJoined(member));
        } else if (m instanceof HostMessage.MemberLeft) {
            HostMessage.MemberLeft left = (HostMessage.MemberLeft) m;
            view.remove(left.deviceId());
            publishView();
            notify(() -> listener.memberLeft(left.deviceId(), left.reason()));
        } else if (m instanceof HostMessage.MemberUpdated) {
            Member member = ((HostMessage.MemberUpdated) m).member();
            view.put(member.id(), member);
            publishView();
            notify(() -> listener.memberUpdated(member));
        } else if (m instanceof HostMessage.MembersChanged) {
            onMembersChanged((HostMessage.MembersChanged) m);
        } else if (m instanceof HostMessage.Ping) {
            sendMessage(new GuestMessage.Pong(in.timestamp()));
        } else if (m instanceof HostMessage.Pong) {
            onPong((HostMessage.Pong) m);
        } else if (m instanceof HostMessage.Kicked) {
            finalEnd = true;
            String reason = ((HostMessage.Kicked) m).reason();
            notify(() -> listener.kicked(reason));
        } else if (m instanceof HostMessage.SessionClosed) {
            finalEnd = true;
            String reason = ((HostMessage.SessionClosed) m).reason();
            notify(() -> listener.sessionClosed(reason));
        } else if (m instanceof HostMessage.Error) {
            HostMessage.Error e = (HostMessage.Error) m;
            notify(() -> listener.error(e.code(), e.message()));
        }
    }

    private void onWelcome(HostMessage.Welcome w) {
        resumeToken = w.resumeToken();
        attempts = 0;
        setState(ClientState.CONNECTED);
        Duration interval = heartbeatOverride != null ? heartbeatOverride
                : Duration.ofMillis(w.heartbeatIntervalMs() > 0 ? w.heartbeatIntervalMs() : 5000);
        cancel(heartbeatTask);
        heartbeatTask = loop.scheduleAtFixedRate(this::heartbeat, interval.toNanos(), interval.toNanos(),
                TimeUnit.NANOSECONDS);
        for (int i = 0; i < QUICK_PINGS; i++) {
            loop.schedule(this::ping, i * QUICK_PING_SPACING_MILLIS, TimeUnit.MILLISECONDS);
        }
        notify(() -> listener.connected(w));
        if (connecting != null) {
            connecting.complete(w);
            connecting = null;
        }
    }

    private void onMembersChanged(HostMessage.MembersChanged c) {
        for (HostMessage.Departure d : c.left()) {
            view.remove(d.deviceId());
        }
        for (Member m : c.joined()) {
            view.put(m.id(), m);
        }
        for (Member m : c.updated()) {
            view.put(m.id(), m);
        }
        publishView();
        for (HostMessage.Departure d : c.left()) {
            notify(() -> listener.memberLeft(d.deviceId(), d.reason()));
        }
        for (Member m : c.joined()) {
            notify(() -> listener.memberJoined(m));
        }
        for (Member m : c.updated()) {
            notify(() -> listener.memberUpdated(m));
        }
    }

    private List<Member> publishView() {
        List<Member> list = new ArrayList<>(view.values());
        list.sort(Comparator.comparing((Member m) -> !m.isHost()).thenComparingLong(Member::joinedAt)
                .thenComparing(Member::id));
        members = List.copyOf(list);
        return members;
    }

    private void heartbeat() {
        int latency = latencyMillis;
        sendMessage(new GuestMessage.Heartbeat(deviceId, latency >= 0 ? (long) latency : null));
        ping();
    }

    private void ping() {
        if (state != ClientState.CONNECTED) {
            return;
        }
        long stamp = Math.max(time.currentTimeMillis(), lastPingTimestamp + 1);
        lastPingTimestamp = stamp;
        if (pingsInFlight.size() > 64) {
            pingsInFlight.clear();
        }
        pingsInFlight.put(stamp, time.nanoTime());
        sendMessage(new GuestMessage.Ping(stamp));
    }

    private void onPong(HostMessage.Pong pong) {
        Long stamp = pong.pingTimestamp();
        Long sent = stamp == null ? null : pingsInFlight.remove(stamp);
        if (sent == null) {
            return;
        }
        clock.add(sent, time.nanoTime(), pong.serverTime());
        clockEstimate = clock.estimate();
        latencyMillis = clock.lastRttMillis();
    }

    private void sendMessage(GuestMessage message) {
        if (channel != null && channel.isActive()) {
            channel.writeAndFlush(new TextWebSocketFrame(
                    codec.encode(message, time.currentTimeMillis(), channel.alloc())));
        }
    }

    /** The connection ended, or could not be opened. Decides between reconnecting and stopping. */
    private void lost(Throwable cause) {
        cancel(heartbeatTask);
        heartbeatTask = null;
        pingsInFlight.clear();
        int code = closeCode != 0 ? closeCode : 1006;
        boolean everJoined = resumeToken != null;
        if (leaving != null) {
            setState(ClientState.DISCONNECTED);
            leaving.complete(null);
            leaving = null;
            failConnecting(new IllegalStateException("left"));
            return;
        }
        if (finalEnd || (code == 1000 && everJoined)) {
            setState(ClientState.DISCONNECTED); // kicked, session closed, or a normal close
            failConnecting(new JoinRefusedException(code));
            return;
        }
        if (CloseCode.isFinal(code)) {
            setState(ClientState.FAILED);
            failConnecting(new JoinRefusedException(code));
            return;
        }
        boolean reconnectable = CloseCode.isReconnectable(code) || code == 1001 || code == 1006
                || (code >= 1011 && code <= 1013);
        if (!everJoined || !reconnectable || attempts >= reconnect.maxAttempts()) {
            setState(ClientState.FAILED);
            failConnecting(cause != null ? cause : new JoinRefusedException(code));
            return;
        }
        setState(ClientState.RECONNECTING);
        Duration delay = reconnect.delay(attempts++, random);
        log.debug("Connection to {} lost (close {}); reconnecting in {}", url, code, delay);
        reconnectTask = loop.schedule(this::open, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void failConnecting(Throwable cause) {
        if (connecting != null) {
            connecting.completeExceptionally(cause);
            connecting = null;
        }
    }

    private void setState(ClientState next) {
        ClientState previous = state;
        if (previous == next) {
            return;
        }
        state = next;
        publishedState = next;
        notify(() -> listener.stateChanged(previous, next));
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    private void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("Client listener failed", e);
        }
    }

    /** Builds a {@link LoudSyncClient}. */
    public static final class Builder {
        private URI url;
        private String sessionId;
        private String deviceId;
        private String deviceName;
        private String pin;
        private Duration heartbeatInterval;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private ReconnectPolicy reconnect = ReconnectPolicy.DEFAULT;
        private ClientListener listener = new ClientListener() { };
        private TimeSource time = TimeSource.system();
        private boolean batching = true;
        private EventLoopGroup group;
        private SslContext tls;

        private Builder() {
        }

        /** The host's WebSocket URL, {@code ws://HOST:PORT/}. Required. */
        public Builder url(URI hostUrl) {
            Objects.requireNonNull(hostUrl, "url");
            if (!("ws".equals(hostUrl.getScheme()) || "wss".equals(hostUrl.getScheme())) || hostUrl.getHost() == null) {
                throw new IllegalArgumentException("url: " + hostUrl + " (expected: ws://HOST:PORT/ or wss://...)");
            }
            this.url = hostUrl.getPath() == null || hostUrl.getPath().isEmpty() ? hostUrl.resolve("/") : hostUrl;
            return this;
        }

        /** The session code, as shown by the host ({@code K7M-2QX} and {@code k7m2qx} both work). Required. */
        public Builder sessionId(String code) {
            this.sessionId = Objects.requireNonNull(code, "sessionId");
            return this;
        }

        /** This device's stable id and display name. Required. */
        public Builder device(String id, String name) {
            this.deviceId = Objects.requireNonNull(id, "device id");
            this.deviceName = Objects.requireNonNull(name, "device name");
            return this;
        }

        /** The session PIN, if it has one. */
        public Builder pin(String sessionPin) {
            this.pin = Objects.requireNonNull(sessionPin, "pin");
            return this;
        }

        /** How often to send HEARTBEAT; default what the host's WELCOME announces. */
        public Builder heartbeatInterval(Duration interval) {
            Objects.requireNonNull(interval, "heartbeatInterval");
            if (interval.toMillis() < 10) {
                throw new IllegalArgumentException("heartbeatInterval: " + interval + " (expected: >= 10 ms)");
            }
            this.heartbeatInterval = interval;
            return this;
        }

        /** How long connecting and the WebSocket handshake may take; default 10 s. */
        public Builder connectTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "connectTimeout");
            if (timeout.toMillis() < 1 || timeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("connectTimeout: " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /** When to reconnect after a loss; default {@link ReconnectPolicy#DEFAULT}. */
        public Builder reconnect(ReconnectPolicy policy) {
            this.reconnect = Objects.requireNonNull(policy, "reconnect");
            return this;
        }

        public Builder listener(ClientListener l) {
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /** Where time is read (tests give one with a known offset); default the system clocks. */
        public Builder timeSource(TimeSource source) {
            this.time = Objects.requireNonNull(source, "timeSource");
            return this;
        }

        /** Whether to ask for batched {@code MEMBERS_CHANGED}; default true. */
        public Builder membersChanged(boolean enabled) {
            this.batching = enabled;
            return this;
        }

        /**
         * The TLS context for a {@code wss://} URL, for example one that trusts the host's
         * self-signed certificate; default the JDK's trusted authorities.
         */
        public Builder tls(SslContext context) {
            Objects.requireNonNull(context, "tls");
            if (!context.isClient()) {
                throw new IllegalArgumentException("tls: a server context (expected: SslContextBuilder.forClient)");
            }
            this.tls = context;
            return this;
        }

        /** Runs on the application's Netty group instead of a thread of its own. */
        public Builder eventLoopGroup(EventLoopGroup g) {
            this.group = Objects.requireNonNull(g, "eventLoopGroup");
            return this;
        }

        /**
         * Builds the client (not connected yet).
         *
         * @throws IllegalStateException if url, sessionId or device is missing
         */
        public LoudSyncClient build() {
            if (url == null || sessionId == null || deviceId == null) {
                throw new IllegalStateException("url, sessionId and device are required");
            }
            return new LoudSyncClient(this);
        }
    }
}
