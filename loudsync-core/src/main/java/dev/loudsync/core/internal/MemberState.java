package dev.loudsync.core.internal;

import dev.loudsync.core.Member;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.protocol.ProtocolRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A member's state inside its session; confined to the session's executor. */
final class MemberState {

    /** Members in {@link ProtocolRules#MEMBER_ORDER list order}. */
    static final Comparator<MemberState> LIST_ORDER = Comparator.comparing(m -> m.member, ProtocolRules.MEMBER_ORDER);

    /** What every member sees; replaced, never mutated. */
    Member member;
    /** The open connection, or null for the host and for a member waiting to resume. */
    GuestConnection connection;
    /** The secret that lets a new connection take this membership over. */
    String resumeToken;
    /** Whether the current connection gets {@code MEMBERS_CHANGED} instead of single messages. */
    boolean batching;
    /**
     * Whether this batching newcomer joined while a batch window was open: its WELCOME and
     * MEMBER_LIST go out with the window's flush; application messages for it wait until then.
     */
    boolean welcomePending;
    /** Application messages sent to this member before its WELCOME, in order; null for none. */
    private List<HostMessage> held;
    /** Sequence number of the last membership change this member's view already contains. */
    long baselineSeq;
    /**
     * Whether the host measured this member's latency (then HEARTBEAT.latency is ignored); written
     * by the session only, volatile because a connection's transport thread reads it too.
     */
    volatile boolean latencyMeasuredByHost;
    /** A material latency measurement waiting for the session's latency budget; -1 for none. */
    int pendingLatency = -1;
    /** While reconnecting: when the grace period ends, in {@code TimeSource.nanoTime()} units. */
    long graceDeadlineNanos;

    MemberState(Member member) {
        this.member = member;
    }

    void holdUntilWelcome(HostMessage message) {
        if (held == null) {
            held = new ArrayList<>();
        }
        held.add(message);
    }

    /** The held messages (null for none); the member holds none afterwards. */
    List<HostMessage> takeHeld() {
        List<HostMessage> h = held;
        held = null;
        return h;
    }

    String id() {
        return member.id();
    }
}
