package dev.loudsync.netty.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.MemberStatus;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.netty.client.ClientListener;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ClientViewTest {

    private static Member member(String id, Member.Role role, long joinedAt) {
        return new Member(id, "Name " + id, role, MemberStatus.CONNECTED, joinedAt, OptionalInt.empty());
    }

    private final Member host = member("host", Member.Role.HOST, 100);
    private final Member a = member("a", Member.Role.CLIENT, 200);
    private final Member b = member("b", Member.Role.CLIENT, 300);
    private final List<String> told = new ArrayList<>();
    private ClientView view;

    /** Records each call with the list the view published when it was made. */
    private final ClientListener listener = new ClientListener() {
        @Override
        public void memberList(List<Member> members) {
            told.add("list " + ids(members) + " seen " + ids(view.members()));
        }

        @Override
        public void memberJoined(Member member) {
            told.add("joined " + member.id() + " seen " + ids(view.members()));
        }

        @Override
        public void memberLeft(String deviceId, LeaveReason reason) {
            told.add("left " + deviceId + " " + reason + " seen " + ids(view.members()));
        }

        @Override
        public void memberUpdated(Member member) {
            told.add("updated " + member.id() + " " + member.status() + " seen " + ids(view.members()));
        }
    };

    private static List<String> ids(List<Member> members) {
        return members.stream().map(Member::id).toList();
    }

    @Test
    void everyChangeIsToldAfterTheNewListIsPublished_inTheOrderOfTheMessage() {
        view = new ClientView(listener, Runnable::run);
        assertThat(view.apply(new HostMessage.MemberList(List.of(a, host)))).isTrue();
        assertThat(view.apply(new HostMessage.MembersChanged(List.of(b), List.of(
                new HostMessage.Departure("a", LeaveReason.LEFT)), List.of(host.withStatus(MemberStatus.RECONNECTING)))))
                .isTrue();
        assertThat(told).containsExactly(
                "list [host, a] seen [host, a]",
                "left a LEFT seen [host, b]",
                "joined b seen [host, b]",
                "updated host RECONNECTING seen [host, b]");
        assertThat(view.members()).containsExactly(host.withStatus(MemberStatus.RECONNECTING), b);
    }

    @Test
    void otherMessagesAndDeltasBeforeTheFirstList_areNotTheViews() {
        view = new ClientView(listener, Runnable::run);
        assertThat(view.apply(new HostMessage.MemberJoined(a))).isFalse();
        assertThat(view.apply(HostMessage.Ping.INSTANCE)).isFalse();
        assertThat(view.members()).isEmpty();
        assertThat(told).isEmpty();
    }

    @Test
    void aListenerThatThrows_doesNotStopTheOthersCalls() {
        List<Runnable> calls = new ArrayList<>();
        view = new ClientView(new ClientListener() {
            @Override
            public void memberJoined(Member member) {
                throw new IllegalStateException("listener bug");
            }
        }, call -> {
            calls.add(call);
            try {
                call.run();
            } catch (RuntimeException e) {
                // what the engine's notify does: log and carry on
            }
        });
        view.apply(new HostMessage.MemberList(List.of(host)));
        view.apply(new HostMessage.MembersChanged(List.of(a, b), List.of(), List.of()));
        assertThat(calls).hasSize(3);
        assertThat(view.members()).containsExactly(host, a, b);
    }
}
