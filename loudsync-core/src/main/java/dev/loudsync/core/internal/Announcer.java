package dev.loudsync.core.internal;

import dev.loudsync.core.Delivery;
import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.SerialExecutor;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.TimeSource;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.transport.Broadcaster;
import dev.loudsync.core.transport.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Tells members what happens: the welcome of a newcomer, membership changes (one message per change
 * to guests without batching, coalesced {@code MEMBERS_CHANGED} to those with it) and the
 * application's messages.
 *
 * <p>Invariants: every connected member that got its welcome has every change up to the current
 * one, or has it recorded in the batch window, due at the window's flush; a member whose welcome
 * waits for the flush ({@link MemberState#awaitsWelcome()}) gets no change and no message before its
 * {@code WELCOME} and {@code MEMBER_LIST}, and then, in order, what was held for it. A lone change
 * goes out at once; changes that follow within the {@linkplain SessionConfig#batchWindow() window}
 * wait for its end. Confined to the session's executor.
 */
final class Announcer {

    /** Joins in one batch window past which guests without the batching capability are held too. */
    static final int STORM_JOINS = 32;

    private final SessionConfig config;
    private final TimeSource time;
    private final SerialExecutor executor;
    private final Broadcaster broadcaster;
    private final Roster roster;
    private final Supplier<HostMessage.State> state;
    private final MembershipBatcher batcher = new MembershipBatcher();
    private Future<?> flush;
    private long lastFlushNanos;
    private int joinsSinceFlush;

    Announcer(SessionConfig config, TimeSource time, SerialExecutor executor, Broadcaster broadcaster,
            Roster roster, Supplier<HostMessage.State> state) {
        this.config = config;
        this.time = time;
        this.executor = executor;
        this.broadcaster = broadcaster;
        this.roster = roster;
        this.state = state;
        this.lastFlushNanos = time.nanoTime() - config.batchWindow().toNanos();
    }

    /**
     * A newcomer, already on the roster: its welcome now, or with the window's other newcomers at
     * the flush (a batching guest while a window is open, or anyone in a join storm); everyone else
     * is told it joined.
     */
    void joined(MemberState m) {
        joinsSinceFlush++;
        if (batchWindowOpen() && (m.isBatching() || joinsSinceFlush > STORM_JOINS)) {
            m.holdWelcome();
        } else {
            welcome(m);
        }
        m.baseline(batcher.record(MembershipBatcher.Change.joined(m.member())));
        sendIndividually(new HostMessage.MemberJoined(m.member()), m);
        publishBatched();
    }

    /** A member resumed on a new connection: its welcome, and a view that has every change. */
    void resumed(MemberState m) {
        welcome(m);
        m.baseline(batcher.seq());
    }

    void left(String deviceId, LeaveReason reason) {
        batcher.record(MembershipBatcher.Change.left(deviceId, reason));
        sendIndividually(new HostMessage.MemberLeft(deviceId, reason), null);
        publishBatched();
    }

    void updated(Member member) {
        batcher.record(MembershipBatcher.Change.updated(member));
        sendIndividually(new HostMessage.MemberUpdated(member), null);
        publishBatched();
    }

    /**
     * An application message to the connected members {@code delivery} names; held for those
     * awaiting their welcome, unless it is droppable.
     */
    void broadcast(HostMessage message, Delivery delivery) {
        List<Connection> to = delivery.isEveryone() ? roster.connections(null, false) : new ArrayList<>();
        for (MemberState m : roster.guests()) {
            if (!delivery.isEveryone() && m.isWelcomed() && delivery.includes(m.id())) {
                to.add(m.connection().connection());
            } else if (m.awaitsWelcome() && !delivery.isDroppable() && delivery.includes(m.id())) {
                m.hold(message);
            }
        }
        if (to.isEmpty()) {
            return;
        }
        if (delivery.isDroppable()) {
            broadcaster.broadcastDroppable(message, to);
        } else {
            broadcaster.broadcast(message, to);
        }
    }

    /**
     * A message that must keep its place among membership changes (a host change, a state patch):
     * pending batched changes go out first, then it goes to every welcomed member {@code who} names.
     */
    void inOrder(HostMessage message, Predicate<MemberState> who) {
        if (batcher.hasChanges()) {
            flushBatch();
        }
        List<Connection> to = new ArrayList<>();
        for (MemberState m : roster.guests()) {
            if (m.isWelcomed() && who.test(m)) {
                to.add(m.connection().connection());
            }
        }
        if (!to.isEmpty()) {
            broadcaster.broadcast(message, to);
        }
    }

    void hostChanged(HostMessage.HostChanged message) {
        inOrder(message, m -> true);
    }

    void statePatched(HostMessage.StatePatch patch) {
        inOrder(patch, MemberState::keepsState);
    }

    /** A message to one member, held until its welcome if that waits; false if not connected. */
    boolean send(MemberState m, HostMessage message) {
        if (!m.isConnected()) {
            return false;
        }
        if (m.awaitsWelcome()) {
            m.hold(message);
        } else {
            m.connection().send(message);
        }
        return true;
    }

    /**
     * The session ends: {@code SESSION_CLOSED {reason}} to every connected member (those awaiting
     * their welcome too) and to {@code waiting} join requests, then each connection closes with
     * 1000.
     */
    void sessionClosed(String reason, List<GuestConnection> waiting) {
        List<Connection> to = roster.connections(null, false);
        for (MemberState m : roster.guests()) {
            if (m.awaitsWelcome() && m.isConnected()) {
                to.add(m.connection().connection());
            }
        }
        for (GuestConnection c : waiting) {
            to.add(c.connection());
        }
        if (!to.isEmpty()) {
            broadcaster.broadcast(new HostMessage.SessionClosed(reason), to);
        }
        for (Connection c : to) {
            c.close(CloseCode.NORMAL);
        }
    }

    /** The session closes: no flush is due any more. */
    void stop() {
        if (flush != null) {
            flush.cancel(false);
            flush = null;
        }
    }

    private void welcome(MemberState m) {
        sendWelcome(m);
        m.connection().send(new HostMessage.MemberList(roster.snapshot()));
        if (m.keepsState()) {
            m.connection().send(state.get());
        }
    }

    private void sendWelcome(MemberState m) {
        Member host = roster.host().member(); // the newcomer itself, as the first of a server-hosted session
        m.connection().send(new HostMessage.Welcome(config.sessionId(), config.name(), host.id(), host.name(),
                m.id(), m.protocolVersion(), time.currentTimeMillis(), config.heartbeatInterval().toMillis(),
                config.heartbeatTimeout().toMillis(), config.maxMembers(), m.resumeToken()));
    }

    /** To every connected guest that does not batch, except {@code except}. */
    private void sendIndividually(HostMessage message, MemberState except) {
        List<Connection> to = roster.connections(except, true);
        if (!to.isEmpty()) {
            broadcaster.broadcast(message, to);
        }
    }

    /** Whether a change recorded now would be held for the window rather than sent at once. */
    private boolean batchWindowOpen() {
        return flush != null || lastFlushNanos + config.batchWindow().toNanos() - time.nanoTime() > 0;
    }

    /** Sends recorded changes at once after a quiet window (a lone change), else at the window's end. */
    private void publishBatched() {
        if (flush != null) {
            return;
        }
        long due = lastFlushNanos + config.batchWindow().toNanos() - time.nanoTime();
        if (due <= 0) {
            flushBatch();
        } else {
            flush = executor.schedule(() -> {
                flush = null;
                flushBatch();
            }, Duration.ofNanos(due));
        }
    }

    private void flushBatch() {
        joinsSinceFlush = 0;
        if (!batcher.hasChanges()) {
            return;
        }
        lastFlushNanos = time.nanoTime();
        welcomeNewcomers();
        Map<Long, List<Connection>> byBaseline = new HashMap<>();
        for (MemberState m : roster.guests()) {
            if (m.isBatching() && m.isConnected() && batcher.hasChangesAfter(m.baselineSeq())) {
                byBaseline.computeIfAbsent(batcher.effectiveBaseline(m.baselineSeq()), k -> new ArrayList<>())
                        .add(m.connection().connection());
            }
        }
        for (Map.Entry<Long, List<Connection>> e : byBaseline.entrySet()) {
            broadcaster.broadcast(batcher.changesAfter(e.getKey()), e.getValue());
        }
        batcher.clear();
    }

    /**
     * The window's newcomers: each its WELCOME, all one MEMBER_LIST (encoded once) that already
     * holds the whole window, then what was held for each.
     */
    private void welcomeNewcomers() {
        List<MemberState> newcomers = new ArrayList<>();
        for (MemberState m : roster.guests()) {
            if (m.awaitsWelcome()) {
                m.baseline(batcher.seq());
                if (m.isConnected()) {
                    sendWelcome(m);
                    newcomers.add(m);
                } else {
                    m.welcomed(); // gone before its welcome: nothing to deliver
                }
            }
        }
        if (newcomers.isEmpty()) {
            return;
        }
        List<Connection> to = new ArrayList<>(newcomers.size());
        for (MemberState m : newcomers) {
            to.add(m.connection().connection());
        }
        broadcaster.broadcast(new HostMessage.MemberList(roster.snapshot()), to);
        List<Connection> keepingState = new ArrayList<>();
        for (MemberState m : newcomers) {
            if (m.keepsState()) {
                keepingState.add(m.connection().connection());
            }
        }
        if (!keepingState.isEmpty()) {
            broadcaster.broadcast(state.get(), keepingState);
        }
        for (MemberState m : newcomers) {
            List<HostMessage> held = m.welcomed();
            if (held != null) {
                held.forEach(m.connection()::send);
            }
        }
    }
}
