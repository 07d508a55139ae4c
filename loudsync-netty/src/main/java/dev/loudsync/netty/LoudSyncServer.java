package dev.loudsync.netty;

import dev.loudsync.core.internal.Checks;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.SessionOpener;
import dev.loudsync.core.SessionRegistry;
import dev.loudsync.core.TimeSource;
import dev.loudsync.netty.discovery.LanAdvertising;
import dev.loudsync.netty.internal.ServerRuntime;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.internal.PlatformDependent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A LoudSync host on Netty: serves the LoudSync protocol over WebSocket (and, if asked, plain HTTP
 * on the same port) and hosts any number of sessions.
 *
 * <pre>{@code
 * LoudSyncServer server = LoudSyncServer.builder().port(8080).build();
 * Session party = server.openSession(SessionConfig.builder()
 *         .name("My Party").host("device-123", "Laptop").maxMembers(8).build());
 * server.start().join();
 * ...
 * server.stop().join();
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 * A server is built stopped ({@link ServerState#NEW}; {@link #state()} tells where it is).
 * {@link #start()} binds the port; {@link #stop()} sends
 * {@code SESSION_CLOSED} to every member of every session, waits (at most
 * {@link Builder#stopTimeout stopTimeout}) for those frames to be written, closes every connection,
 * releases the port and shuts down the threads the server made. Both return futures and are
 * idempotent; a stopped server cannot start again. {@link #close()} stops and waits.
 *
 * <h2>Threads</h2>
 * The server makes one group of network threads (named {@code loudsync-io-N}, started on first use) unless
 * it is given the application's own groups with {@link Builder#eventLoopGroups}, which it then
 * never shuts down. Each session runs on one of those threads. Nothing here blocks a network thread.
 */
public final class LoudSyncServer implements AutoCloseable {

    private final ServerRuntime runtime;

    private LoudSyncServer(Builder b) {
        this.runtime = new ServerRuntime(b.toSettings(), b.listener, b.sessionOpener);
    }

    /** A new builder with the protocol's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens a session; guests can join once the server is started.
     *
     * @throws IllegalArgumentException if a session with that id is already open
     * @throws IllegalStateException    if the server is stopping or stopped
     */
    public Session openSession(SessionConfig config) {
        return runtime.openSession(Objects.requireNonNull(config, "config"));
    }

    /** The open session with this id (case-insensitive, ignoring {@code -} and spaces). */
    public Optional<Session> session(String sessionId) {
        return runtime.registry().find(sessionId);
    }

    /** The open sessions. */
    public List<Session> sessions() {
        return runtime.registry().sessions();
    }

    /**
     * Binds the port and starts accepting connections. Only the first call starts; every call
     * returns a new future of that one start, so completing or cancelling it changes nothing.
     *
     * @return completes when the port is bound, or exceptionally if binding failed (the server is
     *         then stopped)
     */
    public CompletableFuture<Void> start() {
        return runtime.start().thenApply(v -> v);
    }

    /**
     * Closes every session (guests get {@code SESSION_CLOSED}), waits for those frames to be
     * written, closes every connection and releases the port. Only the first call stops; every
     * call returns a new future of that one stop. Safe on any thread, a listener's included.
     */
    public CompletableFuture<Void> stop() {
        return runtime.stop().thenApply(v -> v);
    }

    /**
     * Stops and waits for the stop to finish. Idempotent.
     *
     * @throws IllegalStateException on a network thread of the server (a listener, a handler),
     *         where waiting would block the thread the stop needs: call {@link #stop()} there
     */
    @Override
    public void close() {
        if (runtime.onNetworkThread()) {
            throw new IllegalStateException(
                    "close() on a network thread of the server would wait for itself; call stop() there instead");
        }
        runtime.stop().join();
    }

    /** The address the server listens on (the real port for port 0); IllegalStateException before it started. */
    public InetSocketAddress localAddress() {
        return runtime.localAddress();
    }

    /** The bound port; see {@link #localAddress()}. */
    public int port() {
        return localAddress().getPort();
    }

    /** Where the server is in its life; {@link ServerState#RUNNING} while it serves connections. */
    public ServerState state() {
        return runtime.state();
    }

    /**
     * A snapshot of the server's connections, sessions and counters; cheap enough for every scrape
     * of a metrics endpoint (no lock that connections wait on, no atomic instruction per frame).
     * Any thread, any state.
     */
    public ServerStats stats() {
        return runtime.stats();
    }

    /**
     * Bytes waiting to be written to all connections, each connection's counted (a broadcast frame
     * once for every connection it waits for, so more than the memory they hold); for monitoring.
     */
    public long outboundBytes() {
        return runtime.outboundBytes();
    }

    /** Builds a {@link LoudSyncServer}. Setting a property twice throws {@link IllegalStateException}. */
    public static final class Builder {
        private InetAddress bindAddress;
        private Integer port;
        private String path;
        private Integer maxFrameBytes;
        private Duration handshakeTimeout;
        private Duration joinTimeout;
        private Integer maxConnections;
        private Integer maxConnectionsPerAddress;
        private List<String> allowedOrigins;
        private AsyncWebHandler webHandler;
        private Integer maxRequestBodyBytes;
        private EventLoopGroup bossGroup;
        private EventLoopGroup workerGroup;
        private Integer ioThreads;
        private Boolean nativeTransport;
        private TimeSource timeSource;
        private Duration stopTimeout;
        private Integer messagesPerSecond;
        private Integer messageBurst;
        private Integer maxOutboundBytes;
        private Long outboundBudget;
        private Integer failedJoinBurst;
        private Duration failedJoinRefill;
        private LanAdvertising lanAdvertising;
        private SslContext tls;
        private ServerListener listener;
        private SessionOpener sessionOpener;

        private Builder() {
        }

        /**
         * Opens sessions on demand when a {@code JOIN} names one that is not open (see
         * {@link SessionOpener}: a network thread, answer from memory). Default: none, and such a
         * join is refused with {@code SESSION_NOT_FOUND}.
         */
        public Builder sessionOpener(SessionOpener opener) {
            Checks.once(sessionOpener, "sessionOpener");
            this.sessionOpener = Objects.requireNonNull(opener, "sessionOpener");
            return this;
        }

        /** The address to listen on; default all interfaces ({@code 0.0.0.0}). */
        public Builder bindAddress(InetAddress address) {
            Checks.once(bindAddress, "bindAddress");
            this.bindAddress = Objects.requireNonNull(address, "bindAddress");
            return this;
        }

        /**
         * The address to listen on, as a literal IP address ({@code "127.0.0.1"}) or a host name.
         *
         * @throws IllegalArgumentException if it cannot be resolved
         */
        public Builder bindAddress(String address) {
            Objects.requireNonNull(address, "bindAddress");
            try {
                return bindAddress(InetAddress.getByName(address));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("bindAddress: " + address + " (unknown host)", e);
            }
        }

        /** The port, 0 to 65535 (0 = any free port, see {@link #localAddress()}); default 8080. */
        public Builder port(int p) {
            Checks.once(port, "port");
            this.port = Checks.inRange(p, "port", 0, 65_535);
            return this;
        }

        /** The WebSocket path, starting with {@code /}; default {@code /}. */
        public Builder path(String webSocketPath) {
            Checks.once(path, "path");
            Objects.requireNonNull(webSocketPath, "path");
            if (!webSocketPath.startsWith("/") || webSocketPath.contains("?") || webSocketPath.contains("#")) {
                throw new IllegalArgumentException("path: " + webSocketPath + " (expected: /..., no query)");
            }
            this.path = webSocketPath;
            return this;
        }

        /** The largest accepted frame (message) in bytes, 1 KiB to 16 MiB; default 64 KiB. Larger: close 1009. */
        public Builder maxFrameBytes(int bytes) {
            Checks.once(maxFrameBytes, "maxFrameBytes");
            this.maxFrameBytes = Checks.inRange(bytes, "maxFrameBytes", 1024, 16 << 20);
            return this;
        }

        /** How long a connection may take to complete its upgrade request, 100 ms to 5 min; default 10 s. */
        public Builder handshakeTimeout(Duration timeout) {
            Checks.once(handshakeTimeout, "handshakeTimeout");
            this.handshakeTimeout = Checks.inRange(timeout, "handshakeTimeout", Duration.ofMillis(100), Duration.ofMinutes(5));
            return this;
        }

        /** How long a connection may take to send its {@code JOIN}; default 10 s (close 4001). */
        public Builder joinTimeout(Duration timeout) {
            Checks.once(joinTimeout, "joinTimeout");
            this.joinTimeout = Checks.inRange(timeout, "joinTimeout", Duration.ofMillis(1), Duration.ofHours(1));
            return this;
        }

        /** The most open connections, 1 to 1,000,000; default 20,000. More are closed at once. */
        public Builder maxConnections(int max) {
            Checks.once(maxConnections, "maxConnections");
            this.maxConnections = Checks.inRange(max, "maxConnections", 1, 1_000_000);
            return this;
        }

        /**
         * The most open connections from one IP address, 1 to 1,000,000; default 64 (a phone needs
         * one; a load test on one machine needs more).
         */
        public Builder maxConnectionsPerAddress(int max) {
            Checks.once(maxConnectionsPerAddress, "maxConnectionsPerAddress");
            this.maxConnectionsPerAddress = Checks.inRange(max, "maxConnectionsPerAddress", 1, 1_000_000);
            return this;
        }

        /**
         * Web origins allowed to open a WebSocket besides the default ones. By default an upgrade
         * without {@code Origin} (native apps) or with a same-origin one ({@code Origin} host:port
         * equal to {@code Host}) is allowed and any other refused with 403. Origins are compared
         * exactly, like {@code http://192.168.1.20:3000}; {@code "*"} allows every origin.
         */
        public Builder allowedOrigins(String... origins) {
            Checks.once(allowedOrigins, "allowedOrigins");
            List<String> list = new ArrayList<>();
            for (String o : origins) {
                list.add(Objects.requireNonNull(o, "origin").toLowerCase(java.util.Locale.ROOT));
            }
            this.allowedOrigins = List.copyOf(list);
            return this;
        }

        /**
         * Answers plain HTTP requests on the port, on the network thread; without a web handler,
         * they get 404. Set this or {@link #asyncWebHandler}.
         */
        public Builder webHandler(WebHandler handler) {
            Objects.requireNonNull(handler, "webHandler");
            return asyncWebHandler(request -> CompletableFuture.completedFuture(handler.handle(request)));
        }

        /**
         * Answers plain HTTP requests on the port when it is ready (a database, a file): see
         * {@link AsyncWebHandler}. Set this or {@link #webHandler}.
         */
        public Builder asyncWebHandler(AsyncWebHandler handler) {
            Checks.once(webHandler, "webHandler");
            this.webHandler = Objects.requireNonNull(handler, "webHandler");
            return this;
        }

        /**
         * The largest body a plain HTTP request may have, 0 to 16 MiB; larger ones are refused with
         * 413. Default 0: no request has a body (a guest page needs none); a JSON API of the
         * application's needs a few KiB (64 KiB is plenty). A WebSocket upgrade never has one.
         */
        public Builder maxRequestBodyBytes(int max) {
            Checks.once(maxRequestBodyBytes, "maxRequestBodyBytes");
            this.maxRequestBodyBytes = Checks.inRange(max, "maxRequestBodyBytes", 0, 16 << 20);
            return this;
        }

        /**
         * Runs on the application's Netty groups instead of the server's own: {@code boss} accepts
         * connections, {@code worker} serves them and runs the sessions. The server never shuts
         * them down.
         */
        public Builder eventLoopGroups(EventLoopGroup boss, EventLoopGroup worker) {
            Checks.once(workerGroup, "eventLoopGroups");
            this.bossGroup = Objects.requireNonNull(boss, "boss");
            this.workerGroup = Objects.requireNonNull(worker, "worker");
            return this;
        }

        /** Network threads the server makes for itself, 1 to 256; default the number of cores. */
        public Builder ioThreads(int threads) {
            Checks.once(ioThreads, "ioThreads");
            this.ioThreads = Checks.inRange(threads, "ioThreads", 1, 256);
            return this;
        }

        /**
         * Whether the server's own network threads may use Linux's native epoll transport instead
         * of NIO; default true. It is used only where it works: on Linux with
         * {@code io.netty:netty-transport-native-epoll} for the machine's platform on the class path
         * (a runtime dependency the application adds; the example host has it). With
         * {@link #eventLoopGroups} it does not apply: the server uses those groups' transport.
         */
        public Builder nativeTransport(boolean allowed) {
            Checks.once(nativeTransport, "nativeTransport");
            this.nativeTransport = allowed;
            return this;
        }

        /** Where time is read; default the system clocks. */
        public Builder timeSource(TimeSource source) {
            Checks.once(timeSource, "timeSource");
            this.timeSource = Objects.requireNonNull(source, "timeSource");
            return this;
        }

        /** The longest {@link #stop()} waits for goodbyes to be written, 0 to 1 min; default 5 s. */
        public Builder stopTimeout(Duration timeout) {
            Checks.once(stopTimeout, "stopTimeout");
            this.stopTimeout = Checks.inRange(timeout, "stopTimeout", Duration.ZERO, Duration.ofMinutes(1));
            return this;
        }

        /**
         * The message rate a connection may keep up (token bucket), default 20 per second with
         * bursts of 60. Excess messages are dropped with {@code ERROR RATE_LIMITED}; a connection
         * that keeps flooding is closed with 4003.
         */
        public Builder messageRate(int perSecond, int burst) {
            Checks.once(messagesPerSecond, "messageRate");
            this.messagesPerSecond = Checks.inRange(perSecond, "messageRate perSecond", 1, 1_000_000);
            this.messageBurst = Checks.inRange(burst, "messageRate burst", 1, 1_000_000);
            return this;
        }

        /**
         * How many bytes may wait to be written to one connection before it counts as too slow and
         * is closed with 4004, 64 KiB to 256 MiB; default 4 MiB.
         */
        public Builder maxOutboundBytes(int bytes) {
            Checks.once(maxOutboundBytes, "maxOutboundBytes");
            this.maxOutboundBytes = Checks.inRange(bytes, "maxOutboundBytes", 64 << 10, 256 << 20);
            return this;
        }

        /**
         * The most bytes that may wait to be written to all connections together, 1 MiB to 1 TiB;
         * default a quarter of the JVM's maximum direct memory (Netty's reading of
         * {@code -XX:MaxDirectMemorySize}, which defaults to the maximum heap), and no less than
         * {@link #maxOutboundBytes}. Past it, the connections holding the most unsent bytes are
         * closed as too slow (4004, their members leave as slow connections), largest first, until
         * the rest fit; the others carry on. It bounds memory: a broadcast frame, one buffer for
         * every connection it waits for, counts once (the server reads its allocator's metric when
         * the connections' own counts, {@link LoudSyncServer#outboundBytes()}, add up to more).
         */
        public Builder outboundBudget(long bytes) {
            Checks.once(outboundBudget, "outboundBudget");
            if (bytes < (1L << 20) || bytes > (1L << 40)) {
                throw new IllegalArgumentException("outboundBudget: " + bytes + " (expected: 1048576-1099511627776)");
            }
            this.outboundBudget = bytes;
            return this;
        }

        /**
         * How fast one IP address may fail to join (wrong session code or PIN): {@code burst}
         * failures at once, then one per {@code refill}; default 10, then one per 3 s. Past that
         * its joins get {@code ERROR RATE_LIMITED} and close 4003.
         */
        public Builder failedJoinRate(int burst, Duration refill) {
            Checks.once(failedJoinBurst, "failedJoinRate");
            this.failedJoinBurst = Checks.inRange(burst, "failedJoinRate burst", 1, 1_000_000);
            this.failedJoinRefill = Checks.inRange(refill, "failedJoinRate refill", Duration.ofMillis(1), Duration.ofHours(1));
            return this;
        }

        /**
         * Advertises every open session on the LAN (sessions opened later too; closed ones are
         * withdrawn) so that guests can list nearby sessions: with DNS-SD and UDP beacons, as
         * {@code settings} say. Default: off, nothing is advertised and no multicast socket is
         * opened.
         *
         * <p>Advertising starts once the port is bound and stops when the server stops, before its
         * threads end. A failure to advertise is logged at WARN and never fails {@link #start()}.
         * Beacons are timed on one of the server's network threads; DNS-SD (JmDNS) runs on threads
         * of its own while the server runs, and makes {@link #stop()} take about 2 s longer while
         * it says goodbye on the network.
         *
         * @see dev.loudsync.netty.discovery.LanDiscovery the guest side
         */
        public Builder lanDiscovery(LanAdvertising settings) {
            Checks.once(lanAdvertising, "lanDiscovery");
            this.lanAdvertising = Objects.requireNonNull(settings, "lanDiscovery");
            return this;
        }

        /**
         * Serves {@code wss://} (TLS) instead of {@code ws://} on the port, plain HTTP becoming
         * HTTPS. Build the context with Netty's {@code SslContextBuilder.forServer(...)} (the JDK's
         * provider unless OpenSSL is chosen), or from files with {@link ServerTls}.
         *
         * @throws IllegalArgumentException if {@code context} is a client context
         */
        public Builder tls(SslContext context) {
            Checks.once(tls, "tls");
            Objects.requireNonNull(context, "tls");
            if (context.isClient()) {
                throw new IllegalArgumentException("tls: a client context (expected: SslContextBuilder.forServer)");
            }
            this.tls = context;
            return this;
        }

        /**
         * Told of connections opening and closing, refused joins and what the server's protections
         * stop (see {@link ServerListener} for its threads); for example to audit, log or ban.
         * Default: none. Counts of the same events are in {@link LoudSyncServer#stats()} either way.
         */
        public Builder listener(ServerListener serverListener) {
            Checks.once(listener, "listener");
            this.listener = Objects.requireNonNull(serverListener, "listener");
            return this;
        }

        /** Builds the server (stopped; see {@link #start()}). */
        public LoudSyncServer build() {
            return new LoudSyncServer(this);
        }

        ServerRuntime.Settings toSettings() {
            return new ServerRuntime.Settings(
                    bindAddress,
                    port != null ? port : 8080,
                    path != null ? path : "/",
                    maxFrameBytes != null ? maxFrameBytes : 64 << 10,
                    handshakeTimeout != null ? handshakeTimeout : Duration.ofSeconds(10),
                    joinTimeout != null ? joinTimeout : SessionRegistry.DEFAULT_JOIN_TIMEOUT,
                    maxConnections != null ? maxConnections : 20_000,
                    maxConnectionsPerAddress != null ? maxConnectionsPerAddress : 64,
                    allowedOrigins != null ? allowedOrigins : List.of(),
                    webHandler,
                    bossGroup,
                    workerGroup,
                    ioThreads != null ? ioThreads : Runtime.getRuntime().availableProcessors(),
                    nativeTransport == null || nativeTransport,
                    timeSource != null ? timeSource : TimeSource.system(),
                    stopTimeout != null ? stopTimeout : Duration.ofSeconds(5),
                    messagesPerSecond != null ? messagesPerSecond : 20,
                    messageBurst != null ? messageBurst : 60,
                    maxOutboundBytes != null ? maxOutboundBytes : 4 << 20,
                    failedJoinBurst != null ? failedJoinBurst : 10,
                    failedJoinRefill != null ? failedJoinRefill : Duration.ofSeconds(3),
                    lanAdvertising,
                    tls,
                    maxRequestBodyBytes != null ? maxRequestBodyBytes : 0,
                    outboundBudget != null ? outboundBudget : Math.max(PlatformDependent.maxDirectMemory() / 4,
                            maxOutboundBytes != null ? maxOutboundBytes : 4 << 20));
        }
    }
}
