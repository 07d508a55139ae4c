package dev.loudsync.core.internal;

import dev.loudsync.core.Member;
import dev.loudsync.core.transport.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A session's members in list order, and the immutable snapshot everyone else reads.
 *
 * <p>A LAN-hosted session has a host device: a member without a connection, always first. A
 * server-hosted session has none: its host is a guest, first because of its role.
 *
 * <p>Invariants: {@link #guests()} is sorted by {@link MemberState#LIST_ORDER} and holds each guest
 * of {@code byId} once; at most one member has the host role; {@link #snapshot()} is the host
 * device (if any) followed by the guests' {@link Member}s, as of the last change. Confined to the
 * session's executor, but {@link #snapshot()}, which any thread may read.
 */
final class Roster {

    /** The host device of a LAN-hosted session; null in a server-hosted one. */
    private final MemberState hostDevice;
    private final Map<String, MemberState> byId = new HashMap<>();
    /** Kept sorted; a join nearly always lands at the end. */
    private final ArrayList<MemberState> guests = new ArrayList<>();
    private volatile List<Member> snapshot;
    /** The phase the next new member gets: members are spread over the liveness period in join order. */
    private int nextPhase;
    /** Guests added since {@link #takeAdded} last ran: the liveness check places them in their slot. */
    private final ArrayList<MemberState> added = new ArrayList<>();

    /** @param hostDevice the host device, or null for a server-hosted session */
    Roster(Member hostDevice) {
        this.hostDevice = hostDevice == null ? null : new MemberState(hostDevice);
        this.snapshot = hostDevice == null ? List.of() : List.of(hostDevice);
    }

    /** The host device, or null in a server-hosted session. */
    MemberState hostDevice() {
        return hostDevice;
    }

    /** The member with the host role: the host device, else the first guest if it has the role; or null. */
    MemberState host() {
        if (hostDevice != null) {
            return hostDevice;
        }
        return !guests.isEmpty() && guests.get(0).member().isHost() ? guests.get(0) : null;
    }

    /** The guest with this id, or null. */
    MemberState guest(String deviceId) {
        return byId.get(deviceId);
    }

    /** Whether {@code deviceId} is a member: a guest or the host device. */
    boolean isMember(String deviceId) {
        return byId.containsKey(deviceId) || (hostDevice != null && hostDevice.id().equals(deviceId));
    }

    /** Whether {@code m} is (still) a member. */
    boolean contains(MemberState m) {
        return byId.get(m.id()) == m;
    }

    /** The guests in list order; read-only, and not to be changed while iterated. */
    List<MemberState> guests() {
        return Collections.unmodifiableList(guests);
    }

    /** Members, the host device included. */
    int size() {
        return guests.size() + (hostDevice != null ? 1 : 0);
    }

    List<Member> snapshot() {
        return snapshot;
    }

    void add(MemberState m) {
        m.phaseIfNone(nextPhase++ & Integer.MAX_VALUE);
        byId.put(m.id(), m);
        insert(m);
        added.add(m);
        changed();
    }

    /** Hands the guests added since the last call to {@code to}, in the order they came, and forgets them. */
    void takeAdded(Consumer<MemberState> to) {
        for (int i = 0; i < added.size(); i++) {
            to.accept(added.get(i));
        }
        added.clear();
    }

    void remove(MemberState m) {
        byId.remove(m.id());
        take(m);
        changed();
    }

    /**
     * Gives {@code m} a new state whose role may move it in the list (a host change): it takes its
     * new place, and the others keep their order.
     */
    void replace(MemberState m, Member newState) {
        take(m);
        m.update(newState);
        insert(m);
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

    /**
     * {@code m}'s {@link Member} changed, not its place: publishes a new snapshot with it replaced,
     * a copy of the last one rather than a walk over every member's state (a latency change at
     * 10,000 members).
     */
    void changed(MemberState m) {
        int at;
        if (m == hostDevice) {
            at = 0;
        } else {
            int i = Collections.binarySearch(guests, m, MemberState.LIST_ORDER);
            if (i < 0 || guests.get(i) != m) {
                throw new IllegalStateException(m.id() + " is not where its place says");
            }
            at = i + (hostDevice != null ? 1 : 0);
        }
        Member[] list = snapshot.toArray(new Member[0]);
        list[at] = m.member();
        snapshot = Collections.unmodifiableList(Arrays.asList(list));
    }

    /** Members changed (their places did not, or the list is new): publishes a new snapshot. */
    void changed() {
        int offset = hostDevice != null ? 1 : 0;
        Member[] list = new Member[guests.size() + offset];
        if (hostDevice != null) {
            list[0] = hostDevice.member();
        }
        for (int i = 0; i < guests.size(); i++) {
            list[i + offset] = guests.get(i).member();
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
            if (m != except && m.isWelcomed() && !(nonBatchingOnly && m.isBatching())) {
                to.add(m.connection().connection());
            }
        }
        return to;
    }

    private void insert(MemberState m) {
        int at = Collections.binarySearch(guests, m, MemberState.LIST_ORDER);
        guests.add(at < 0 ? -at - 1 : at, m);
    }

    private void take(MemberState m) {
        int at = Collections.binarySearch(guests, m, MemberState.LIST_ORDER);
        if (at >= 0 && guests.get(at) == m) {
            guests.remove(at);
        } else {
            guests.remove(m); // its sort key changed under us: find it the slow way
        }
    }
}
