package dev.loudsync.core;

import dev.loudsync.core.internal.Checks;
import dev.loudsync.core.protocol.ProtocolRules;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The immutable configuration of one session, built by {@link #builder()}.
 *
 * <p>Builder setters check their argument at once and throw {@link IllegalArgumentException} with
 * the expected range; setting a property twice throws {@link IllegalStateException}. Only who hosts
 * is required: a host device (a LAN-hosted session, where the device running the server is the
 * host) or {@link Builder#serverHosted()} (1.1: the host is a guest, and the role passes on):
 *
 * <pre>{@code
 * SessionConfig party = SessionConfig.builder()
 *         .name("My Party")
 *         .host("device-123", "iPhone")
 *         .maxMembers(8)
 *         .build();
 * SessionConfig jam = SessionConfig.builder()
 *         .name("Friday jam")
 *         .serverHosted()
 *         .idleTimeout(Duration.ofMinutes(30))
 *         .build();
 * }</pre>
 *
 * <p>The join timeout is not here: before its {@code JOIN} a connection names no session, so the
 * server (the {@link SessionRegistry}) owns that timeout.
 */
public final class SessionConfig {

    /** Default {@link #name()}. */
    public static final String DEFAULT_NAME = "LoudSync Party";
    /** Default {@link #maxMembers()}, host included. */
    public static final int DEFAULT_MAX_MEMBERS = 10;
    /** Default {@link #heartbeatInterval()}. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);
    /** Default {@link #heartbeatTimeout()}. */
    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(15);
    /** Default {@link #heartbeatCheckInterval()}. */
    public static final Duration DEFAULT_HEARTBEAT_CHECK_INTERVAL = Duration.ofSeconds(5);
    /** Default {@link #batchWindow()}. */
    public static final Duration DEFAULT_BATCH_WINDOW = Duration.ofMillis(20);
    /** Longest allowed {@link #batchWindow()}. */
    public static final Duration MAX_BATCH_WINDOW = Duration.ofMillis(50);
    /** Default {@link #emptyTimeout()}. */
    public static final Duration DEFAULT_EMPTY_TIMEOUT = Duration.ofSeconds(60);
    /** Default {@link #takeoverProbe()}. */
    public static final Duration DEFAULT_TAKEOVER_PROBE = Duration.ofSeconds(2);
    /** Default {@link #maxStateBytes()}: 256 KiB. */
    public static final int DEFAULT_MAX_STATE_BYTES = 256 * 1024;

    private final String sessionId;
    private final String name;
    private final String hostId;
    private final String hostName;
    private final int maxMembers;
    private final String pin;
    private final boolean requireApproval;
    private final Duration heartbeatInterval;
    private final Duration heartbeatTimeout;
    private final Duration heartbeatCheckInterval;
    private final Duration reconnectGrace;
    private final Duration batchWindow;
    private final boolean latencyProbes;
    private final Duration emptyTimeout;
    private final Duration idleTimeout;
    private final JoinAuthenticator authenticator;
    private final int maxStateBytes;
    private final Duration takeoverProbe;

    private SessionConfig(Builder b) {
        this.sessionId = b.sessionId != null ? b.sessionId : SessionCodes.generate();
        this.name = b.name != null ? b.name : DEFAULT_NAME;
        this.hostId = b.hostId;
        this.hostName = b.hostName;
        this.maxMembers = b.maxMembers != null ? b.maxMembers : DEFAULT_MAX_MEMBERS;
        this.pin = b.pin;
        this.requireApproval = b.requireApproval != null && b.requireApproval;
        this.heartbeatTimeout = or(b.heartbeatTimeout, DEFAULT_HEARTBEAT_TIMEOUT);
        // Only a timeout given: the interval and the check follow it, a third of it each.
        Duration third = b.heartbeatTimeout != null ? Duration.ofMillis(b.heartbeatTimeout.toMillis() / 3) : null;
        this.heartbeatInterval = or(b.heartbeatInterval, third != null ? third : DEFAULT_HEARTBEAT_INTERVAL);
        this.heartbeatCheckInterval = or(b.heartbeatCheckInterval,
                third != null && third.compareTo(DEFAULT_HEARTBEAT_CHECK_INTERVAL) < 0 ? third
                        : DEFAULT_HEARTBEAT_CHECK_INTERVAL);
        this.reconnectGrace = or(b.reconnectGrace, Duration.ZERO);
        this.batchWindow = or(b.batchWindow, DEFAULT_BATCH_WINDOW);
        this.latencyProbes = b.latencyProbes == null || b.latencyProbes;
        this.emptyTimeout = or(b.emptyTimeout, DEFAULT_EMPTY_TIMEOUT);
        this.idleTimeout = or(b.idleTimeout, Duration.ZERO);
        this.authenticator = b.authenticator;
        this.maxStateBytes = b.maxStateBytes != null ? b.maxStateBytes : DEFAULT_MAX_STATE_BYTES;
        this.takeoverProbe = or(b.takeoverProbe, DEFAULT_TAKEOVER_PROBE);
    }

    private static Duration or(Duration value, Duration fallback) {
        return value != null ? value : fallback;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The session id as configured (a generated code unless one was set). */
    public String sessionId() {
        return sessionId;
    }

    /** The session's display name. */
    public String name() {
        return name;
    }

    /**
     * The host device's id; it is always a member, and the host. Null for a {@linkplain
     * #isServerHosted() server-hosted} session.
     */
    public @Nullable String hostId() {
        return hostId;
    }

    /** The host device's display name; null for a server-hosted session. */
    public @Nullable String hostName() {
        return hostName;
    }

    /**
     * Whether the session has no host device (1.1): the server is not a member, the first member
     * admitted is the host, and the host role passes on when the host leaves.
     */
    public boolean isServerHosted() {
        return hostId == null;
    }

    /**
     * How long a server-hosted session may stay without members before it closes and its id stops
     * being joinable; default 60 s. A LAN-hosted session always has its host device.
     */
    public Duration emptyTimeout() {
        return emptyTimeout;
    }

    /**
     * After how long without an application message and without a join the session ends with
     * {@code SESSION_CLOSED "Session expired"}; zero (the default) never.
     */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** The authenticator every join passes (1.1), if any. */
    public Optional<JoinAuthenticator> authenticator() {
        return Optional.ofNullable(authenticator);
    }

    /** The largest shared state, as compact JSON in UTF-8 bytes; a change past it is refused. */
    public int maxStateBytes() {
        return maxStateBytes;
    }

    /**
     * How long a plain {@code JOIN} (no resume token) for a member whose connection has shown no
     * sign of life for a heartbeat interval waits while the host probes that connection: if it
     * answers, the join is refused {@code ALREADY_JOINED} as always; if not, the new connection
     * takes the membership over as a resume would (the old one closed with 4506, nobody told of a
     * leave or a join, {@code joinedAt} kept). A member waiting to resume (no connection) is taken
     * over at once. Zero turns takeovers off. Default 2 s: a phone built to the original design
     * retries its join 2 s after a Wi-Fi drop, three times.
     */
    public Duration takeoverProbe() {
        return takeoverProbe;
    }

    /** Capacity, host included. */
    public int maxMembers() {
        return maxMembers;
    }

    /** The PIN guests must give, if any. */
    public Optional<String> pin() {
        return Optional.ofNullable(pin);
    }

    /** Whether each join waits for the host's {@link Session#approve approval}. */
    public boolean requireApproval() {
        return requireApproval;
    }

    /** How often guests are asked to send {@code HEARTBEAT} (announced in {@code WELCOME}). */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /** Silence after which a member is removed. */
    public Duration heartbeatTimeout() {
        return heartbeatTimeout;
    }

    /**
     * How often the session looks for silent members; a silent member is removed no later than
     * this after its timeout. The session checks at least every third of the heartbeat timeout.
     */
    public Duration heartbeatCheckInterval() {
        return heartbeatCheckInterval;
    }

    /**
     * How long a member whose connection was lost stays, {@code "reconnecting"}, waiting to resume;
     * zero (the default) removes it at once.
     */
    public Duration reconnectGrace() {
        return reconnectGrace;
    }

    /**
     * How long membership changes may be held to go out as one {@code MEMBERS_CHANGED} to guests
     * that support it; zero sends each change at once.
     */
    public Duration batchWindow() {
        return batchWindow;
    }

    /** Whether the host sends periodic {@code PING}s to measure each member's latency. */
    public boolean latencyProbes() {
        return latencyProbes;
    }

    @Override
    public String toString() {
        return "SessionConfig{sessionId=" + sessionId + ", name=" + name + ", hostId=" + hostId
                + ", maxMembers=" + maxMembers + ", pin=" + (pin != null ? "set" : "none")
                + ", requireApproval=" + requireApproval + ", heartbeatInterval=" + heartbeatInterval
                + ", heartbeatTimeout=" + heartbeatTimeout + ", heartbeatCheckInterval="
                + heartbeatCheckInterval + ", reconnectGrace=" + reconnectGrace + ", batchWindow="
                + batchWindow + ", latencyProbes=" + latencyProbes + ", emptyTimeout=" + emptyTimeout
                + ", idleTimeout=" + idleTimeout + ", authenticator=" + (authenticator != null ? "set" : "none")
                + ", maxStateBytes=" + maxStateBytes + ", takeoverProbe=" + takeoverProbe + '}';
    }

    /** Builds a {@link SessionConfig}. Not thread-safe. */
    public static final class Builder {
        private String sessionId;
        private String name;
        private String hostId;
        private String hostName;
        private Integer maxMembers;
        private String pin;
        private Boolean requireApproval;
        private Duration heartbeatInterval;
        private Duration heartbeatTimeout;
        private Duration heartbeatCheckInterval;
        private Duration reconnectGrace;
        private Duration batchWindow;
        private Boolean latencyProbes;
        private Boolean serverHosted;
        private Duration emptyTimeout;
        private Duration idleTimeout;
        private JoinAuthenticator authenticator;
        private Integer maxStateBytes;
        private Duration takeoverProbe;

        private Builder() {
        }

        /**
         * The session id guests join with: 1 to 32 letters, digits, {@code -} or spaces, with at
         * least one letter or digit. Default: a random {@link SessionCodes code}.
         */
        public Builder sessionId(String id) {
            Checks.once(sessionId, "sessionId");
            Objects.requireNonNull(id, "sessionId");
            if (!ProtocolRules.isSessionId(id)) {
                throw new IllegalArgumentException("sessionId: '" + id + "' (expected: 1-"
                        + ProtocolRules.MAX_SESSION_ID_CHARS + " ASCII letters, digits, '-' or spaces)");
            }
            this.sessionId = id;
            return this;
        }

        /** The display name (1 to 64 characters, no control characters); default "LoudSync Party". */
        public Builder name(String sessionName) {
            Checks.once(name, "name");
            this.name = displayName(sessionName, "name");
            return this;
        }

        /**
         * The host device: its id (1 to 128 characters) and display name. A session has a host
         * device or is {@link #serverHosted() server-hosted}.
         */
        public Builder host(String id, String displayName) {
            Checks.once(hostId, "host");
            if (serverHosted != null) {
                throw new IllegalStateException("host: the session is server-hosted");
            }
            Objects.requireNonNull(id, "host id");
            if (!ProtocolRules.isDeviceId(id)) {
                throw new IllegalArgumentException("host id: '" + id + "' (expected: 1-"
                        + ProtocolRules.MAX_DEVICE_ID_CHARS + " characters)");
            }
            this.hostName = displayName(displayName, "host name");
            this.hostId = id;
            return this;
        }

        /**
         * Makes the session server-hosted (1.1): no host device; the first member admitted is the
         * host. A session has a {@link #host host device} or is server-hosted.
         */
        public Builder serverHosted() {
            Checks.once(serverHosted, "serverHosted");
            if (hostId != null) {
                throw new IllegalStateException("serverHosted: the session has a host device");
            }
            this.serverHosted = true;
            return this;
        }

        /** How long a server-hosted session may stay empty, 1 s to 1 day; default 60 s. */
        public Builder emptyTimeout(Duration timeout) {
            Checks.once(emptyTimeout, "emptyTimeout");
            this.emptyTimeout = Checks.inRange(timeout, "emptyTimeout", Duration.ofSeconds(1), Duration.ofDays(1));
            return this;
        }

        /** After how long without application messages and joins the session ends, 0 (off, the default) to 7 days. */
        public Builder idleTimeout(Duration timeout) {
            Checks.once(idleTimeout, "idleTimeout");
            this.idleTimeout = Checks.inRange(timeout, "idleTimeout", Duration.ZERO, Duration.ofDays(7));
            return this;
        }

        /** The authenticator every join of the session passes (1.1). Default: none. */
        public Builder authenticator(JoinAuthenticator joinAuthenticator) {
            Checks.once(authenticator, "authenticator");
            this.authenticator = Objects.requireNonNull(joinAuthenticator, "authenticator");
            return this;
        }

        /** The largest shared state in bytes of compact JSON, 2 bytes to 16 MiB; default 256 KiB. */
        public Builder maxStateBytes(int max) {
            Checks.once(maxStateBytes, "maxStateBytes");
            this.maxStateBytes = Checks.inRange(max, "maxStateBytes", 2, 16 * 1024 * 1024);
            return this;
        }

        /**
         * How long a plain {@code JOIN} for a member whose connection fell silent waits for that
         * connection to answer a probe before taking it over (see {@link SessionConfig#takeoverProbe()}):
         * 0 (off) to 1 minute; default 2 s.
         */
        public Builder takeoverProbe(Duration wait) {
            Checks.once(takeoverProbe, "takeoverProbe");
            this.takeoverProbe = Checks.inRange(wait, "takeoverProbe", Duration.ZERO, Duration.ofMinutes(1));
            return this;
        }

        /** Capacity, host included: 2 to 100,000; default 10. */
        public Builder maxMembers(int max) {
            Checks.once(maxMembers, "maxMembers");
            this.maxMembers = Checks.inRange(max, "maxMembers", 2, ProtocolRules.MAX_MEMBERS);
            return this;
        }

        /** A PIN guests must give in {@code JOIN.pin} (1 to 32 characters). Default: none. */
        public Builder pin(String sessionPin) {
            Checks.once(pin, "pin");
            Objects.requireNonNull(sessionPin, "pin");
            if (sessionPin.isEmpty() || sessionPin.length() > ProtocolRules.MAX_PIN_CHARS) {
                throw new IllegalArgumentException("pin: length " + sessionPin.length()
                        + " (expected: 1-" + ProtocolRules.MAX_PIN_CHARS + " characters)");
            }
            this.pin = sessionPin;
            return this;
        }

        /** Whether each join waits for the host's approval. Default false. */
        public Builder requireApproval(boolean required) {
            Checks.once(requireApproval, "requireApproval");
            this.requireApproval = required;
            return this;
        }

        /**
         * Heartbeat interval announced to guests, 100 ms to 1 hour; default 5 s, or a third of the
         * {@link #heartbeatTimeout} when only that is set.
         */
        public Builder heartbeatInterval(Duration interval) {
            Checks.once(heartbeatInterval, "heartbeatInterval");
            this.heartbeatInterval = Checks.inRange(interval, "heartbeatInterval", Duration.ofMillis(100),
                    Duration.ofHours(1));
            return this;
        }

        /**
         * Silence after which a member is removed, 100 ms to 1 hour; default 15 s. Set alone, it also
         * sets the {@link #heartbeatInterval} and the {@link #heartbeatCheckInterval} (unless that is
         * longer by default) to a third of it.
         */
        public Builder heartbeatTimeout(Duration timeout) {
            Checks.once(heartbeatTimeout, "heartbeatTimeout");
            this.heartbeatTimeout = Checks.inRange(timeout, "heartbeatTimeout", Duration.ofMillis(100),
                    Duration.ofHours(1));
            return this;
        }

        /**
         * How often silent members are looked for, 10 ms to 1 hour; default 5 s, or a third of the
         * {@link #heartbeatTimeout} when only that is set and a third is shorter.
         */
        public Builder heartbeatCheckInterval(Duration interval) {
            Checks.once(heartbeatCheckInterval, "heartbeatCheckInterval");
            this.heartbeatCheckInterval = Checks.inRange(interval, "heartbeatCheckInterval", Duration.ofMillis(10),
                    Duration.ofHours(1));
            return this;
        }

        /** Reconnect grace period, 0 (off, the default) to 1 hour. */
        public Builder reconnectGrace(Duration grace) {
            Checks.once(reconnectGrace, "reconnectGrace");
            this.reconnectGrace = Checks.inRange(grace, "reconnectGrace", Duration.ZERO, Duration.ofHours(1));
            return this;
        }

        /** {@code MEMBERS_CHANGED} batch window, 0 to 50 ms; default 20 ms. */
        public Builder batchWindow(Duration window) {
            Checks.once(batchWindow, "batchWindow");
            this.batchWindow = Checks.inRange(window, "batchWindow", Duration.ZERO, MAX_BATCH_WINDOW);
            return this;
        }

        /** Whether the host sends periodic {@code PING}s to measure latency. Default true. */
        public Builder latencyProbes(boolean enabled) {
            Checks.once(latencyProbes, "latencyProbes");
            this.latencyProbes = enabled;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @throws IllegalStateException if neither a host device nor {@link #serverHosted()} was set,
         *                               or the heartbeat timeout is not longer than the heartbeat
         *                               interval
         */
        public SessionConfig build() {
            if (hostId == null && serverHosted == null) {
                throw new IllegalStateException("host: not set (expected: host(id, name) or serverHosted())");
            }
            SessionConfig c = new SessionConfig(this);
            if (c.heartbeatTimeout.compareTo(c.heartbeatInterval) <= 0) {
                throw new IllegalStateException("heartbeatTimeout: " + c.heartbeatTimeout
                        + " (expected: > heartbeatInterval " + c.heartbeatInterval + ")");
            }
            return c;
        }

        private static String displayName(String value, String property) {
            Objects.requireNonNull(value, property);
            if (!ProtocolRules.isDisplayName(value)) {
                throw new IllegalArgumentException(property + ": '" + value + "' (expected: 1-"
                        + ProtocolRules.MAX_DISPLAY_NAME_CHARS + " characters, no control characters)");
            }
            return value;
        }
    }
}
