package dev.loudsync.core.internal;

import dev.loudsync.core.protocol.ProtocolRules;
import dev.loudsync.core.transport.Connection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.BiConsumer;

/**
 * Members' latencies: what the host measures from its {@code PING}s and what guests report in
 * {@code HEARTBEAT.latency}, and which of those changes are published.
 *
 * <p>A change is published only when it is material: from unknown, or by at least 10 ms and a
 * quarter of the published value; so a member's published latency (what everyone's view shows)
 * moves with real changes while jitter costs nothing. Each published change goes to every member,
 * so latency-only updates share a budget of {@value #FRAMES_PER_SECOND} frames per second: a
 * change the budget cannot pay now waits, oldest first, for the next ticks. Where one update costs
 * more than a tick's budget, updates go out only in the tick, beside the keep-alive pings.
 * Confined to the session's executor.
 */
final class Latency {

    /** Frames per second that latency-only {@code MEMBER_UPDATED}s may cost a session. */
    static final int FRAMES_PER_SECOND = 1_000;

    /**
     * Latency probes ({@code PING}) per tick at most: a larger session probes a rotating share of
     * its members each tick, since its budget could not publish more changes anyway.
     */
    static final int MAX_PROBES_PER_TICK = 1_000;

    private final Roster roster;
    private final long tickNanos;
    /** Publishes a member's new latency to everyone. */
    private final BiConsumer<MemberState, Integer> publish;
    /** Members with a material change waiting for the budget, oldest first. */
    private final ArrayDeque<MemberState> waiting = new ArrayDeque<>();
    /** Frames that latency-only updates may still cost before the next tick. */
    private long frames;
    /** Ticks so far: which share of the members the probes go to. */
    private long probeRound;

    Latency(Roster roster, long tickNanos, BiConsumer<MemberState, Integer> publish) {
        this.roster = roster;
        this.tickNanos = tickNanos;
        this.publish = publish;
        this.frames = framesPerTick();
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
        if (affordable() && updateCost() <= framesPerTick()) {
            publishNow(m, latency);
        } else {
            if (m.pendingLatency() < 0) {
                waiting.add(m);
            }
            m.pendingLatency(latency);
        }
    }

    /**
     * The tick: adds a tick's worth to the budget and spends it on the changes that waited longest.
     * Unspent budget is kept up to one tick's worth, or one update when that costs more, so that a
     * session too large for one update per tick still gets one every few ticks.
     */
    void tick() {
        long perTick = framesPerTick();
        frames = Math.min(frames + perTick, Math.max(perTick, updateCost()));
        while (!waiting.isEmpty() && affordable()) {
            MemberState m = waiting.poll();
            if (m.pendingLatency() >= 0 && roster.contains(m)) {
                publishNow(m, m.pendingLatency());
            }
        }
    }

    /** All of {@code connected}, or this tick's share of it when there are too many to probe. */
    List<Connection> probed(List<Connection> connected) {
        int shares = (connected.size() + MAX_PROBES_PER_TICK - 1) / MAX_PROBES_PER_TICK;
        if (shares <= 1) {
            return connected;
        }
        int share = (int) (probeRound++ % shares);
        List<Connection> some = new ArrayList<>(MAX_PROBES_PER_TICK);
        for (int i = share; i < connected.size(); i += shares) {
            some.add(connected.get(i));
        }
        return some;
    }

    private void publishNow(MemberState m, int latency) {
        frames -= updateCost();
        m.pendingLatency(-1);
        publish.accept(m, latency);
    }

    private boolean affordable() {
        return frames >= updateCost();
    }

    /** Frames one update costs: one per member, the host included. */
    private int updateCost() {
        return roster.size();
    }

    private long framesPerTick() {
        return FRAMES_PER_SECOND * tickNanos / 1_000_000_000L;
    }
}
