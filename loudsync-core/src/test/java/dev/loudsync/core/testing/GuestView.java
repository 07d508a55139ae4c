package dev.loudsync.core.testing;

import static org.assertj.core.api.Assertions.fail;

import dev.loudsync.core.Member;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.protocol.MemberView;
import java.util.List;

/**
 * A guest's view of the member list, as a client builds it ({@link MemberView}): its last
 * {@code MEMBER_LIST} plus the deltas since. Fails at once on a delta that makes no sense (a join
 * of a present member, a leave of an absent one).
 */
public final class GuestView {

    private static final MemberView.Changes STRICT = new MemberView.Changes() {
        @Override
        public void inconsistent(String what) {
            fail("inconsistent delta: " + what);
        }
    };

    private final MemberView view = new MemberView();

    public boolean hasList() {
        return view.hasList();
    }

    void apply(HostMessage message) {
        view.apply(message, STRICT);
    }

    /** The view in list order (host first, then joinedAt, then id). */
    public List<Member> members() {
        return view.members();
    }
}
