package dev.loudsync.core.internal;

import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.SerialExecutor;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.TimeSource;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.transport.Broadcaster;
import dev.loudsync.core.transport.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * The session's one periodic task (never a timer per member): ends the session after its idle
 * timeout, or a server-hosted one left empty for its empty timeout; removes members silent for the
 * heartbeat timeout and members whose reconnect grace is over, closes silent join requests, sends
 * every connection a keep-alive probe, and the latency {@code PING}s.
 *
 * <p>The tick runs every {@link #tickNanos(SessionConfig)}: the check interval, but at least every
 * third of the heartbeat timeout, so that each member gets a keep-alive that often. Confined to the
 * session's executor.
 */
final class Liveness {

    /** The {@code SESSION_CLOSED} reason when the idle timeout ends a session. */
    static final String EXPIRED = "Session expired";

    private final DefaultSession session;
    private final SessionConfig config;
    private final TimeSource time;
    private final SerialExecutor executor;
    private final Broadcaster broadcaster;
    private final Roster roster;
    private final Admission admission;
    private final Latency latency;
    private final long tickNanos;
    private Future<?> tick;
    private boolean stopped;
    /** The last application message or join, {@code TimeSource.nanoTime()}. */
    private long lastActivityNanos;
    /** Since when the session has no members; meaningful while it has none. */
    private long emptySinceNanos;

    Liveness(DefaultSession session, SerialExecutor executor, Broadcaster broadcaster, Roster roster,
            Admission admission, Latency latency) {
        this.session = session;
        this.config = session.config();
        this.time = session.time();
        this.executor = executor;
        this.broadcaster = broadcaster;
        this.roster = roster;
        this.admission = admission;
        this.latency = latency;
        this.tickNanos = tickNanos(config);
        this.lastActivityNanos = time.nanoTime();
        this.emptySinceNanos = lastActivityNanos;
    }

    /** An application message arrived, or a member joined. */
    void active() {
        lastActivityNanos = time.nanoTime();
    }

    /** The last member left. */
    void emptied() {
        emptySinceNanos = time.nanoTime();
    }

    static long tickNanos(SessionConfig config) {
        Duration third = config.heartbeatTimeout().dividedBy(3);
        Duration check = config.heartbeatCheckInterval();
        return (check.compareTo(third) < 0 ? check : third).toNanos();
    }

    void start() {
        schedule();
    }

    void stop() {
        stopped = true;
        if (tick != null) {
            tick.cancel(false);
        }
    }

    private void schedule() {
        if (!stopped) {
            tick = executor.schedule(this::tick, Duration.ofNanos(tickNanos));
        }
    }

    private void tick() {
        if (stopped) {
            return;
        }
        long now = time.nanoTime();
        if (!config.idleTimeout().isZero() && now - lastActivityNanos >= config.idleTimeout().toNanos()) {
            session.end(EXPIRED);
            return;
        }
        if (config.isServerHosted() && roster.size() == 0 && now - emptySinceNanos >= config.emptyTimeout().toNanos()) {
            session.end(EXPIRED);
            return;
        }
        long timeout = config.heartbeatTimeout().toNanos();
        List<MemberState> silent = new ArrayList<>();
        List<MemberState> graceOver = new ArrayList<>();
        for (MemberState m : roster.guests()) {
            if (m.isConnected()) {
                if (now - m.connection().lastSeenNanos() >= timeout) {
                    silent.add(m);
                }
            } else if (m.graceOver(now)) {
                graceOver.add(m);
            }
        }
        for (MemberState m : silent) {
            GuestConnection c = m.connection();
            session.membership().detach(c);
            session.membership().remove(m, LeaveReason.TIMED_OUT);
            c.close(CloseCode.HEARTBEAT_TIMEOUT);
        }
        for (MemberState m : graceOver) {
            session.membership().remove(m, LeaveReason.CONNECTION_LOST);
        }
        for (GuestConnection c : admission.waitingConnections()) {
            if (now - c.lastSeenNanos() >= timeout) {
                session.membership().detach(c);
                c.close(CloseCode.HEARTBEAT_TIMEOUT);
            } else {
                c.connection().sendKeepAlive();
            }
        }
        latency.tick();
        List<Connection> connected = roster.connections(null, false);
        for (Connection c : connected) {
            c.sendKeepAlive();
        }
        if (config.latencyProbes() && !connected.isEmpty()) {
            broadcaster.broadcast(HostMessage.Ping.INSTANCE, latency.probed(connected));
        }
        schedule();
    }
}
