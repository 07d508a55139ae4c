package dev.loudsync.core.internal;

import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.protocol.HostMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The membership changes of the current batch window, numbered by a sequence that never restarts.
 *
 * <p>Each batching guest remembers the sequence number its view already contains (its
 * {@code MEMBER_LIST}); at a flush it gets the coalesced changes after that number. Guests that
 * were there before the window share one message, encoded once; a guest that joined inside the
 * window gets only the later part.
 *
 * <p>Internal: public only so that {@code loudsync-benchmarks} can measure it; not API, and may
 * change in any release.
 */
public final class MembershipBatcher {

    /** One change: exactly one of {@code member} (joined, updated) or {@code reason} (left). */
    public record Change(long seq, Kind kind, String id, Member member, LeaveReason reason) {
        /** {@code m} joined. */
        public static Change joined(Member m) {
            return new Change(0, Kind.JOINED, m.id(), m, null);
        }

        static Change left(String id, LeaveReason reason) {
            return new Change(0, Kind.LEFT, id, null, reason);
        }

        static Change updated(Member m) {
            return new Change(0, Kind.UPDATED, m.id(), m, null);
        }

        Change numbered(long n) {
            return new Change(n, kind, id, member, reason);
        }
    }

    /** What a change is. */
    public enum Kind { JOINED, LEFT, UPDATED }

    private final List<Change> window = new ArrayList<>();
    private long seq;

    /** Adds a change to the window and returns its sequence number. */
    public long record(Change change) {
        window.add(change.numbered(++seq));
        return seq;
    }

    /** The sequence number of the newest change. */
    public long seq() {
        return seq;
    }

    /** Whether the window holds a change. */
    public boolean hasChanges() {
        return !window.isEmpty();
    }

    /** Whether the window has a change newer than {@code baseline}. */
    public boolean hasChangesAfter(long baseline) {
        return !window.isEmpty() && seq > baseline;
    }

    /**
     * The baseline to group a guest under: guests whose view predates the window all get the whole
     * window, so they share one key.
     */
    public long effectiveBaseline(long baseline) {
        return window.isEmpty() ? baseline : Math.max(baseline, window.get(0).seq() - 1);
    }

    /** The coalesced changes after {@code baseline}, as one message. */
    public HostMessage.MembersChanged changesAfter(long baseline) {
        int from = 0;
        while (from < window.size() && window.get(from).seq() <= baseline) {
            from++;
        }
        return coalesce(window.subList(from, window.size()));
    }

    /** Empties the window; the sequence goes on. */
    public void clear() {
        window.clear();
    }

    /**
     * Folds changes into one {@code MEMBERS_CHANGED}: a join followed by a leave cancels out, an update
     * after a join is folded into the join, an update before a leave is dropped. Applying
     * {@code left}, then {@code joined}, then {@code updated} gives the same list as applying the
     * changes one by one.
     */
    static HostMessage.MembersChanged coalesce(List<Change> changes) {
        Map<String, Member> joined = new LinkedHashMap<>();
        Map<String, HostMessage.Departure> left = new LinkedHashMap<>();
        Map<String, Member> updated = new LinkedHashMap<>();
        for (Change c : changes) {
            switch (c.kind()) {
                case JOINED:
                    joined.put(c.id(), c.member());
                    break;
                case UPDATED:
                    if (joined.containsKey(c.id())) {
                        joined.put(c.id(), c.member());
                    } else {
                        updated.put(c.id(), c.member());
                    }
                    break;
                case LEFT:
                    updated.remove(c.id());
                    if (joined.remove(c.id()) == null || left.containsKey(c.id())) {
                        left.remove(c.id());
                        left.put(c.id(), new HostMessage.Departure(c.id(), c.reason()));
                    }
                    break;
                default:
                    throw new AssertionError(c.kind());
            }
        }
        return new HostMessage.MembersChanged(new ArrayList<>(joined.values()),
                new ArrayList<>(left.values()), new ArrayList<>(updated.values()));
    }
}
