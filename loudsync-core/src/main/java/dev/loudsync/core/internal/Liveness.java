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
 * The session's one timer (never one per member): ends the session after its idle timeout, or a
 * server-hosted one left empty for its empty timeout; removes members silent for the heartbeat
 * timeout and members whose reconnect grace is over, closes silent join requests, sends every
 * connection a keep-alive probe, and the latency {@code PING}s.
 *
 * <p>Every member is seen once per period, {@link #periodNanos(SessionConfig)}: the check
 * interval, but at least every third of the heartbeat timeout, so that each gets a keep-alive that
 * often. A session of more than {@value #MEMBERS_PER_SLOT} members splits the period into slots
 * (at most {@value #MAX_SLOTS}), and each member has its own slot, its phase: keep-alives, probes
 * and checks go out a slot at a time, evenly over the period, instead of in one burst that would
 * delay the application's broadcasts behind thousands of the host's own frames. Past
 * {@value #MAX_PROBES_PER_PERIOD} members, a period's latency {@code PING}s go to a rotating share
 * of them, since the latency budget could not publish more changes anyway. A slot looks only at its
 * own members: they are sorted into slots once a period, at its start, and newcomers join theirs as
 * they come, so a period costs one pass over the members however many slots it has. Confined to
 * the session's executor.
 */
final class Liveness {

    /** The {@code SESSION_CLOSED} reason when the idle timeout ends a session. */
    static final String EXPIRED = "Session expired";

    /** Members a slot serves before the period is split into more slots. */
    static final int MEMBERS_PER_SLOT = 64;

    /** The most slots a period is split into. */
    static final int MAX_SLOTS = 50;

    /** Latency probes ({@code PING}) per period at most. */
    static final int MAX_PROBES_PER_PERIOD = 1_000;

    private final DefaultSession session;
    private final SessionConfig config;
    private final TimeSource time;
    private final SerialExecutor executor;
    private final Broadcaster broadcaster;
    private final Roster roster;
    private final Admission admission;
    private final Latency latency;
    private final long periodNanos;
    private Future<?> tick;
    private boolean stopped;
    /** Slots of the current period, fixed for it; the slot that runs next; periods begun so far. */
    private int slots = 1;
    private int slot;
    private long period;
    /** This period's guests by slot, in list order, newcomers after them; members who left are skipped. */
    private final List<List<MemberState>> bySlot = new ArrayList<>();
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
        this.periodNanos = periodNanos(config);
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

    static long periodNanos(SessionConfig config) {
        Duration third = config.heartbeatTimeout().dividedBy(3);
        Duration check = config.heartbeatCheckInterval();
        return (check.compareTo(third) < 0 ? check : third).toNanos();
    }

    /** How many slots a period of a session of {@code members} is split into. */
    static int slotsFor(int members) {
        return Math.max(1, Math.min(MAX_SLOTS, (members + MEMBERS_PER_SLOT - 1) / MEMBERS_PER_SLOT));
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
            tick = executor.schedule(this::tick, Duration.ofNanos(periodNanos / slots));
        }
    }

    private void tick() {
        if (stopped) {
            return;
        }
        long now = time.nanoTime();
        if (slot == 0) {
            if (!periodStart(now)) {
                return;
            }
            sortIntoSlots();
        } else {
            roster.takeAdded(m -> bySlot.get(m.phase() % slots).add(m));
        }
        long timeout = config.heartbeatTimeout().toNanos();
        int shares = (roster.size() + MAX_PROBES_PER_PERIOD - 1) / MAX_PROBES_PER_PERIOD;
        List<MemberState> silent = new ArrayList<>();
        List<MemberState> graceOver = new ArrayList<>();
        List<Connection> alive = new ArrayList<>();
        List<Connection> probed = new ArrayList<>();
        for (MemberState m : bySlot.get(slot)) {
            if (!roster.contains(m)) {
                continue;
            }
            if (!m.isConnected()) {
                if (m.graceOver(now)) {
                    graceOver.add(m);
                }
            } else if (now - m.connection().lastSeenNanos() >= timeout) {
                silent.add(m);
            } else if (m.isWelcomed()) {
                alive.add(m.connection().connection());
                if (shares <= 1 || (m.phase() / slots) % shares == period % shares) {
                    probed.add(m.connection().connection());
                }
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
        latency.tick(slots);
        for (Connection c : alive) {
            c.sendKeepAlive();
        }
        if (config.latencyProbes() && !probed.isEmpty()) {
            broadcaster.broadcast(HostMessage.Ping.INSTANCE, probed);
        }
        if (++slot == slots) {
            slot = 0;
            period++;
            slots = slotsFor(roster.size());
        }
        schedule();
    }

    /** Sorts the guests into this period's {@link #slots} slots by their phase. */
    private void sortIntoSlots() {
        roster.takeAdded(m -> { }); // all of them are in the roster's list
        latency.newPeriod();
        while (bySlot.size() < slots) {
            bySlot.add(new ArrayList<>());
        }
        for (List<MemberState> members : bySlot) {
            members.clear();
        }
        for (MemberState m : roster.guests()) {
            bySlot.get(m.phase() % slots).add(m);
        }
    }

    /**
     * What runs once a period, at its start: the session's own timeouts and the join requests
     * waiting for approval.
     *
     * @return false if the session ended
     */
    private boolean periodStart(long now) {
        if (!config.idleTimeout().isZero() && now - lastActivityNanos >= config.idleTimeout().toNanos()) {
            session.end(EXPIRED);
            return false;
        }
        if (config.isServerHosted() && roster.size() == 0 && now - emptySinceNanos >= config.emptyTimeout().toNanos()) {
            session.end(EXPIRED);
            return false;
        }
        long timeout = config.heartbeatTimeout().toNanos();
        for (GuestConnection c : admission.waitingConnections()) {
            if (now - c.lastSeenNanos() >= timeout) {
                session.membership().detach(c);
                c.close(CloseCode.HEARTBEAT_TIMEOUT);
            } else {
                c.connection().sendKeepAlive();
            }
        }
        return true;
    }
}
