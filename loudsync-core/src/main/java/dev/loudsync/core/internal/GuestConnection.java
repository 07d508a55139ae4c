package dev.loudsync.core.internal;

import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.protocol.MessageTypes;
import dev.loudsync.core.protocol.ProtocolRules;
import dev.loudsync.core.transport.Connection;
import dev.loudsync.core.transport.ConnectionHandler;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The core's side of one connection.
 *
 * <p>Until its {@code JOIN} names an open session, a connection is handled here, on the thread the
 * transport calls from. From then on every event of the connection is passed, in order, to that
 * session's executor; fields marked "session" below belong to it.
 *
 * <p>One exception keeps an idle session cheap: a member's plain {@code HEARTBEAT} (its own
 * {@code deviceId}, and no {@code latency} the session would still use) is taken here, on the
 * transport's thread, without a task for the session: it refreshes {@link #lastSeenNanos} and clears
 * the violation count, which the session does just before it handles the connection's next event,
 * so counting stays in message order. Anything else about a heartbeat (another device's id, a
 * heartbeat before approval, a latency report) still goes to the session in order.
 *
 * <p>A frame whose {@code type} was read as {@code JOIN} but that is otherwise broken counts as an
 * invalid join (close 4503), like a JOIN with a bad field: the guest meant to join and cannot. Other
 * broken frames are answered with {@code ERROR INVALID_MESSAGE} and leave the connection open.
 */
public final class GuestConnection implements ConnectionHandler {

    /** Consecutive protocol violations after which a connection is closed with 4503. */
    static final int MAX_STRIKES = 10;

    private static final int NEW = 0;
    private static final int DISPATCHED = 1;
    private static final int CLOSED = 2;

    final Connection connection;
    private final Gateway gateway;
    /** NEW until the JOIN is handed to a session; the join-timeout sweep races for NEW -> CLOSED. */
    private final AtomicInteger phase = new AtomicInteger(NEW);
    /** Transport thread: the session the JOIN went to; all later events go there. */
    private DefaultSession session;
    /** Consecutive violations; transport thread before the JOIN, session after. */
    int strikes;
    /** Last sign of life, {@code TimeSource.nanoTime()}; written by any thread. */
    volatile long lastSeenNanos;
    /** Transport thread: a heartbeat was taken here since the last event handed to the session. */
    private boolean clearStrikes;

    /**
     * The membership this connection carries, or null; written by the session only, volatile
     * because the transport's thread reads it to take a plain heartbeat.
     */
    volatile MemberState member;
    /** Session: the join waiting for approval, or null. */
    PendingJoin pending;
    /** Session: refused, replaced, removed or closed; events are ignored from then on. */
    boolean finished;

    GuestConnection(Connection connection, Gateway gateway) {
        this.connection = connection;
        this.gateway = gateway;
        this.lastSeenNanos = gateway.time().nanoTime();
    }

    @Override
    public void onMessage(GuestMessage message) {
        if (session != null) {
            if (message instanceof GuestMessage.Heartbeat && tookHeartbeat((GuestMessage.Heartbeat) message)) {
                return;
            }
            session.dispatchMessage(this, message, takeClearStrikes());
            return;
        }
        if (phase.get() != NEW) {
            return;
        }
        if (message instanceof GuestMessage.Join) {
            join((GuestMessage.Join) message);
        } else if (message instanceof GuestMessage.Ping) {
            strikes = 0;
            connection.send(new HostMessage.Pong(((GuestMessage.Ping) message).timestamp(),
                    gateway.time().currentTimeMillis()));
        } else {
            violation(ErrorCode.UNAUTHORIZED, "Join the session first");
        }
    }

    @Override
    public void onInvalidMessage(String type, String detail) {
        if (session != null) {
            session.dispatchInvalid(this, type, detail, takeClearStrikes());
            return;
        }
        if (phase.get() != NEW) {
            return;
        }
        if (MessageTypes.JOIN.equals(type)) {
            refuse(ErrorCode.INVALID_MESSAGE, detail, CloseCode.INVALID_JOIN);
        } else {
            violation(ErrorCode.INVALID_MESSAGE, detail);
        }
    }

    @Override
    public void onSignOfLife() {
        lastSeenNanos = gateway.time().nanoTime();
    }

    @Override
    public void onSlowConsumer() {
        if (session != null) {
            session.dispatchSlow(this);
        } else if (phase.compareAndSet(NEW, CLOSED)) {
            connection.close(CloseCode.SLOW_CONSUMER);
        }
    }

    @Override
    public void onClosed() {
        if (session != null) {
            session.dispatchClosed(this);
        } else {
            phase.set(CLOSED);
        }
    }

    /** Takes a member's plain heartbeat on the transport thread; false if the session must see it. */
    private boolean tookHeartbeat(GuestMessage.Heartbeat heartbeat) {
        MemberState m = member;
        if (m == null || !m.id().equals(heartbeat.deviceId())
                || (heartbeat.latencyMillis() != null && !m.latencyMeasuredByHost)) {
            return false;
        }
        lastSeenNanos = gateway.time().nanoTime();
        clearStrikes = true;
        return true;
    }

    private boolean takeClearStrikes() {
        boolean clear = clearStrikes;
        clearStrikes = false;
        return clear;
    }

    /** Called by the join-timeout sweep: closes with 4001 unless a JOIN got there first. */
    boolean expireIfNotJoined() {
        if (phase.compareAndSet(NEW, CLOSED)) {
            connection.close(CloseCode.JOIN_TIMEOUT);
            return true;
        }
        return false;
    }

    /** Whether the connection is closed or handed to a session (the join-timeout sweep skips it). */
    boolean pastJoinPhase() {
        return phase.get() != NEW;
    }

    private void join(GuestMessage.Join join) {
        String invalid = ProtocolRules.invalidJoinField(join);
        if (invalid != null) {
            refuse(ErrorCode.INVALID_MESSAGE, invalid, CloseCode.INVALID_JOIN);
            return;
        }
        if (!ProtocolRules.isSupportedVersion(join.version())) {
            refuse(ErrorCode.VERSION_MISMATCH, "Unsupported protocol version " + join.version()
                    + " (expected: 1.x)", CloseCode.VERSION_MISMATCH);
            return;
        }
        DefaultSession target = gateway.find(join.sessionId());
        if (target == null) {
            refuse(ErrorCode.SESSION_NOT_FOUND, "Session not found", CloseCode.SESSION_NOT_FOUND);
            return;
        }
        if (!phase.compareAndSet(NEW, DISPATCHED)) {
            return;
        }
        session = target;
        target.dispatchJoin(this, join);
    }

    private void refuse(ErrorCode code, String message, CloseCode close) {
        phase.set(CLOSED);
        connection.send(new HostMessage.Error(code, message));
        connection.close(close);
        gateway.joinRefused(connection, code);
    }

    private void violation(ErrorCode code, String message) {
        connection.send(new HostMessage.Error(code, message));
        if (++strikes >= MAX_STRIKES && phase.compareAndSet(NEW, CLOSED)) {
            connection.close(CloseCode.INVALID_JOIN);
        }
    }
}
