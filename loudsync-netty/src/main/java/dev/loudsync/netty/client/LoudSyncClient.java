package dev.loudsync.netty.client;

import dev.loudsync.core.Member;
import dev.loudsync.core.TimeSource;
import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.protocol.MessageTypes;
import dev.loudsync.netty.client.internal.CertificateTrust;
import dev.loudsync.netty.client.internal.ClientEngine;
import dev.loudsync.netty.client.internal.ClientSettings;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

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
 * client.request("QUEUE_ADD", Map.of("track", "t-1")).join();   // 1.1: the handler's result
 * client.state();                   // 1.1: the session's shared state
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

    /** Default {@link Builder#requestTimeout}. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private static final int MAX_AUTH_CHARS = 4096;

    private final ClientEngine engine;

    private LoudSyncClient(ClientSettings settings) {
        this.engine = new ClientEngine(settings);
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Connects and joins.
     *
     * @return completes with the host's {@code WELCOME}; exceptionally if the host refuses (the
     *         {@link JoinRefusedException} carries the close code), if the TLS handshake fails
     *         ({@link TlsFailedException}: an untrusted, expired or wrong-host certificate, or
     *         another fingerprint than {@link Builder#trustFingerprint}'s), or if the host cannot be
     *         reached. Calling it while connecting or connected returns the pending or a completed
     *         future.
     */
    public CompletableFuture<HostMessage.Welcome> connect() {
        return engine.connect();
    }

    /** Where the connection stands: connecting, connected, reconnecting... */
    public ClientState connectionState() {
        return engine.connectionState();
    }

    /**
     * The session's shared state (1.1) as this client knows it: a JSON object as unmodifiable plain
     * values (see {@link ClientListener#message}); empty until the host's first {@code STATE},
     * and always without the {@code state} capability ({@link Builder#sharedState(boolean)}).
     * Whenever the session is quiet it equals the host's.
     */
    public Map<String, Object> state() {
        return engine.sharedState();
    }

    /** The version of {@link #state()}: the host's count of changes; -1 before the first {@code STATE}. */
    public long stateVersion() {
        return engine.sharedStateVersion();
    }

    /** The live member list as this client knows it: host first, then by join time, then id. */
    public List<Member> members() {
        return engine.members();
    }

    /** The latest round-trip time to the host, from PING/PONG. */
    public OptionalInt latencyMillis() {
        return engine.latencyMillis();
    }

    /** The estimate of the host's clock, once a PING was answered. */
    public Optional<ClockEstimate> clockEstimate() {
        return engine.clockEstimate();
    }

    /** The host's clock now, in milliseconds since the epoch (the local clock before any estimate). */
    public long hostTimeNow() {
        return engine.hostTimeNow();
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
        requireApplicationType(type);
        return engine.send(type, payload);
    }

    /**
     * Sends an application message as a request (1.1): it carries an id, and the host answers it
     * exactly once, after its handler ran.
     *
     * @param payload a Jackson tree, a map, or any value Jackson writes as a JSON object
     * @return completes with the handler's result (plain values as in {@link ClientListener#message},
     *         null when it returned none) once the host's {@code ACK} arrives, after the listener
     *         heard of everything the handling sent to this client. Completes exceptionally with
     *         {@link RequestFailedException} when the host answers {@code ERROR} (its handler
     *         refused, {@code UNAUTHORIZED} for a role that may not send the type,
     *         {@code SERVER_ERROR}...), with {@link java.util.concurrent.TimeoutException} without
     *         an answer within {@link Builder#requestTimeout}, and with
     *         {@link IllegalStateException} when not connected or when the connection is lost
     *         before the answer (then the host may or may not have handled it; it is not sent
     *         again). The future completes on the client's network thread.
     * @throws IllegalArgumentException if {@code type} is not an application type or the payload no
     *                                  JSON object
     */
    public CompletableFuture<Object> request(String type, Object payload) {
        requireApplicationType(type);
        ApplicationMessage message = engine.application(type, payload);
        return engine.request(id -> new ApplicationMessage(message.type(), message.payload(), id));
    }

    /**
     * {@link #request(String, Object)} with the result bound to {@code resultType} (a record, for
     * example) with Jackson; a result that does not bind fails the future with
     * {@link IllegalArgumentException}.
     */
    public <T> CompletableFuture<T> request(String type, Object payload, Class<T> resultType) {
        Objects.requireNonNull(resultType, "resultType");
        return request(type, payload).thenApply(result -> engine.convert(result, resultType));
    }

    /**
     * Kicks a member (1.1 {@code KICK}; the host may kick anyone else, a cohost only clients): it
     * gets {@code KICKED {reason}} and leaves. Answered as {@link #request}: the future fails with
     * {@code UNAUTHORIZED} for a role that may not, {@code INVALID_MESSAGE} for a device that is
     * not a member.
     *
     * @param reason at most 200 characters, or null
     */
    public CompletableFuture<Void> kick(String deviceId, @Nullable String reason) {
        return control(id -> new GuestMessage.Kick(deviceId, reason, false, id));
    }

    /** Like {@link #kick}, and the host refuses the device's later joins. */
    public CompletableFuture<Void> ban(String deviceId, @Nullable String reason) {
        return control(id -> new GuestMessage.Kick(deviceId, reason, true, id));
    }

    /**
     * Makes a member a cohost or a client (1.1 {@code SET_ROLE}, the host only); everyone gets
     * the member's new role.
     *
     * @throws IllegalArgumentException for {@link Member.Role#HOST}: see {@link #transferHost}
     */
    public CompletableFuture<Void> setRole(String deviceId, Member.Role role) {
        if (role == Member.Role.HOST) {
            throw new IllegalArgumentException("role: host (expected: cohost or client; see transferHost)");
        }
        String wire = role.wireName();
        return control(id -> new GuestMessage.SetRole(deviceId, wire, id));
    }

    /** Admits a device waiting for approval (1.1 {@code APPROVE}; the host and cohosts). */
    public CompletableFuture<Void> approve(String deviceId) {
        return control(id -> new GuestMessage.Approve(deviceId, id));
    }

    /** Refuses a device waiting for approval (1.1 {@code DENY}; the host and cohosts). */
    public CompletableFuture<Void> deny(String deviceId) {
        return control(id -> new GuestMessage.Deny(deviceId, id));
    }

    /**
     * Hands the host role to another member (1.1 {@code TRANSFER_HOST}; the host of a server-hosted
     * session only): everyone gets {@code HOST_CHANGED}, and this client stays as a client.
     */
    public CompletableFuture<Void> transferHost(String deviceId) {
        return control(id -> new GuestMessage.TransferHost(deviceId, id));
    }

    /**
     * Ends the session (1.1 {@code END_SESSION}; the host of a server-hosted session only): every
     * member gets {@code SESSION_CLOSED} with {@code reason} (null: {@code "Host closed session"}).
     * The future completes with the host's {@code ACK}, just before that.
     */
    public CompletableFuture<Void> endSession(@Nullable String reason) {
        return control(id -> new GuestMessage.EndSession(reason, id));
    }

    private CompletableFuture<Void> control(Function<String, GuestMessage> message) {
        return engine.request(message).thenApply(result -> null);
    }

    private static void requireApplicationType(String type) {
        if (!MessageTypes.isApplicationType(type)) {
            throw new IllegalArgumentException("type: " + type + " (expected: an upper-case application type)");
        }
    }

    /** Says goodbye ({@code LEAVE}) and closes; no reconnect follows. Completes when closed. */
    public CompletableFuture<Void> leave() {
        return engine.leave();
    }

    /**
     * Leaves (waiting up to 3 s) and releases the client's thread. Idempotent. An interrupt while
     * waiting ends the wait, not the close, and stays set on the calling thread. On the client's
     * own thread (a listener) nothing is waited for.
     */
    @Override
    public void close() {
        engine.close();
    }

    /** Builds a {@link LoudSyncClient}. Setting a property twice throws {@link IllegalStateException}. */
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
        private String auth;
        private boolean sharedState = true;
        private boolean latencies = true;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        /** {@link #tls} is a context of {@link #trustFingerprint}. */
        private boolean pinned;
        /** The properties set so far: each may be set once, as in every builder of LoudSync. */
        private final java.util.Set<String> set = new java.util.HashSet<>();

        private Builder() {
        }

        private void once(String property) {
            if (!set.add(property)) {
                throw new IllegalStateException(property + " was already set");
            }
        }

        /** The host's WebSocket URL, {@code ws://HOST:PORT/}. Required. */
        public Builder url(URI hostUrl) {
            once("url");
            Objects.requireNonNull(hostUrl, "url");
            if (!("ws".equals(hostUrl.getScheme()) || "wss".equals(hostUrl.getScheme())) || hostUrl.getHost() == null) {
                throw new IllegalArgumentException("url: " + hostUrl + " (expected: ws://HOST:PORT/ or wss://...)");
            }
            this.url = hostUrl.getPath() == null || hostUrl.getPath().isEmpty() ? hostUrl.resolve("/") : hostUrl;
            return this;
        }

        /** The session code, as shown by the host ({@code K7M-2QX} and {@code k7m2qx} both work). Required. */
        public Builder sessionId(String code) {
            once("sessionId");
            this.sessionId = Objects.requireNonNull(code, "sessionId");
            return this;
        }

        /** This device's stable id and display name. Required. */
        public Builder device(String id, String name) {
            once("device");
            this.deviceId = Objects.requireNonNull(id, "device id");
            this.deviceName = Objects.requireNonNull(name, "device name");
            return this;
        }

        /** The session PIN, if it has one. */
        public Builder pin(String sessionPin) {
            once("pin");
            this.pin = Objects.requireNonNull(sessionPin, "pin");
            return this;
        }

        /**
         * A credential for the session's authenticator (1.1 {@code JOIN.auth}: a token, a ticket),
         * sent with every join, resumes included.
         *
         * @throws IllegalArgumentException if empty or longer than 4096 characters
         */
        public Builder auth(String credential) {
            once("auth");
            Objects.requireNonNull(credential, "auth");
            if (credential.isEmpty() || credential.length() > MAX_AUTH_CHARS) {
                throw new IllegalArgumentException("auth: length " + credential.length() + " (expected: 1-"
                        + MAX_AUTH_CHARS + ")");
            }
            this.auth = credential;
            return this;
        }

        /** Whether to keep the session's shared state ({@code state} capability, 1.1); default true. */
        public Builder sharedState(boolean enabled) {
            once("sharedState");
            this.sharedState = enabled;
            return this;
        }

        /**
         * How long a request ({@link #request}, {@link #kick}...) waits for the host's answer before
         * it fails with {@link java.util.concurrent.TimeoutException}; 1 ms to 10 min, default
         * 15 s: a host answers a handler still running after 10 s with {@code SERVER_ERROR}, so the
         * default leaves 5 s for the network.
         */
        public Builder requestTimeout(Duration timeout) {
            once("requestTimeout");
            Objects.requireNonNull(timeout, "requestTimeout");
            if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("requestTimeout: " + timeout + " (expected: PT0.001S to PT10M)");
            }
            this.requestTimeout = timeout;
            return this;
        }

        /** How often to send HEARTBEAT; default what the host's WELCOME announces. */
        public Builder heartbeatInterval(Duration interval) {
            once("heartbeatInterval");
            Objects.requireNonNull(interval, "heartbeatInterval");
            if (interval.toMillis() < 10) {
                throw new IllegalArgumentException("heartbeatInterval: " + interval + " (expected: >= 10 ms)");
            }
            this.heartbeatInterval = interval;
            return this;
        }

        /** How long connecting and the WebSocket handshake may take; default 10 s. */
        public Builder connectTimeout(Duration timeout) {
            once("connectTimeout");
            Objects.requireNonNull(timeout, "connectTimeout");
            if (timeout.toMillis() < 1 || timeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("connectTimeout: " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /** When to reconnect after a loss; default {@link ReconnectPolicy#DEFAULT}. */
        public Builder reconnect(ReconnectPolicy policy) {
            once("reconnect");
            this.reconnect = Objects.requireNonNull(policy, "reconnect");
            return this;
        }

        public Builder listener(ClientListener l) {
            once("listener");
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /** Where time is read (tests give one with a known offset); default the system clocks. */
        public Builder timeSource(TimeSource source) {
            once("timeSource");
            this.time = Objects.requireNonNull(source, "timeSource");
            return this;
        }

        /**
         * Whether to follow every member's latency ({@code latencies} capability); default true,
         * so that {@link LoudSyncClient#members()} equals the host's list in every field. Past 64
         * members a host sends latency-only changes only to the guests that ask for them (and to
         * the host and cohosts); a client that shows no latencies can turn this off and save that
         * traffic, its members then keeping the latencies of its last full list.
         */
        public Builder latencies(boolean enabled) {
            once("latencies");
            this.latencies = enabled;
            return this;
        }

        /** Whether to ask for batched {@code MEMBERS_CHANGED}; default true. */
        public Builder membersChanged(boolean enabled) {
            once("membersChanged");
            this.batching = enabled;
            return this;
        }

        /**
         * The TLS context for a {@code wss://} URL, for example one that trusts the host's
         * self-signed certificate; default the JDK's trusted authorities, with the host name
         * checked. Not with {@link #trustFingerprint}.
         *
         * @throws IllegalStateException if {@link #trustFingerprint} was given
         */
        public Builder tls(SslContext context) {
            Objects.requireNonNull(context, "tls");
            if (tls != null && !pinned) {
                throw new IllegalStateException("tls was already set");
            }
            if (pinned) {
                throw new IllegalStateException("tls: trustFingerprint already given (expected: one of them)");
            }
            if (!context.isClient()) {
                throw new IllegalArgumentException("tls: a server context (expected: SslContextBuilder.forClient)");
            }
            this.tls = context;
            return this;
        }

        /**
         * Trusts exactly one host certificate for a {@code wss://} URL: the one whose SHA-256
         * fingerprint (of the whole DER-encoded certificate) this is, such as the fingerprint a
         * host with a self-signed certificate shows ({@code loudsync-host --tls-self-signed}
         * prints it). Any other certificate is refused, whoever signed it. The certificate's
         * validity dates are checked; its names and issuer are not, since the fingerprint itself
         * identifies the host. Not with {@link #tls}.
         *
         * @param sha256 64 hex digits, in either case, colons allowed ({@code AB:CD:...})
         * @throws IllegalArgumentException if it is not a SHA-256 fingerprint
         * @throws IllegalStateException if {@link #tls} was given
         */
        public Builder trustFingerprint(String sha256) {
            Objects.requireNonNull(sha256, "trustFingerprint");
            if (pinned) {
                throw new IllegalStateException("trustFingerprint was already set");
            }
            if (tls != null && !pinned) {
                throw new IllegalStateException("trustFingerprint: tls already given (expected: one of them)");
            }
            this.tls = CertificateTrust.pinnedContext(sha256);
            this.pinned = true;
            return this;
        }

        /** Runs on the application's Netty group instead of a thread of its own. */
        public Builder eventLoopGroup(EventLoopGroup g) {
            once("eventLoopGroup");
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
            return new LoudSyncClient(new ClientSettings(url, sessionId, deviceId, deviceName, pin,
                    heartbeatInterval, connectTimeout, reconnect, listener, time, batching, tls, group, auth,
                    sharedState, requestTimeout, latencies));
        }
    }
}
