package dev.loudsync.tests.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.Member;
import dev.loudsync.core.MemberStatus;
import dev.loudsync.core.Session;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.testing.InMemoryGuest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/** The protocol's invariants over a session and its guests' views, for randomized tests. */
public final class SessionInvariants {

    private SessionInvariants() {
    }

    /**
     * Waits until the session is quiet: one batch window for the last changes, and one more if the
     * periodic check (every 5 s from the start) ran inside the first wait.
     */
    public static void quiesce(Harness h, Duration window) {
        long tick = 5_000_000_000L;
        long before = h.time.nanoTime();
        h.advance(window.plusMillis(1));
        if (h.time.nanoTime() / tick != before / tick) {
            h.advance(window.plusMillis(1));
        }
    }

    /**
     * Checks capacity, exactly one host and first, list order, unique ids, one open connection per
     * connected guest, every member's view (members, roles, host) equal to the session's, and every
     * state-keeping guest's state and version equal to the session's; after a close, that no member
     * connection is open. Drains every connection's unread messages, handing each WELCOME to
     * {@code welcomes}.
     */
    public static void check(Session session, List<InMemoryGuest> connections,
            Function<InMemoryGuest, String> deviceOf, Consumer<HostMessage.Welcome> welcomes) {
        if (!session.isOpen()) {
            for (InMemoryGuest c : connections) {
                assertThat(c.isOpen() && c.hasMemberList()).as("member connection open after close").isFalse();
            }
            return;
        }
        List<Member> members = session.members();
        assertThat(members.size()).as("members").isLessThanOrEqualTo(session.config().maxMembers());
        if (!members.isEmpty()) {
            assertThat(members.get(0).isHost()).as("host first").isTrue();
            assertThat(members.stream().filter(Member::isHost)).as("one host").hasSize(1);
            assertThat(session.host()).as("host()").contains(members.get(0));
        }
        assertThat(members.stream().map(Member::id).distinct()).as("unique ids").hasSize(members.size());
        for (int i = 2; i < members.size(); i++) {
            Member a = members.get(i - 1);
            Member b = members.get(i);
            assertThat(a.joinedAt() < b.joinedAt() || (a.joinedAt() == b.joinedAt()
                    && a.id().compareTo(b.id()) < 0)).as("order of %s, %s", a.id(), b.id()).isTrue();
        }
        Map<String, Integer> openMemberConnections = new HashMap<>();
        for (InMemoryGuest c : connections) {
            if (c.isOpen() && c.hasMemberList()) {
                String id = deviceOf.apply(c);
                openMemberConnections.merge(id, 1, Integer::sum);
                assertThat(c.members()).as("view of %s", id).isEqualTo(members);
                if (c.hasState()) {
                    assertThat(c.stateVersion()).as("state version of %s", id).isEqualTo(session.stateVersion());
                    assertThat(c.state()).as("state of %s", id).isEqualTo(session.state());
                }
            }
            for (HostMessage m : c.drain()) {
                if (m instanceof HostMessage.Welcome) {
                    welcomes.accept((HostMessage.Welcome) m);
                }
            }
        }
        for (Member m : members) {
            if (!m.id().equals(session.config().hostId())) {
                int expected = m.status() == MemberStatus.CONNECTED ? 1 : 0;
                assertThat(openMemberConnections.getOrDefault(m.id(), 0)).as("connections of %s", m.id())
                        .isEqualTo(expected);
            }
        }
        assertThat(openMemberConnections.keySet()).as("connections that think they are members")
                .allMatch(id -> members.stream().anyMatch(m -> m.id().equals(id)));
    }

    /**
     * Checks that every request id sent on a connection that is still open was answered exactly
     * once, with an ACK or an ERROR naming it.
     */
    public static void checkAnswered(Map<InMemoryGuest, List<String>> sentIds) {
        sentIds.forEach((c, ids) -> {
            for (String id : ids) {
                int answers = c.answersTo(id);
                if (c.isOpen()) {
                    assertThat(answers).as("answers to %s", id).isEqualTo(1);
                } else {
                    assertThat(answers).as("answers to %s", id).isLessThanOrEqualTo(1);
                }
            }
        });
    }
}
