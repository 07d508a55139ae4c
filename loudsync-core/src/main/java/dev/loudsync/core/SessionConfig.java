package dev.loudsync.core;

import dev.loudsync.core.internal.Checks;
import dev.loudsync.core.protocol.ProtocolRules;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The immutable configuration of one session, built by {@link #builder()}.
 *
 * <p>Builder setters check their argument at once and throw {@link IllegalArgumentException} with
 * the expected range; setting a property twice throws {@link IllegalStateException}. Only the host
 * is required:
 *
 * <pre>{@code
 * SessionConfig config = SessionConfig.builder()
 *         .name("My Party")
 *         .host("device-123", "iPhone")
 *         .maxMembers(8)
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

    private SessionConfig(Builder b) {
        this.sessionId = b.sessionId != null ? b.sessionId : SessionCodes.generate();
        this.name = b.name != null ? b.name : DEFAULT_NAME;
        this.hostId = b.hostId;
        this.hostName = b.hostName;
        this.maxMembers = b.maxMembers != null ? b.maxMembers : DEFAULT_MAX_MEMBERS;
        this.pin = b.pin;
        this.requireApproval = b.requireApproval != null && b.requireApproval;
        this.heartbeatInterval = or(b.heartbeatInterval, DEFAULT_HEARTBEAT_INTERVAL);
        this.heartbeatTimeout = or(b.heartbeatTimeout, DEFAULT_HEARTBEAT_TIMEOUT);
        this.heartbeatCheckInterval = or(b.heartbeatCheckInterval, DEFAULT_HEARTBEAT_CHECK_INTERVAL);
        this.reconnectGrace = or(b.reconnectGrace, Duration.ZERO);
        this.batchWindow = or(b.batchWindow, DEFAULT_BATCH_WINDOW);
        this.latencyProbes = b.latencyProbes == null || b.latencyProbes;
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

    /** The host device's id; it is always a member. */
    public String hostId() {
        return hostId;
    }

    /** The host device's display name. */
    public String hostName() {
        return hostName;
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
                + batchWindow + ", latencyProbes=" + latencyProbes + '}';
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

        /** The host device: its id (1 to 128 characters) and display name. Required. */
        public Builder host(String id, String displayName) {
            Checks.once(hostId, "host");
            Objects.requireNonNull(id, "host id");
            if (!ProtocolRules.isDeviceId(id)) {
                throw new IllegalArgumentException("host id: '" + id + "' (expected: 1-"
                        + ProtocolRules.MAX_DEVICE_ID_CHARS + " characters)");
            }
            this.hostName = displayName(displayName, "host name");
            this.hostId = id;
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

        /** Heartbeat interval announced to guests, 100 ms to 1 hour; default 5 s. */
        public Builder heartbeatInterval(Duration interval) {
            Checks.once(heartbeatInterval, "heartbeatInterval");
            this.heartbeatInterval = Checks.inRange(interval, "heartbeatInterval", Duration.ofMillis(100),
                    Duration.ofHours(1));
            return this;
        }

        /** Silence after which a member is removed, 100 ms to 1 hour; default 15 s. */
        public Builder heartbeatTimeout(Duration timeout) {
            Checks.once(heartbeatTimeout, "heartbeatTimeout");
            this.heartbeatTimeout = Checks.inRange(timeout, "heartbeatTimeout", Duration.ofMillis(100),
                    Duration.ofHours(1));
            return this;
        }

        /** How often silent members are looked for, 10 ms to 1 hour; default 5 s. */
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
         * @throws IllegalStateException if no host was set, or the heartbeat timeout is not longer
         *                               than the heartbeat interval
         */
        public SessionConfig build() {
            if (hostId == null) {
                throw new IllegalStateException("host: not set (expected: host(id, name))");
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
