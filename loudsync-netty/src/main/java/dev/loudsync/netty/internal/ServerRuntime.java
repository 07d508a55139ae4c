package dev.loudsync.netty.internal;

import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.SessionOpener;
import dev.loudsync.core.SessionRegistry;
import dev.loudsync.core.TimeSource;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.netty.ServerListener;
import dev.loudsync.netty.ServerState;
import dev.loudsync.netty.ServerStats;
import dev.loudsync.netty.AsyncWebHandler;
import dev.loudsync.netty.discovery.LanAdvertising;
import dev.loudsync.netty.discovery.internal.LanAdvertiser;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@code LoudSyncServer}: its threads, sockets, sessions and lifecycle.
 *
 * <p>States ({@link ServerState}) go NEW → STARTING → RUNNING → STOPPING → STOPPED (or NEW →
 * STOPPED, or STARTING → STOPPED when binding fails). Transitions happen under {@link #lock}; the
 * slow parts run on futures.
 */
public final class ServerRuntime {

    private static final Logger log = LoggerFactory.getLogger(ServerRuntime.class);

    /** The builder's values, with defaults filled in; {@code lanAdvertising} null means off. */
    public record Settings(InetAddress bindAddress, int port, String path, int maxFrameBytes,
            Duration handshakeTimeout, Duration joinTimeout, int maxConnections, int maxConnectionsPerAddress,
            List<String> allowedOrigins, AsyncWebHandler webHandler, EventLoopGroup bossGroup,
            EventLoopGroup workerGroup, int ioThreads, boolean nativeTransport, TimeSource timeSource, Duration stopTimeout,
            int messagesPerSecond, int messageBurst, int maxOutboundBytes, int failedJoinBurst,
            Duration failedJoinRefill, LanAdvertising lanAdvertising, io.netty.handler.ssl.SslContext tls,
            int maxRequestBodyBytes, long outboundBudget) {
    }

    private final Settings settings;
    private final EventLoopGroup boss;
    private final EventLoopGroup worker;
    private final boolean ownsGroups;
    private final SessionRegistry registry;
    private final ServerContext context;
    private final ChannelGroup channels;
    private final ServerMetrics metrics;
    private final Object lock = new Object();
    private ServerState state = ServerState.NEW;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private Channel serverChannel;
    private final LanAdvertiser advertiser; // null when LAN discovery is off
    private CompletableFuture<Void> advertisingStopped = CompletableFuture.completedFuture(null);

    /** @param listener the application's server listener, or null */
    public ServerRuntime(Settings settings, ServerListener listener) {
        this(settings, listener, null);
    }

    /**
     * @param listener the application's server listener, or null
     * @param opener   opens sessions on demand for joins, or null
     */
    public ServerRuntime(Settings settings, ServerListener listener, SessionOpener opener) {
        this.settings = settings;
        this.metrics = new ServerMetrics(listener, new OutboundBudget(settings.outboundBudget(),
                OutboundBudget.memoryOf(ByteBufAllocator.DEFAULT)));
        if (settings.workerGroup() != null) {
            this.boss = settings.bossGroup();
            this.worker = settings.workerGroup();
            this.ownsGroups = false;
        } else {
            // One group accepts and serves: threads start lazily, on first use.
            this.worker = Transports.newGroup(settings.ioThreads(), new DefaultThreadFactory("loudsync-io"),
                    settings.nativeTransport());
            this.boss = worker;
            this.ownsGroups = true;
        }
        GuestDecoder decoder = new GuestDecoder(settings.maxFrameBytes());
        WebSocketFrames frames = new WebSocketFrames(new HostEncoder());
        JoinGuard joinGuard = new JoinGuard(settings.timeSource(), settings.failedJoinBurst(),
                settings.failedJoinRefill());
        AtomicBoolean stopping = new AtomicBoolean();
        BiConsumer<String, ErrorCode> guessing = joinGuard.countingUnless(stopping);
        SessionRegistry.Builder registryBuilder = SessionRegistry.builder();
        if (opener != null) {
            registryBuilder.sessionOpener(opener);
        }
        this.registry = registryBuilder
                .timeSource(settings.timeSource())
                .executors(() -> new EventLoopExecutor(worker.next()))
                .broadcaster(new FrameBroadcaster(frames, settings.timeSource(), ByteBufAllocator.DEFAULT))
                .joinTimeout(settings.joinTimeout())
                .payloadBinder(new JacksonPayloadBinder())
                .onJoinRefused((address, code) -> {
                    guessing.accept(address, code);
                    metrics.joinRefused(address, code);
                })
                .build();
        this.context = new ServerContext(registry, settings.timeSource(), decoder, frames, joinGuard,
                new ConnectionLimits(settings.maxConnections(), settings.maxConnectionsPerAddress()),
                new OriginPolicy(settings.allowedOrigins()), settings, stopping, metrics);
        this.channels = new DefaultChannelGroup("loudsync", worker.next());
        this.advertiser = settings.lanAdvertising() != null
                ? new LanAdvertiser(settings.lanAdvertising(), registry, settings.timeSource(),
                        settings.bindAddress() != null && !settings.bindAddress().isAnyLocalAddress()
                                ? settings.bindAddress() : null)
                : null;
    }

    public SessionRegistry registry() {
        return registry;
    }

    public Session openSession(SessionConfig config) {
        synchronized (lock) {
            if (state == ServerState.STOPPING || state == ServerState.STOPPED) {
                throw new IllegalStateException("server is " + state.name().toLowerCase(java.util.Locale.ROOT));
            }
            Session session = registry.open(config);
            session.addListener(metrics.sessionListener());
            if (advertiser != null) {
                advertiser.sessionOpened(session);
            }
            return session;
        }
    }

    public ServerState state() {
        synchronized (lock) {
            return state;
        }
    }

    /** A snapshot of the counters; cheap: no lock but the state's, one pass over the open sessions. */
    /** The bytes waiting to be written to all connections now. */
    public long outboundBytes() {
        return metrics.outbound().waitingBytes();
    }

    public ServerStats stats() {
        return metrics.snapshot(state(), context.limits().open(), registry.sessions());
    }

    public InetSocketAddress localAddress() {
        synchronized (lock) {
            if (state != ServerState.RUNNING) {
                throw new IllegalStateException("server is " + state.name().toLowerCase(java.util.Locale.ROOT) + " (expected: running)");
            }
            return (InetSocketAddress) serverChannel.localAddress();
        }
    }

    /** Whether the calling thread is one of the server's event loops (its own or the application's). */
    public boolean onNetworkThread() {
        for (EventExecutor e : worker) {
            if (e.inEventLoop()) {
                return true;
            }
        }
        for (EventExecutor e : boss) {
            if (e.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    public CompletableFuture<Void> start() {
        synchronized (lock) {
            if (state == ServerState.STOPPING || state == ServerState.STOPPED) {
                if (!started.isDone()) {
                    started.completeExceptionally(new IllegalStateException("server was stopped"));
                }
                return started;
            }
            if (state != ServerState.NEW) {
                return started;
            }
            state = ServerState.STARTING;
        }
        if (advertiser != null) {
            advertiser.prepare(); // lists network interfaces here, not on a network thread
        }
        int high = settings.maxOutboundBytes();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, worker)
                .channel(Transports.serverChannel(boss))
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(high / 2, high))
                .childHandler(new ServerInitializer(context, channels));
        InetSocketAddress address = settings.bindAddress() != null
                ? new InetSocketAddress(settings.bindAddress(), settings.port())
                : new InetSocketAddress(settings.port());
        ChannelFuture bind;
        try {
            bind = bootstrap.bind(address);
        } catch (RuntimeException e) {
            failStart(e);
            return started;
        }
        bind.addListener(f -> {
            if (f.isSuccess()) {
                boolean stopRequested;
                synchronized (lock) {
                    serverChannel = bind.channel();
                    stopRequested = state != ServerState.STARTING;
                    if (!stopRequested) {
                        state = ServerState.RUNNING;
                    }
                }
                log.debug("Listening on {} ({})", bind.channel().localAddress(), Transports.name(boss));
                if (advertiser != null && !stopRequested) {
                    advertiser.start(((InetSocketAddress) bind.channel().localAddress()).getPort(), worker.next());
                }
                started.complete(null);
                if (stopRequested) {
                    doStop();
                }
            } else {
                failStart(f.cause());
            }
        });
        return started;
    }

    private void failStart(Throwable cause) {
        synchronized (lock) {
            state = ServerState.STOPPED;
        }
        started.completeExceptionally(cause);
        releaseThreads().whenComplete((v, e) -> stopped.complete(null));
    }

    public CompletableFuture<Void> stop() {
        boolean now;
        synchronized (lock) {
            switch (state) {
                case NEW:
                    state = ServerState.STOPPED;
                    registry.closeAll();
                    releaseThreads().whenComplete((v, e) -> stopped.complete(null));
                    return stopped;
                case STARTING:
                    state = ServerState.STOPPING; // the bind listener finishes the stop
                    return stopped;
                case RUNNING:
                    state = ServerState.STOPPING;
                    now = true;
                    break;
                default:
                    return stopped;
            }
        }
        if (now) {
            doStop();
        }
        return stopped;
    }

    private void doStop() {
        if (advertiser != null) {
            CompletableFuture<Void> lan = advertiser.stop(); // guests stop seeing the sessions first
            synchronized (lock) {
                advertisingStopped = lan;
            }
        }
        context.stopping().set(true);
        serverChannel.close();
        registry.closeAll().whenComplete((v, e) -> {
            // Guests that had not joined yet are told the server goes away.
            for (Channel ch : channels) {
                SessionBridge bridge = ch.pipeline().get(SessionBridge.class);
                NettyConnection c = bridge != null ? bridge.connection() : null;
                if (c != null) {
                    c.close(CloseCode.GOING_AWAY);
                } else {
                    ch.close();
                }
            }
            channels.newCloseFuture().addListener(f -> finishStop());
            worker.next().schedule(() -> {
                if (!channels.isEmpty()) {
                    log.debug("Closing {} connections that did not finish closing in time", channels.size());
                    channels.close();
                }
            }, settings.stopTimeout().toNanos(), TimeUnit.NANOSECONDS);
        });
    }

    private void finishStop() {
        synchronized (lock) {
            if (state == ServerState.STOPPED) {
                return;
            }
            state = ServerState.STOPPED;
        }
        CompletableFuture<Void> lan;
        synchronized (lock) {
            lan = advertisingStopped;
        }
        // JmDNS is closed (or given up on) before the event loops end.
        lan.whenComplete((a, b) -> releaseThreads().whenComplete((v, e) -> stopped.complete(null)));
    }

    private CompletableFuture<Void> releaseThreads() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!ownsGroups) {
            done.complete(null);
            return done;
        }
        worker.shutdownGracefully(0, 1, TimeUnit.SECONDS).addListener(f -> done.complete(null));
        return done;
    }
}
