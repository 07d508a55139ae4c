package dev.loudsync.core.internal;

import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.MemberStatus;
import dev.loudsync.core.RequestRejectedException;
import dev.loudsync.core.TimeSource;
import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import java.time.Duration;

/**
 * What a connection of the session says, once its {@code JOIN} reached the session: messages of
 * members, of joins still being decided (authenticator or approval), invalid frames, a slow
 * consumer and the connection's end. Any message counts as a sign of life; a valid one clears the
 * violation count.
 *
 * <p>A member's application message goes to its type's handler if the member's role may send it
 * ({@code ERROR UNAUTHORIZED} otherwise, 1.1); control messages (1.1) go to {@link Hosting}; both
 * are answered through {@link Requests} when they carry an {@code id}.
 *
 * <p>Invariants: events of a {@linkplain GuestConnection#isFinished() finished} connection change
 * nothing; a member closed for repeated violations leaves with "Connection closed". Confined to the
 * session's executor.
 */
final class Inbox {

    private final DefaultSession session;
    private final TimeSource time;
    private final Latency latency;
    private final Hosting hosting;
    private final Requests requests;
    private final Handlers handlers;
    private final Duration reconnectGrace;

    Inbox(DefaultSession session, Latency latency, Hosting hosting, Requests requests, Handlers handlers) {
        this.session = session;
        this.time = session.time();
        this.latency = latency;
        this.hosting = hosting;
        this.requests = requests;
        this.handlers = handlers;
        this.reconnectGrace = session.config().reconnectGrace();
    }

    void onMessage(GuestConnection c, GuestMessage message) {
        if (c.isFinished()) {
            return;
        }
        MemberState m = c.member();
        if (m == null) {
            onWaitingMessage(c, message);
            return;
        }
        if (message instanceof GuestMessage.Heartbeat) {
            onHeartbeat(c, m, (GuestMessage.Heartbeat) message);
            return;
        }
        c.touch(time.nanoTime());
        if (message instanceof GuestMessage.Ping) {
            c.clearStrikes();
            c.send(new HostMessage.Pong(((GuestMessage.Ping) message).timestamp(), time.currentTimeMillis()));
        } else if (message instanceof GuestMessage.Pong) {
            c.clearStrikes();
            latency.answered(m, ((GuestMessage.Pong) message).pingTimestamp(), time.currentTimeMillis(),
                    session.createdAtMillis());
        } else if (message instanceof GuestMessage.Leave) {
            session.membership().detach(c);
            session.membership().remove(m, LeaveReason.LEFT);
            c.close(CloseCode.NORMAL);
        } else if (message instanceof GuestMessage.Join) {
            violation(c, ErrorCode.ALREADY_JOINED, "Already joined", null);
        } else if (message instanceof ApplicationMessage) {
            onApplicationMessage(c, m, (ApplicationMessage) message);
        } else {
            c.clearStrikes();
            requests.run(m, message.type(), message.id(), () -> {
                hosting.control(m, message, requests);
                return null;
            });
        }
    }

    void onInvalid(GuestConnection c, String id, String detail) {
        if (!c.isFinished()) {
            c.touch(time.nanoTime());
            violation(c, ErrorCode.INVALID_MESSAGE, detail, id);
        }
    }

    void onSlow(GuestConnection c) {
        if (c.isFinished()) {
            return;
        }
        MemberState m = c.member();
        session.membership().detach(c);
        if (m != null) {
            session.membership().remove(m, LeaveReason.SLOW);
        }
        c.close(CloseCode.SLOW_CONSUMER);
    }

    /** The connection ended: its member leaves, or waits to resume for the reconnect grace. */
    void onClosed(GuestConnection c) {
        if (c.isFinished()) {
            return;
        }
        MemberState m = c.member();
        session.membership().detach(c);
        if (m == null) {
            return;
        }
        if (reconnectGrace.isZero()) {
            session.membership().remove(m, LeaveReason.CONNECTION_LOST);
            return;
        }
        m.awaitResume(time.nanoTime() + reconnectGrace.toNanos());
        session.membership().update(m, m.member().withStatus(MemberStatus.RECONNECTING));
    }

    /**
     * A join is still being decided (its authenticator, or the host's approval): it may ping,
     * withdraw with {@code LEAVE}, and nothing else.
     */
    private void onWaitingMessage(GuestConnection c, GuestMessage message) {
        c.touch(time.nanoTime());
        if (message instanceof GuestMessage.Leave) {
            session.membership().detach(c);
            c.close(CloseCode.NORMAL);
        } else if (message instanceof GuestMessage.Join) {
            violation(c, ErrorCode.ALREADY_JOINED, "Already joined", null);
        } else if (c.answerOutsideMembership(message)) {
            closeForViolations(c);
        }
    }

    private void onHeartbeat(GuestConnection c, MemberState m, GuestMessage.Heartbeat heartbeat) {
        if (!m.id().equals(heartbeat.deviceId())) {
            violation(c, ErrorCode.UNAUTHORIZED, "Heartbeat for another device", null);
            return;
        }
        c.touch(time.nanoTime());
        c.clearStrikes();
        latency.reported(m, heartbeat.latencyMillis());
    }

    private void onApplicationMessage(GuestConnection c, MemberState m, ApplicationMessage message) {
        Handlers.Handler handler = handlers.get(message.type());
        if (handler == null) {
            violation(c, ErrorCode.INVALID_MESSAGE, "Unknown message type: " + message.type(), message.id());
            return;
        }
        c.clearStrikes();
        session.active();
        if (!hosting.mayUse(m, message.type())) {
            requests.refuse(m, message.id(), ErrorCode.UNAUTHORIZED,
                    "Your role may not send " + message.type());
            return;
        }
        requests.run(m, message.type(), message.id(), () -> handler.handle(m, message));
    }

    private void violation(GuestConnection c, ErrorCode code, String message, String replyTo) {
        if (c.violation(HostMessage.Error.replyingTo(replyTo, code, message))) {
            closeForViolations(c);
        }
    }

    private void closeForViolations(GuestConnection c) {
        MemberState m = c.member();
        session.membership().detach(c);
        if (m != null) {
            session.membership().remove(m, LeaveReason.CONNECTION_LOST);
        }
        c.close(CloseCode.INVALID_JOIN);
    }

    /** A payload that does not bind to the handler's class: answered {@code INVALID_MESSAGE}. */
    static RequestRejectedException invalidPayload(String type, String detail) {
        return new RequestRejectedException(ErrorCode.INVALID_MESSAGE, "Invalid " + type + " payload: " + detail);
    }
}
