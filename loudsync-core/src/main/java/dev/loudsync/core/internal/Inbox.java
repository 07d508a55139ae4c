package dev.loudsync.core.internal;

import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.MemberStatus;
import dev.loudsync.core.MessageHandler;
import dev.loudsync.core.TimeSource;
import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a connection of the session says, once its {@code JOIN} reached the session: messages of
 * members and of waiting join requests, invalid frames, a slow consumer and the connection's end.
 * Any message counts as a sign of life; a valid one clears the violation count.
 *
 * <p>Invariants: events of a {@linkplain GuestConnection#isFinished() finished} connection change
 * nothing; a member closed for repeated violations leaves with "Connection closed". Confined to the
 * session's executor, but {@link #handle}, which any thread may call.
 */
final class Inbox {

    private static final Logger log = LoggerFactory.getLogger(Inbox.class);

    private final DefaultSession session;
    private final TimeSource time;
    private final Latency latency;
    private final Duration reconnectGrace;
    private final ConcurrentHashMap<String, MessageHandler> handlers = new ConcurrentHashMap<>();

    Inbox(DefaultSession session, Latency latency) {
        this.session = session;
        this.time = session.time();
        this.latency = latency;
        this.reconnectGrace = session.config().reconnectGrace();
    }

    void handle(String type, MessageHandler handler) {
        handlers.put(type, Objects.requireNonNull(handler, "handler"));
    }

    void onMessage(GuestConnection c, GuestMessage message) {
        if (c.isFinished()) {
            return;
        }
        if (c.state() == GuestConnection.State.PENDING_APPROVAL) {
            onWaitingMessage(c, message);
            return;
        }
        MemberState m = c.member();
        if (m == null) {
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
            session.detach(c);
            session.remove(m, LeaveReason.LEFT);
            c.close(CloseCode.NORMAL);
        } else if (message instanceof GuestMessage.Join) {
            violation(c, ErrorCode.ALREADY_JOINED, "Already joined");
        } else if (message instanceof ApplicationMessage) {
            onApplicationMessage(c, m, (ApplicationMessage) message);
        }
    }

    void onInvalid(GuestConnection c, String detail) {
        if (!c.isFinished()) {
            c.touch(time.nanoTime());
            violation(c, ErrorCode.INVALID_MESSAGE, detail);
        }
    }

    void onSlow(GuestConnection c) {
        if (c.isFinished()) {
            return;
        }
        MemberState m = c.member();
        session.detach(c);
        if (m != null) {
            session.remove(m, LeaveReason.SLOW);
        }
        c.close(CloseCode.SLOW_CONSUMER);
    }

    /** The connection ended: its member leaves, or waits to resume for the reconnect grace. */
    void onClosed(GuestConnection c) {
        if (c.isFinished()) {
            return;
        }
        MemberState m = c.member();
        session.detach(c);
        if (m == null) {
            return;
        }
        if (reconnectGrace.isZero()) {
            session.remove(m, LeaveReason.CONNECTION_LOST);
            return;
        }
        m.awaitResume(time.nanoTime() + reconnectGrace.toNanos());
        session.update(m, m.member().withStatus(MemberStatus.RECONNECTING));
    }

    /** A join request waits: it may ping, withdraw with {@code LEAVE}, and nothing else. */
    private void onWaitingMessage(GuestConnection c, GuestMessage message) {
        c.touch(time.nanoTime());
        if (message instanceof GuestMessage.Leave) {
            session.detach(c);
            c.close(CloseCode.NORMAL);
        } else if (message instanceof GuestMessage.Join) {
            violation(c, ErrorCode.ALREADY_JOINED, "Already joined");
        } else if (c.answerOutsideMembership(message)) {
            closeForViolations(c);
        }
    }

    private void onHeartbeat(GuestConnection c, MemberState m, GuestMessage.Heartbeat heartbeat) {
        if (!m.id().equals(heartbeat.deviceId())) {
            violation(c, ErrorCode.UNAUTHORIZED, "Heartbeat for another device");
            return;
        }
        c.touch(time.nanoTime());
        c.clearStrikes();
        latency.reported(m, heartbeat.latencyMillis());
    }

    private void onApplicationMessage(GuestConnection c, MemberState m, ApplicationMessage message) {
        MessageHandler handler = handlers.get(message.type());
        if (handler == null) {
            violation(c, ErrorCode.INVALID_MESSAGE, "Unknown message type: " + message.type());
            return;
        }
        c.clearStrikes();
        try {
            handler.onMessage(session, m.member(), message);
        } catch (RuntimeException e) {
            log.warn("Handler for {} in session {} failed", message.type(), session.id(), e);
        }
    }

    private void violation(GuestConnection c, ErrorCode code, String message) {
        if (c.violation(code, message)) {
            closeForViolations(c);
        }
    }

    private void closeForViolations(GuestConnection c) {
        MemberState m = c.member();
        session.detach(c);
        if (m != null) {
            session.remove(m, LeaveReason.CONNECTION_LOST);
        }
        c.close(CloseCode.INVALID_JOIN);
    }
}
