package dev.loudsync.core.internal;

import dev.loudsync.core.Member;
import dev.loudsync.core.transport.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A session's members: the host device and the guests, in list order, and the immutable snapshot
 * everyone else reads.
 *
 * <p>Invariants: {@link #guests()} is sorted by {@link MemberState#LIST_ORDER} and holds each member
 * of {@code byId} once; {@link #snapshot()} is the host followed by the guests' {@link Member}s, as
 * of the last change. Confined to the session's executor, but {@link #snapshot()}, which any
 * thread may read.
 */
final class Roster {

    private final MemberState host;
    private final Map<String, MemberState> byId = new HashMap<>();
    /** Kept sorted; a join nearly always lands at the end. */
    private final ArrayList<MemberState> guests = new ArrayList<>();
    private volatile List<Member> snapshot;

    Roster(Member hostDevice) {
        this.host = new MemberState(hostDevice);
        this.snapshot = List.of(hostDevice);
    }

    MemberState host() {
        return host;
    }

    /** The guest with this id, or null. */
    MemberState guest(String deviceId) {
        return byId.get(deviceId);
    }

    /** Whether {@code m} is (still) a member. */
    boolean contains(MemberState m) {
        return byId.get(m.id()) == m;
    }

    /** The guests in list order; read-only, and not to be changed while iterated. */
    List<MemberState> guests() {
        return Collections.unmodifiableList(guests);
    }

    /** Members, the host included. */
    int size() {
        return guests.size() + 1;
    }

    List<Member> snapshot() {
        return snapshot;
    }

    void add(MemberState m) {
        byId.put(m.id(), m);
        int at = Collections.binarySearch(guests, m, MemberState.LIST_ORDER);
        guests.add(at < 0 ? -at - 1 : at, m);
        changed();
    }

    void remove(MemberState m) {
        byId.remove(m.id());
        int at = Collections.binarySearch(guests, m, MemberState.LIST_ORDER);
        if (at >= 0) {
            guests.remove(at);
        }
        changed();
    }

    /** Takes every guest out, for the session's close; returns them in list order. */
    List<MemberState> clear() {
        List<MemberState> gone = new ArrayList<>(guests);
        guests.clear();
        byId.clear();
        changed();
        return gone;
    }

    /** A member's {@link Member} changed (its place did not): publishes a new snapshot. */
    void changed() {
        Member[] list = new Member[guests.size() + 1];
        list[0] = host.member();
        for (int i = 0; i < guests.size(); i++) {
            list[i + 1] = guests.get(i).member();
        }
        snapshot = Collections.unmodifiableList(Arrays.asList(list));
    }

    /**
     * The connections of connected guests that got their welcome, except {@code except}'s, and only
     * those without batching if {@code nonBatchingOnly}.
     */
    List<Connection> connections(MemberState except, boolean nonBatchingOnly) {
        List<Connection> to = new ArrayList<>(guests.size());
        for (MemberState m : guests) {
            if (m != except && m.isConnected() && !m.awaitsWelcome() && !(nonBatchingOnly && m.isBatching())) {
                to.add(m.connection().connection());
            }
        }
        return to;
    }
}
