package dev.loudsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.MemberStatus;
import dev.loudsync.core.internal.MembershipBatcher.Change;
import dev.loudsync.core.protocol.HostMessage;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class MembershipBatcherTest {

    private static Member m(String id, int latency) {
        return new Member(id, "n", Member.Role.CLIENT, MemberStatus.CONNECTED, 1, OptionalInt.of(latency));
    }

    private static HostMessage.Departure gone(String id, LeaveReason r) {
        return new HostMessage.Departure(id, r);
    }

    @Test
    void changesKeepTheirOrderWithinEachList() {
        HostMessage.MembersChanged c = MembershipBatcher.coalesce(List.of(Change.joined(m("b", 1)),
                Change.joined(m("a", 1)), Change.left("x", LeaveReason.LEFT), Change.left("w", LeaveReason.KICKED),
                Change.updated(m("u", 5))));
        assertThat(c.joined()).extracting(Member::id).containsExactly("b", "a");
        assertThat(c.left()).containsExactly(gone("x", LeaveReason.LEFT), gone("w", LeaveReason.KICKED));
        assertThat(c.updated()).extracting(Member::id).containsExactly("u");
    }

    @Test
    void joinedThenLeft_appearsInNeitherList() {
        HostMessage.MembersChanged c = MembershipBatcher.coalesce(List.of(Change.joined(m("a", 1)),
                Change.updated(m("a", 2)), Change.left("a", LeaveReason.LEFT)));
        assertThat(c.joined()).isEmpty();
        assertThat(c.left()).isEmpty();
        assertThat(c.updated()).isEmpty();
    }

    @Test
    void joinedThenUpdated_isOneJoinWithTheLatestState() {
        HostMessage.MembersChanged c = MembershipBatcher.coalesce(List.of(Change.joined(m("a", 1)),
                Change.updated(m("a", 99))));
        assertThat(c.joined()).containsExactly(m("a", 99));
        assertThat(c.updated()).isEmpty();
    }

    @Test
    void leftThenRejoined_isALeaveAndAJoin() {
        HostMessage.MembersChanged c = MembershipBatcher.coalesce(List.of(Change.left("a", LeaveReason.TIMED_OUT),
                Change.joined(m("a", 1))));
        assertThat(c.left()).containsExactly(gone("a", LeaveReason.TIMED_OUT));
        assertThat(c.joined()).containsExactly(m("a", 1));
    }

    @Test
    void leftRejoinedLeftAgain_isOneLeaveWithTheLastReason() {
        HostMessage.MembersChanged c = MembershipBatcher.coalesce(List.of(Change.left("a", LeaveReason.TIMED_OUT),
                Change.joined(m("a", 1)), Change.left("a", LeaveReason.KICKED)));
        assertThat(c.left()).containsExactly(gone("a", LeaveReason.KICKED));
        assertThat(c.joined()).isEmpty();
    }

    @Test
    void updatedThenLeft_isOnlyTheLeave() {
        HostMessage.MembersChanged c = MembershipBatcher.coalesce(List.of(Change.updated(m("a", 1)),
                Change.left("a", LeaveReason.LEFT)));
        assertThat(c.updated()).isEmpty();
        assertThat(c.left()).containsExactly(gone("a", LeaveReason.LEFT));
    }

    @Test
    void changesAfterABaseline_leaveOutWhatTheGuestAlreadyHas() {
        MembershipBatcher b = new MembershipBatcher();
        b.record(Change.joined(m("a", 1)));
        long baseline = b.record(Change.joined(m("b", 1)));
        b.record(Change.joined(m("c", 1)));
        assertThat(b.changesAfter(baseline).joined()).extracting(Member::id).containsExactly("c");
        assertThat(b.changesAfter(0).joined()).extracting(Member::id).containsExactly("a", "b", "c");
        assertThat(b.effectiveBaseline(-5)).isEqualTo(0);
        assertThat(b.hasChangesAfter(3)).isFalse();
        b.clear();
        assertThat(b.hasChanges()).isFalse();
        assertThat(b.record(Change.joined(m("d", 1)))).isEqualTo(4);
    }
}
