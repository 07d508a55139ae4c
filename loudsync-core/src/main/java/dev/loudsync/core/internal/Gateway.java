package dev.loudsync.core.internal;

import dev.loudsync.core.SerialExecutor;
import dev.loudsync.core.SessionCodes;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.SessionOpener;
import dev.loudsync.core.TimeSource;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.transport.Broadcaster;
import dev.loudsync.core.transport.Connection;
import dev.loudsync.core.transport.PayloadBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the open sessions and the connections that have not joined yet.
 *
 * <p>Join timeouts need no timer per connection: every connection gets the same timeout, so
 * deadlines are in arrival order, and one task, scheduled for the oldest deadline, closes the
 * overdue connections and reschedules itself for the next.
 */
public final class Gateway {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final TimeSource time;
    private final Supplier<? extends SerialExecutor> executors;
    private final Broadcaster broadcaster;
    private final Duration joinTimeout;
    private final BiConsumer<String, ErrorCode> joinRefusals;
    private final PayloadBinder binder;
    private final SessionOpener opener;
    private final SerialExecutor sweeper;
    private final ConcurrentHashMap<String, DefaultSession> sessions = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Waiting> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sweepScheduled = new AtomicBoolean();

    private record Waiting(GuestConnection connection, long deadlineNanos) {
    }

    /**
     * @param joinRefusals told of each refused join, or null
     * @param binder       binds payloads for typed handlers, or null
     * @param opener       opens sessions that a JOIN names and that are not open, or null
     */
    public Gateway(TimeSource time, Supplier<? extends SerialExecutor> executors, Broadcaster broadcaster,
            Duration joinTimeout, BiConsumer<String, ErrorCode> joinRefusals, PayloadBinder binder,
            SessionOpener opener) {
        this.time = Objects.requireNonNull(time, "time");
        this.executors = Objects.requireNonNull(executors, "executors");
        this.broadcaster = Objects.requireNonNull(broadcaster, "broadcaster");
        this.joinTimeout = Objects.requireNonNull(joinTimeout, "joinTimeout");
        this.joinRefusals = joinRefusals;
        this.binder = binder;
        this.opener = opener;
        this.sweeper = executors.get();
    }

    public TimeSource time() {
        return time;
    }

    /** Opens a session on an executor of its own. */
    public DefaultSession open(SessionConfig config) {
        String key = SessionCodes.normalize(config.sessionId());
        DefaultSession session = new DefaultSession(config, key, executors.get(), time, broadcaster,
                joinTimeout, binder, this::closed);
        if (sessions.putIfAbsent(key, session) != null) {
            throw new IllegalArgumentException("sessionId: " + config.sessionId() + " (already open)");
        }
        session.start();
        return session;
    }

    /** The open session with this id (compared normalized), or null. */
    public DefaultSession find(String sessionId) {
        return sessions.get(SessionCodes.normalize(sessionId));
    }

    /**
     * The open session with this id, or the one the {@link SessionOpener} opens for it; null if
     * neither. Called on the transport's thread, for a JOIN.
     */
    DefaultSession findOrOpen(String sessionId) {
        DefaultSession open = find(sessionId);
        if (open != null || opener == null) {
            return open;
        }
        try {
            opener.open(sessionId);
        } catch (RuntimeException e) {
            log.warn("Session opener failed for {}", sessionId, e);
            return null;
        }
        return find(sessionId);
    }

    public List<DefaultSession> sessions() {
        return List.copyOf(new ArrayList<>(sessions.values()));
    }

    /** Registers a new connection; it must send a JOIN within the join timeout. */
    public GuestConnection accept(Connection connection) {
        GuestConnection guest = new GuestConnection(Objects.requireNonNull(connection, "connection"), this);
        waiting.add(new Waiting(guest, time.nanoTime() + joinTimeout.toNanos()));
        scheduleSweep();
        return guest;
    }

    void joinRefused(Connection connection, ErrorCode code) {
        if (joinRefusals != null) {
            joinRefusals.accept(connection.remoteAddress(), code);
        }
    }

    private void closed(DefaultSession session) {
        sessions.remove(session.key(), session);
    }

    private void scheduleSweep() {
        Waiting head = waiting.peek();
        if (head != null && sweepScheduled.compareAndSet(false, true)) {
            long delay = Math.max(0, head.deadlineNanos - time.nanoTime());
            sweeper.schedule(this::sweep, Duration.ofNanos(delay));
        }
    }

    private void sweep() {
        long now = time.nanoTime();
        Waiting head;
        while ((head = waiting.peek()) != null
                && (head.connection.pastJoinPhase() || head.deadlineNanos - now <= 0)) {
            waiting.poll();
            head.connection.expireIfNotJoined();
        }
        sweepScheduled.set(false);
        scheduleSweep();
    }
}
