package dev.loudsync.core.internal;

import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.protocol.HostMessage;

/**
 * The changes of membership every part makes the same way: a connection detached, a member removed
 * or updated. Each change is applied to the {@link Roster}, then announced by the
 * {@link Announcer}, then told to listeners, within one task of the session's executor.
 */
final class Membership {

    private final Roster roster;
    private final Announcer announcer;
    private final Listeners listeners;
    private Admission admission;
    private Hosting hosting;
    private Liveness liveness;

    Membership(Roster roster, Announcer announcer, Listeners listeners) {
        this.roster = roster;
        this.announcer = announcer;
        this.listeners = listeners;
    }

    /** The parts that react to membership changes, which are made after this one. */
    void wire(Admission joinChecks, Hosting roles, Liveness tick) {
        this.admission = joinChecks;
        this.hosting = roles;
        this.liveness = tick;
    }

    /**
     * Detaches a connection: later events of it are ignored, and a join request it had waiting is
     * withdrawn. The membership, if any, stays: callers remove it as they need.
     */
    void detach(GuestConnection c) {
        MemberState m = c.member();
        PendingJoin p = c.finish();
        if (p != null) {
            admission.withdraw(p);
        }
        if (m != null) {
            m.connectionGone(c);
        }
    }

    /**
     * Removes a member and tells everyone; the caller closes its connection as it needs. When the
     * host of a server-hosted session leaves, the role passes on.
     */
    void remove(MemberState m, LeaveReason reason) {
        boolean wasHost = m.member().isHost();
        roster.remove(m);
        if (m.isConnected()) {
            detach(m.connection());
        }
        announcer.left(m.id(), reason);
        listeners.memberLeft(m.member(), reason);
        if (wasHost) {
            hosting.hostLeft(m);
        }
        if (roster.size() == 0) {
            liveness.emptied();
        }
    }

    /** A member's new state: applied, announced, told. */
    void update(MemberState m, Member newState) {
        m.update(newState);
        roster.changed(m);
        announceUpdate(m);
    }

    /**
     * A member's new latency: applied and told like any update, but announced only to its audience
     * when the session is too large for everyone to see latencies (see {@link Latency}).
     */
    void latencyChanged(MemberState m, Member newState, boolean everyoneSees) {
        if (everyoneSees) {
            update(m, newState);
            return;
        }
        m.update(newState);
        roster.changed(m);
        announcer.inOrder(new HostMessage.MemberUpdated(newState), Latency::inAudience);
        listeners.memberUpdated(newState);
    }

    /** Announces and tells a member's state that is already on the roster. */
    void announceUpdate(MemberState m) {
        announcer.updated(m.member());
        listeners.memberUpdated(m.member());
    }
}
