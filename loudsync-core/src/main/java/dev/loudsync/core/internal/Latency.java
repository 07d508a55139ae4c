package dev.loudsync.core.internal;

import dev.loudsync.core.protocol.ProtocolRules;
import java.util.ArrayDeque;
import java.util.OptionalInt;

/**
 * Members' latencies: what the host measures from its {@code PING}s and what guests report in
 * {@code HEARTBEAT.latency}, and which of those changes are published, to whom.
 *
 * <p>A change is published only when it is material: from unknown, or by at least 10 ms and a
 * quarter of the published value; so a member's published latency moves with real changes while
 * jitter costs nothing. Up to {@value #EVERYONE_SEES_LATENCIES} members, a change goes to every
 * member, like any {@code MEMBER_UPDATED}; past that, no screen shows every member's latency, and
 * a latency-only change goes only to its audience: the host and cohosts, and guests that asked
 * with the {@code latencies} capability (a newcomer's {@code MEMBER_LIST} still carries every
 * latency). Latency-only updates share a budget of {@value #FRAMES_PER_SECOND} frames per second,
 * an update costing one frame per recipient: a change the budget cannot pay now waits, oldest
 * first, for the next liveness slots. Confined to the session's executor.
 */
final class Latency {

    /** Frames per second that latency-only {@code MEMBER_UPDATED}s may cost a session. */
    static final int FRAMES_PER_SECOND = 1_000;

    /** Session size up to which every member gets every latency change. */
    static final int EVERYONE_SEES_LATENCIES = 64;

    private final Roster roster;
    private final long periodNanos;
    /** Publishes a member's new latency to its audience. */
    private final Publisher publish;
    /** Members with a material change waiting for the budget, oldest first. */
    private final ArrayDeque<MemberState> waiting = new ArrayDeque<>();
    /** Frames that latency-only updates may still cost. */
    private long frames;
    /**
     * The audience's size in a session where not everyone sees latencies, counted once a liveness
     * period (-1: count again): a change is weighed on every {@code PONG}, and counting there would
     * cost a pass over every member each time. Members who join or change role within the period
     * move the budget's estimate by a frame each, until the next count.
     */
    private int audience = -1;

    /** Where a published change goes. */
    @FunctionalInterface
    interface Publisher {
        /** {@code m}'s latency is now {@code millis}; to every member if {@code everyoneSees}, else to its audience. */
        void publish(MemberState m, int millis, boolean everyoneSees);
    }

    Latency(Roster roster, long periodNanos, Publisher publish) {
        this.roster = roster;
        this.periodNanos = periodNanos;
        this.publish = publish;
        this.frames = framesPerPeriod();
    }

    /** Whether every member sees latency changes: a session of at most {@value #EVERYONE_SEES_LATENCIES}. */
    boolean everyoneSees() {
        return roster.size() <= EVERYONE_SEES_LATENCIES;
    }

    /** Whether {@code m} gets latency-only changes in a session where not everyone does. */
    static boolean inAudience(MemberState m) {
        return Hosting.isApprover(m) || m.wantsLatencies();
    }

    /** A guest reported its own round-trip time; used while the host has no measurement of its own. */
    void reported(MemberState m, Long millis) {
        if (millis != null && !m.latencyMeasuredByHost() && ProtocolRules.isLatency(millis)) {
            changed(m, millis.intValue());
        }
    }

    /**
     * A guest answered a host {@code PING} sent at {@code sentMillis} (the echo of its timestamp;
     * null when missing). Answers stamped before the session existed or after now are ignored.
     */
    void answered(MemberState m, Long sentMillis, long nowMillis, long sessionStartMillis) {
        if (sentMillis == null) {
            return;
        }
        long rtt = nowMillis - sentMillis;
        if (ProtocolRules.isLatency(rtt) && sentMillis >= sessionStartMillis) {
            m.measuredByHost();
            changed(m, (int) rtt);
        }
    }

    private void changed(MemberState m, int latency) {
        OptionalInt published = m.member().latencyMillis();
        if (published.isPresent()) {
            int old = published.getAsInt();
            int delta = Math.abs(latency - old);
            if (delta < 10 || delta * 4 < old) {
                m.pendingLatency(-1); // back near the published value: nothing to announce
                return;
            }
        }
        if (affordable() && updateCost() <= framesPerPeriod()) {
            publishNow(m, latency);
        } else {
            if (m.pendingLatency() < 0) {
                waiting.add(m);
            }
            m.pendingLatency(latency);
        }
    }

    /**
     * A liveness slot, one of {@code slots} in the period: adds the slot's share of the period's
     * budget and spends it on the changes that waited longest. Unspent budget is kept up to one
     * period's worth, or one update when that costs more, so that a session too large for one
     * update per period still gets one every few periods.
     */
    void tick(int slots) {
        long perPeriod = framesPerPeriod();
        frames = Math.min(frames + perPeriod / slots, Math.max(perPeriod, updateCost()));
        while (!waiting.isEmpty() && affordable()) {
            MemberState m = waiting.poll();
            if (m.pendingLatency() >= 0 && roster.contains(m)) {
                publishNow(m, m.pendingLatency());
            }
        }
    }

    /** A liveness period begins: the audience is counted again. */
    void newPeriod() {
        audience = -1;
    }

    private void publishNow(MemberState m, int latency) {
        frames -= updateCost();
        m.pendingLatency(-1);
        publish.publish(m, latency, everyoneSees());
    }

    private boolean affordable() {
        return frames >= updateCost();
    }

    /** Frames one update costs: one per recipient. */
    private int updateCost() {
        if (everyoneSees()) {
            return roster.size();
        }
        if (audience < 0) {
            int count = 0;
            for (MemberState m : roster.guests()) {
                if (inAudience(m)) {
                    count++;
                }
            }
            audience = count;
        }
        return Math.max(1, audience);
    }

    private long framesPerPeriod() {
        return FRAMES_PER_SECOND * periodNanos / 1_000_000_000L;
    }
}
