package dev.loudsync.core;

import dev.loudsync.core.internal.Checks;
import dev.loudsync.core.internal.Gateway;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.transport.Broadcaster;
import dev.loudsync.core.transport.Connection;
import dev.loudsync.core.transport.ConnectionHandler;
import dev.loudsync.core.transport.PayloadBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The sessions of one server, and the entry point for a transport's connections.
 *
 * <p>A transport calls {@link #accept(Connection)} for each new connection and feeds the returned
 * {@link ConnectionHandler}; the registry routes the connection to the session its {@code JOIN}
 * names, and closes it with 4001 if no {@code JOIN} comes within the {@link Builder#joinTimeout join
 * timeout}. Sessions are found by id compared case-insensitively, ignoring {@code -} and spaces.
 *
 * <p>Without a network, for tests, with the test kit ({@code loudsync-testing}: {@code ManualTime}
 * drives time by hand and runs every task on the test's thread; {@code InMemoryTransport} connects
 * guests without sockets):
 *
 * <pre>{@code
 * ManualTime time = new ManualTime();
 * SessionRegistry registry = SessionRegistry.builder()
 *         .timeSource(time)
 *         .executors(time::executor)
 *         .build();
 * Session party = registry.open(SessionConfig.builder().host("host-1", "Laptop").build());
 * InMemoryGuest phone = new InMemoryTransport(registry).join(party, "phone-1");
 * time.advance(Duration.ofSeconds(20)); // the silent phone is timed out: phone.closeCode() is 4000
 * }</pre>
 *
 * <p>Thread-safe. Holds no threads of its own: all work runs on the executors it is given.
 */
public final class SessionRegistry {

    /** Default {@link Builder#joinTimeout}. */
    public static final Duration DEFAULT_JOIN_TIMEOUT = Duration.ofSeconds(10);

    private final Gateway gateway;

    private SessionRegistry(Builder b) {
        this.gateway = new Gateway(b.timeSource, b.executors, b.broadcaster, b.joinTimeout, b.joinRefusals,
                b.payloadBinder, b.sessionOpener);
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens a session, on an executor of its own from the {@link Builder#executors executors}.
     *
     * @throws IllegalArgumentException if a session with the same id (normalized) is open
     */
    public Session open(SessionConfig config) {
        return gateway.open(Objects.requireNonNull(config, "config"));
    }

    /** The open session with this id, compared case-insensitively ignoring {@code -} and spaces. */
    public Optional<Session> find(String sessionId) {
        return Optional.ofNullable(gateway.find(Objects.requireNonNull(sessionId, "sessionId")));
    }

    /** The open sessions. */
    public List<Session> sessions() {
        return List.copyOf(gateway.sessions());
    }

    /** The registry's time source, which transports also use to stamp outgoing messages. */
    public TimeSource timeSource() {
        return gateway.time();
    }

    /**
     * Registers a new connection. The transport reports the connection's events to the returned
     * handler, from one thread at a time, in order.
     */
    public ConnectionHandler accept(Connection connection) {
        return gateway.accept(connection);
    }

    /** Closes every open session; completes when all are closed. */
    public CompletableFuture<Void> closeAll() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (Session s : gateway.sessions()) {
            closing.add(s.close());
        }
        return CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0]));
    }

    /** Builds a {@link SessionRegistry}. Setting a property twice throws {@link IllegalStateException}. */
    public static final class Builder {
        private TimeSource timeSource;
        private Supplier<? extends SerialExecutor> executors;
        private Broadcaster broadcaster;
        private Duration joinTimeout;
        private BiConsumer<String, ErrorCode> joinRefusals;
        private PayloadBinder payloadBinder;
        private SessionOpener sessionOpener;

        private Builder() {
        }

        /**
         * Opens sessions on demand when a {@code JOIN} names one that is not open (see
         * {@link SessionOpener} for its thread and duties). Default: none, and such a join is
         * refused with {@code SESSION_NOT_FOUND}.
         */
        public Builder sessionOpener(SessionOpener opener) {
            Checks.once(sessionOpener, "sessionOpener");
            this.sessionOpener = Objects.requireNonNull(opener, "sessionOpener");
            return this;
        }

        /**
         * How typed handlers' payloads are bound to application classes
         * ({@link Session#respond(String, Class, PayloadHandler)}). Default: none, and typed
         * handlers cannot be registered. The Netty server sets one that binds with Jackson.
         */
        public Builder payloadBinder(PayloadBinder binder) {
            Checks.once(payloadBinder, "payloadBinder");
            this.payloadBinder = Objects.requireNonNull(binder, "payloadBinder");
            return this;
        }

        /** Where time is read. Default: {@link TimeSource#system()}. */
        public Builder timeSource(TimeSource source) {
            Checks.once(timeSource, "timeSource");
            this.timeSource = Objects.requireNonNull(source, "timeSource");
            return this;
        }

        /**
         * Supplies a serial executor for each new session (and one for the registry's own join
         * timeouts); sessions may share one. Required.
         */
        public Builder executors(Supplier<? extends SerialExecutor> supplier) {
            Checks.once(executors, "executors");
            this.executors = Objects.requireNonNull(supplier, "executors");
            return this;
        }

        /** How messages to many connections are sent. Default: {@link Broadcaster#PER_CONNECTION}. */
        public Builder broadcaster(Broadcaster b) {
            Checks.once(broadcaster, "broadcaster");
            this.broadcaster = Objects.requireNonNull(b, "broadcaster");
            return this;
        }

        /** How long a new connection has to send its {@code JOIN}, 1 ms to 1 hour; default 10 s. */
        public Builder joinTimeout(Duration timeout) {
            Checks.once(joinTimeout, "joinTimeout");
            Objects.requireNonNull(timeout, "joinTimeout");
            if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("joinTimeout: " + timeout + " (expected: PT0.001S to PT1H)");
            }
            this.joinTimeout = timeout;
            return this;
        }

        /**
         * Told of every refused {@code JOIN} with the connection's remote address and the error
         * code, for example to slow down guessing of session codes and PINs. Runs on the thread that
         * refused the join; must be fast and must not throw.
         */
        public Builder onJoinRefused(BiConsumer<String, ErrorCode> listener) {
            Checks.once(joinRefusals, "onJoinRefused");
            this.joinRefusals = Objects.requireNonNull(listener, "onJoinRefused");
            return this;
        }

        /**
         * Builds the registry.
         *
         * @throws IllegalStateException if no executors were set
         */
        public SessionRegistry build() {
            if (executors == null) {
                throw new IllegalStateException("executors: not set (expected: executors(supplier))");
            }
            if (timeSource == null) {
                timeSource = TimeSource.system();
            }
            if (broadcaster == null) {
                broadcaster = Broadcaster.PER_CONNECTION;
            }
            if (joinTimeout == null) {
                joinTimeout = DEFAULT_JOIN_TIMEOUT;
            }
            return new SessionRegistry(this);
        }
    }
}
