package dev.loudsync.core.internal;

import dev.loudsync.core.Member;
import java.util.Comparator;

/** A member's state inside its session; confined to the session's executor. */
final class MemberState {

    /** Guests in list order: by joinedAt, then by id. Both never change for a member. */
    static final Comparator<MemberState> LIST_ORDER = Comparator
            .<MemberState>comparingLong(m -> m.member.joinedAt())
            .thenComparing(m -> m.member.id());

    /** What every member sees; replaced, never mutated. */
    Member member;
    /** The open connection, or null for the host and for a member waiting to resume. */
    GuestConnection connection;
    /** The secret that lets a new connection take this membership over. */
    String resumeToken;
    /** Whether the current connection gets {@code MEMBERS_CHANGED} instead of single messages. */
    boolean batching;
    /** Sequence number of the last membership change this member's view already contains. */
    long baselineSeq;
    /** Whether the host measured this member's latency (then HEARTBEAT.latency is ignored). */
    boolean latencyMeasuredByHost;
    /** A material latency measurement waiting for the session's latency budget; -1 for none. */
    int pendingLatency = -1;
    /** While reconnecting: when the grace period ends, in {@code TimeSource.nanoTime()} units. */
    long graceDeadlineNanos;

    MemberState(Member member) {
        this.member = member;
    }

    String id() {
        return member.id();
    }
}
