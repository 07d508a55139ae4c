package dev.loudsync.core.internal;

import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.protocol.MessageTypes;
import dev.loudsync.core.protocol.ProtocolRules;
import dev.loudsync.core.transport.Connection;
import dev.loudsync.core.transport.ConnectionHandler;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The core's side of one connection: the handler its transport feeds, and its place in a session.
 *
 * <h2>Lifecycle</h2>
 * {@link State#AWAITING_JOIN} until a {@code JOIN} names an open session, then {@link State#JOINING}
 * while the session decides, then {@link State#PENDING_APPROVAL} and/or {@link State#MEMBER};
 * {@link State#FINISHED} (refused, replaced, removed or closed) from any state, after which events
 * are ignored.
 *
 * <h2>Threads</h2>
 * Before its {@code JOIN} reaches a session, the connection is handled on the thread the transport
 * calls from, and the join-timeout sweep may race it to {@code FINISHED} (hence the atomic state).
 * From then on every event is passed, in order, to the session's executor, which alone changes the
 * state and reads the fields below.
 *
 * <p>One exception keeps an idle session cheap: a member's plain {@code HEARTBEAT} (its own
 * {@code deviceId}, and no {@code latency} the session would still use) is taken on the transport's
 * thread without a task for the session. It refreshes {@link #lastSeenNanos()}; the violation count
 * it clears is cleared by the task of the connection's next event, so counting stays in message
 * order.
 *
 * <p>A frame whose {@code type} was read as {@code JOIN} but that is otherwise broken counts as an
 * invalid join (close 4503). Other broken frames are answered with {@code ERROR INVALID_MESSAGE}
 * and leave the connection open; {@value #MAX_STRIKES} in a row close it with 4503.
 */
public final class GuestConnection implements ConnectionHandler {

    /** Consecutive protocol violations after which a connection is closed with 4503. */
    static final int MAX_STRIKES = 10;

    enum State { AWAITING_JOIN, JOINING, PENDING_APPROVAL, MEMBER, FINISHED }

    private final Connection connection;
    private final Gateway gateway;
    private final AtomicReference<State> state = new AtomicReference<>(State.AWAITING_JOIN);
    /** Transport thread: the session the JOIN went to; every later event goes there. */
    private DefaultSession session;
    /** Consecutive violations: transport thread before the JOIN, session after. */
    private int strikes;
    /** Transport thread: a heartbeat was taken here since the last event handed to the session. */
    private boolean heartbeatTaken;
    /** Last sign of life, {@code TimeSource.nanoTime()}; written by any thread. */
    private volatile long lastSeenNanos;
    /** Session: the membership carried; volatile for the transport thread's heartbeat check. */
    private volatile MemberState member;
    /** Session: the join waiting for approval, or null. */
    private PendingJoin pending;

    GuestConnection(Connection connection, Gateway gateway) {
        this.connection = connection;
        this.gateway = gateway;
        this.lastSeenNanos = gateway.time().nanoTime();
    }

    // ------------------------------------------------------------------ transport thread

    @Override
    public void onMessage(GuestMessage message) {
        DefaultSession s = session;
        if (s != null) {
            if (message instanceof GuestMessage.Heartbeat && tookHeartbeat((GuestMessage.Heartbeat) message)) {
                return;
            }
            boolean clear = takeHeartbeatTaken();
            s.execute(() -> {
                clearStrikesIf(clear);
                s.inbox().onMessage(this, message);
            });
            return;
        }
        if (state.get() != State.AWAITING_JOIN) {
            return;
        }
        if (message instanceof GuestMessage.Join) {
            join((GuestMessage.Join) message);
        } else if (answerOutsideMembership(message)) {
            closeForViolations();
        }
    }

    @Override
    public void onInvalidMessage(String type, String id, String detail) {
        DefaultSession s = session;
        if (s != null) {
            boolean clear = takeHeartbeatTaken();
            s.execute(() -> {
                clearStrikesIf(clear);
                s.inbox().onInvalid(this, id, detail);
            });
            return;
        }
        if (state.get() != State.AWAITING_JOIN) {
            return;
        }
        if (MessageTypes.JOIN.equals(type)) {
            refuse(ErrorCode.INVALID_MESSAGE, detail);
        } else if (violation(HostMessage.Error.replyingTo(id, ErrorCode.INVALID_MESSAGE, detail))) {
            closeForViolations();
        }
    }

    private void closeForViolations() {
        if (state.compareAndSet(State.AWAITING_JOIN, State.FINISHED)) {
            connection.close(CloseCode.INVALID_JOIN);
        }
    }

    @Override
    public void onSignOfLife() {
        lastSeenNanos = gateway.time().nanoTime();
    }

    @Override
    public void onSlowConsumer() {
        DefaultSession s = session;
        if (s != null) {
            s.execute(() -> s.inbox().onSlow(this));
        } else if (state.compareAndSet(State.AWAITING_JOIN, State.FINISHED)) {
            connection.close(CloseCode.SLOW_CONSUMER);
        }
    }

    @Override
    public void onClosed() {
        DefaultSession s = session;
        if (s != null) {
            s.execute(() -> s.inbox().onClosed(this));
        } else {
            state.set(State.FINISHED);
        }
    }

    /** Takes a member's plain heartbeat here; false if the session must see it. */
    private boolean tookHeartbeat(GuestMessage.Heartbeat heartbeat) {
        MemberState m = member;
        if (m == null || !m.id().equals(heartbeat.deviceId())
                || (heartbeat.latencyMillis() != null && !m.latencyMeasuredByHost())) {
            return false;
        }
        lastSeenNanos = gateway.time().nanoTime();
        heartbeatTaken = true;
        return true;
    }

    private boolean takeHeartbeatTaken() {
        boolean taken = heartbeatTaken;
        heartbeatTaken = false;
        return taken;
    }

    private void clearStrikesIf(boolean clear) {
        if (clear) {
            strikes = 0;
        }
    }

    private void join(GuestMessage.Join join) {
        String invalid = ProtocolRules.invalidJoinField(join);
        if (invalid != null) {
            refuse(ErrorCode.INVALID_MESSAGE, invalid);
            return;
        }
        if (!ProtocolRules.isSupportedVersion(join.version())) {
            refuse(ErrorCode.VERSION_MISMATCH, "Unsupported protocol version " + join.version()
                    + " (expected: " + ProtocolRules.MAJOR_VERSION + ".x)");
            return;
        }
        DefaultSession target = gateway.findOrOpen(join.sessionId());
        if (target == null) {
            refuse(ErrorCode.SESSION_NOT_FOUND, "Session not found");
            return;
        }
        if (state.compareAndSet(State.AWAITING_JOIN, State.JOINING)) {
            session = target;
            target.execute(() -> target.admission().onJoin(this, join));
        }
    }

    /** Called by the join-timeout sweep: closes with 4001 unless a JOIN got there first. */
    boolean expireIfNotJoined() {
        if (state.compareAndSet(State.AWAITING_JOIN, State.FINISHED)) {
            connection.close(CloseCode.JOIN_TIMEOUT);
            return true;
        }
        return false;
    }

    /** Whether the join-timeout sweep can forget the connection: it joined a session or is gone. */
    boolean pastJoinPhase() {
        return state.get() != State.AWAITING_JOIN;
    }

    // ------------------------------------------------------------------ not a member (any phase)

    /**
     * Answers a message of a connection that is not a member, before its {@code JOIN} or while it
     * waits for approval: {@code PING} gets its {@code PONG}, anything else (but {@code JOIN} and
     * {@code LEAVE}, which the caller handles) {@code ERROR UNAUTHORIZED "Join the session first"},
     * naming the message's request id if it had one.
     *
     * @return whether the violation limit is reached (see {@link #violation})
     */
    boolean answerOutsideMembership(GuestMessage message) {
        if (message instanceof GuestMessage.Ping) {
            strikes = 0;
            send(new HostMessage.Pong(((GuestMessage.Ping) message).timestamp(),
                    gateway.time().currentTimeMillis()));
            return false;
        }
        return violation(HostMessage.Error.replyingTo(message.id(), ErrorCode.UNAUTHORIZED, "Join the session first"));
    }

    /**
     * Answers a protocol violation with {@code error} and counts it.
     *
     * @return whether this was the {@value #MAX_STRIKES}th in a row: the caller then finishes the
     *         connection and closes it with 4503
     */
    boolean violation(HostMessage.Error error) {
        send(error);
        return ++strikes >= MAX_STRIKES;
    }

    /** Refuses the join: {@code ERROR}, the close code the protocol gives the error, finished. */
    void refuse(ErrorCode code, String message) {
        state.set(State.FINISHED);
        connection.send(new HostMessage.Error(code, message));
        connection.close(ProtocolRules.closeForRefusedJoin(code));
        gateway.joinRefused(connection, code);
    }

    // ------------------------------------------------------------------ session executor

    State state() {
        return state.get();
    }

    boolean isFinished() {
        return state.get() == State.FINISHED;
    }

    MemberState member() {
        return member;
    }

    PendingJoin pending() {
        return pending;
    }

    /** The join waits for the host's decision. */
    void awaitApproval(PendingJoin join) {
        pending = join;
        state.set(State.PENDING_APPROVAL);
    }

    /** The connection now carries {@code m}: fresh violation count and sign of life. */
    void becomeMember(MemberState m, long nowNanos) {
        pending = null;
        member = m;
        strikes = 0;
        lastSeenNanos = nowNanos;
        state.set(State.MEMBER);
    }

    /**
     * Finishes the connection: later events are ignored. Returns the join it had waiting, if any,
     * for the caller to withdraw; the membership, if any, is the caller's to detach.
     */
    PendingJoin finish() {
        state.set(State.FINISHED);
        member = null;
        PendingJoin p = pending;
        pending = null;
        return p;
    }

    void touch(long nowNanos) {
        lastSeenNanos = nowNanos;
    }

    long lastSeenNanos() {
        return lastSeenNanos;
    }

    void clearStrikes() {
        strikes = 0;
    }

    // ------------------------------------------------------------------ the transport's connection

    Connection connection() {
        return connection;
    }

    void send(HostMessage message) {
        connection.send(message);
    }

    void close(CloseCode code) {
        connection.close(code);
    }

    String remoteAddress() {
        return connection.remoteAddress();
    }
}
