package dev.loudsync.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.Member;
import dev.loudsync.core.protocol.HostMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A guest's view of the member list, as a client builds it: its last {@code MEMBER_LIST} plus the
 * deltas since. Fails at once on a delta that makes no sense (a join of a present member, a leave
 * of an absent one).
 */
public final class GuestView {

    private static final Comparator<Member> ORDER = Comparator
            .comparing((Member m) -> !m.isHost())
            .thenComparingLong(Member::joinedAt)
            .thenComparing(Member::id);

    private Map<String, Member> members;

    public boolean hasList() {
        return members != null;
    }

    void apply(HostMessage message) {
        if (message instanceof HostMessage.MemberList) {
            members = new LinkedHashMap<>();
            for (Member m : ((HostMessage.MemberList) message).members()) {
                assertThat(members.put(m.id(), m)).as("duplicate in MEMBER_LIST: %s", m.id()).isNull();
            }
        } else if (members == null) {
            return;
        } else if (message instanceof HostMessage.MemberJoined) {
            join(((HostMessage.MemberJoined) message).member());
        } else if (message instanceof HostMessage.MemberLeft) {
            leave(((HostMessage.MemberLeft) message).deviceId());
        } else if (message instanceof HostMessage.MemberUpdated) {
            update(((HostMessage.MemberUpdated) message).member());
        } else if (message instanceof HostMessage.MembersChanged) {
            HostMessage.MembersChanged c = (HostMessage.MembersChanged) message;
            for (HostMessage.Departure d : c.left()) {
                leave(d.deviceId());
            }
            for (Member m : c.joined()) {
                join(m);
            }
            for (Member m : c.updated()) {
                update(m);
            }
        }
    }

    private void join(Member m) {
        assertThat(members).as("MEMBER_JOINED for a present member %s", m.id()).doesNotContainKey(m.id());
        members.put(m.id(), m);
    }

    private void leave(String id) {
        assertThat(members).as("MEMBER_LEFT for an absent member %s", id).containsKey(id);
        members.remove(id);
    }

    private void update(Member m) {
        assertThat(members).as("MEMBER_UPDATED for an absent member %s", m.id()).containsKey(m.id());
        members.put(m.id(), m);
    }

    /** The view in list order (host first, then joinedAt, then id). */
    public List<Member> members() {
        List<Member> list = new ArrayList<>(members.values());
        list.sort(ORDER);
        return list;
    }
}
