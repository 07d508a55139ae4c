package dev.loudsync.tests.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member.Role;
import dev.loudsync.core.Member;
import dev.loudsync.core.MemberStatus;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.Capability;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.testing.InMemoryGuest;
import dev.loudsync.testing.SessionEvents;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md, "Version 1.1 extensions", "Server-hosted sessions" and the idle timeout. */
class ServerHostedTest {

    private final Harness h = new Harness();
    private final SessionEvents events = new SessionEvents();

    private Session open(UnaryOperator<SessionConfig.Builder> customize) {
        Session s = h.openServerHosted(b -> customize.apply(b.latencyProbes(false).maxMembers(8)));
        s.addListener(events);
        return s;
    }

    private InMemoryGuest joinLater(Session s, String id) {
        h.advanceMillis(1);
        return h.join(s, id);
    }

    @Test
    void firstMemberAdmitted_isTheHost_namedByItsOwnWelcome_andFirstInEveryList() {
        Session s = open(b -> b);
        assertThat(s.members()).isEmpty();
        assertThat(s.host()).isEmpty();
        InMemoryGuest a = h.join(s, "a");
        HostMessage.Welcome w = a.next(HostMessage.Welcome.class);
        assertThat(w.hostId()).isEqualTo("a");
        assertThat(w.hostName()).isEqualTo("Guest a");
        Member host = a.next(HostMessage.MemberList.class).members().get(0);
        assertThat(host.id()).isEqualTo("a");
        assertThat(host.role()).isEqualTo(Role.HOST);
        assertThat(host.isHost()).isTrue();

        InMemoryGuest b = joinLater(s, "b");
        assertThat(b.next(HostMessage.Welcome.class).hostId()).isEqualTo("a");
        assertThat(b.next(HostMessage.MemberList.class).members()).extracting(Member::id, Member::role)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", Role.HOST),
                        org.assertj.core.groups.Tuple.tuple("b", Role.CLIENT));
        assertThat(s.host()).map(Member::id).contains("a");
    }

    @Test
    void hostLeaving_passesTheRoleToTheFirstCohost_othersGetMemberLeftThenHostChanged() {
        Session s = open(b -> b);
        InMemoryGuest a = h.join(s, "a");
        InMemoryGuest b = joinLater(s, "b");
        InMemoryGuest c = joinLater(s, "c");
        s.setRole("c", Role.COHOST).join();
        b.drain();
        c.drain();

        a.send(new GuestMessage.Leave(null));

        for (InMemoryGuest g : List.of(b, c)) {
            assertThat(g.next(HostMessage.MemberLeft.class).deviceId()).isEqualTo("a");
            HostMessage.HostChanged changed = g.next(HostMessage.HostChanged.class);
            assertThat(changed.hostId()).isEqualTo("c");
            assertThat(changed.hostName()).isEqualTo("Guest c");
            assertThat(changed.previousHostId()).isEqualTo("a");
            assertThat(changed.reason()).isEqualTo("Host left");
            Member updated = g.next(HostMessage.MemberUpdated.class).member();
            assertThat(updated.id()).isEqualTo("c");
            assertThat(updated.role()).isEqualTo(Role.HOST);
            g.assertNothingUnread();
            assertThat(g.members()).isEqualTo(s.members());
        }
        assertThat(s.members()).extracting(Member::id).containsExactly("c", "b");
        assertThat(events.lines()).contains("host c after a");
    }

    @Test
    void withoutCohosts_theClientWhoJoinedFirstBecomesHost() {
        Session s = open(b -> b);
        InMemoryGuest a = h.join(s, "a");
        InMemoryGuest b = joinLater(s, "b");
        InMemoryGuest c = joinLater(s, "c");
        c.drain();
        a.drop();
        assertThat(s.host()).map(Member::id).contains("b");
        assertThat(c.next(HostMessage.MemberLeft.class).reason()).isEqualTo(LeaveReason.CONNECTION_LOST);
        assertThat(c.next(HostMessage.HostChanged.class).hostId()).isEqualTo("b");
        assertThat(b.members().get(0).id()).isEqualTo("b");
    }

    @Test
    void hostWithReconnectGrace_staysHostWhileReconnecting_andPassesTheRoleWhenTheGraceEnds() {
        Session s = open(b -> b.reconnectGrace(Duration.ofSeconds(10)));
        InMemoryGuest a = h.join(s, "a");
        InMemoryGuest b = joinLater(s, "b");
        b.drain();
        a.drop();
        assertThat(s.host()).map(Member::id).contains("a");
        assertThat(b.next(HostMessage.MemberUpdated.class).member().status()).isEqualTo(MemberStatus.RECONNECTING);
        h.advance(Duration.ofSeconds(15));
        assertThat(b.next(HostMessage.MemberLeft.class).deviceId()).isEqualTo("a");
        assertThat(b.next(HostMessage.HostChanged.class).hostId()).isEqualTo("b");
        assertThat(s.host()).map(Member::id).contains("b");
    }

    @Test
    void transferHost_keepsTheOldHostAsClient_withReasonTransferred_andTheNewHostFirst() {
        Session s = open(b -> b);
        InMemoryGuest a = h.join(s, "a");
        InMemoryGuest b = joinLater(s, "b");
        InMemoryGuest c = joinLater(s, "c");
        a.drain();
        b.drain();
        c.drain();

        a.send(new GuestMessage.TransferHost("c", "t1"));

        HostMessage.HostChanged changed = b.next(HostMessage.HostChanged.class);
        assertThat(changed.hostId()).isEqualTo("c");
        assertThat(changed.previousHostId()).isEqualTo("a");
        assertThat(changed.reason()).isEqualTo("Transferred");
        assertThat(s.members()).extracting(Member::id, Member::role).containsExactly(
                org.assertj.core.groups.Tuple.tuple("c", Role.HOST),
                org.assertj.core.groups.Tuple.tuple("a", Role.CLIENT),
                org.assertj.core.groups.Tuple.tuple("b", Role.CLIENT));
        for (InMemoryGuest g : List.of(a, b, c)) {
            assertThat(g.members()).isEqualTo(s.members());
        }
        List<HostMessage> toSender = a.drain();
        assertThat(toSender.get(toSender.size() - 1)).isInstanceOf(HostMessage.Ack.class);
        // the old host no longer may transfer
        a.send(new GuestMessage.TransferHost("b", "t2"));
        assertThat(a.nextError().code()).isEqualTo(ErrorCode.UNAUTHORIZED);
    }

    @Test
    void transferHostViaTheApi_andToItself_orToNobody() {
        Session s = open(b -> b);
        InMemoryGuest a = h.join(s, "a");
        joinLater(s, "b");
        assertThat(s.transferHost("b").join()).isTrue();
        assertThat(s.transferHost("b").join()).isFalse();
        assertThat(s.transferHost("nobody").join()).isFalse();
        a.drain();
        s.transferHost("a").join();
        a.send(new GuestMessage.TransferHost("a", "t1"));
        assertThat(a.drain()).filteredOn(m -> m instanceof HostMessage.Error)
                .extracting(m -> ((HostMessage.Error) m).code()).containsExactly(ErrorCode.INVALID_MESSAGE);
    }

    @Test
    void endSession_byTheHost_closesItWithTheReason_afterAnsweringTheSender() {
        Session s = open(b -> b);
        InMemoryGuest a = h.join(s, "a");
        InMemoryGuest b = joinLater(s, "b");
        a.drain();
        b.drain();
        a.send(new GuestMessage.EndSession("Party's over", "e1"));
        assertThat(a.next(HostMessage.Ack.class).replyTo()).isEqualTo("e1");
        assertThat(a.next(HostMessage.SessionClosed.class).reason()).isEqualTo("Party's over");
        assertThat(b.next(HostMessage.SessionClosed.class).reason()).isEqualTo("Party's over");
        assertThat(b.closeCode()).isEqualTo(CloseCode.NORMAL);
        assertThat(s.isOpen()).isFalse();
    }

    @Test
    void endSession_withoutReason_usesTheDefault_andAClientMayNotEndIt() {
        Session s = open(b -> b);
        InMemoryGuest a = h.join(s, "a");
        InMemoryGuest b = joinLater(s, "b");
        b.drain();
        b.send(new GuestMessage.EndSession(null, null));
        assertThat(b.nextError().code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        a.drain();
        a.send(new GuestMessage.EndSession(null, null));
        assertThat(b.next(HostMessage.SessionClosed.class).reason()).isEqualTo("Host closed session");
    }

    @Test
    void emptySession_closesAfterItsEmptyTimeout_andItsCodeStopsBeingJoinable() {
        Session s = open(b -> b.emptyTimeout(Duration.ofSeconds(60)));
        InMemoryGuest a = h.join(s, "a");
        a.send(new GuestMessage.Leave(null));
        h.advance(Duration.ofSeconds(59));
        assertThat(s.isOpen()).isTrue();
        h.advance(Duration.ofSeconds(6)); // at most one tick after the timeout
        assertThat(s.isOpen()).isFalse();
        assertThat(events.lines()).contains("closed");
        InMemoryGuest late = h.join(s, "late");
        assertThat(late.nextError().code()).isEqualTo(ErrorCode.SESSION_NOT_FOUND);
        assertThat(late.closeCode()).isEqualTo(CloseCode.SESSION_NOT_FOUND);
    }

    @Test
    void sessionThatNobodyJoins_closesAfterTheEmptyTimeoutToo_butAJoinInTimeKeepsIt() {
        Session never = open(b -> b);
        h.advance(Duration.ofSeconds(66));
        assertThat(never.isOpen()).isFalse();

        Session kept = h.registry.open(SessionConfig.builder().sessionId("KEPT1").serverHosted().build());
        h.advance(Duration.ofSeconds(30));
        InMemoryGuest a = h.join(kept, "a");
        for (int i = 0; i < 24; i++) {
            h.advance(Duration.ofSeconds(5));
            a.send(new GuestMessage.Heartbeat("a", null));
        }
        assertThat(kept.isOpen()).isTrue();
    }

    @Test
    void idleTimeout_endsASessionWithoutApplicationMessagesOrJoins_withSessionExpired() {
        Session s = h.open(b -> b.latencyProbes(false).idleTimeout(Duration.ofMinutes(30)));
        s.handle("CHAT", (session, sender, m) -> { });
        InMemoryGuest a = h.join(s, "a");
        a.drain();
        for (int i = 0; i < 30 * 12; i++) {
            h.advance(Duration.ofSeconds(5));
            a.send(new GuestMessage.Heartbeat("a", null)); // heartbeats keep the member, not the session
        }
        assertThat(s.isOpen()).isFalse();
        assertThat(a.drain()).filteredOn(m -> m instanceof HostMessage.SessionClosed)
                .extracting(m -> ((HostMessage.SessionClosed) m).reason()).containsExactly("Session expired");
        assertThat(a.closeCode()).isEqualTo(CloseCode.NORMAL);
        assertThat(s.isOpen()).isFalse();
    }

    @Test
    void applicationMessages_keepAnIdleTimeoutFromEndingTheSession() {
        Session s = h.open(b -> b.latencyProbes(false).idleTimeout(Duration.ofMinutes(30)));
        s.handle("CHAT", (session, sender, m) -> { });
        InMemoryGuest a = h.join(s, "a");
        for (int i = 0; i < 60 * 12; i++) {
            h.advance(Duration.ofSeconds(5));
            a.send(i % 12 == 0 ? new ApplicationMessage("CHAT", Map.of()) : new GuestMessage.Heartbeat("a", null));
        }
        assertThat(s.isOpen()).isTrue();
        assertThat(a.isOpen()).isTrue();
    }

    @Test
    void batchingGuests_seeTheOldHostLeaveBeforeTheHostChange() {
        Session s = open(b -> b);
        InMemoryGuest a = h.join(s, "a");
        InMemoryGuest b = joinLater(s, "b");
        InMemoryGuest c = h.join(GuestMessage.Join.of(s.id(), "c", "C").withCapabilities(
                java.util.Set.of(Capability.MEMBERS_CHANGED)));
        h.advance(Duration.ofSeconds(1));
        c.drain();
        b.send(new GuestMessage.Leave(null)); // a lone change: sent at once
        a.drop(); // inside the window: held, then flushed before HOST_CHANGED
        List<HostMessage> got = c.drain();
        assertThat(got).extracting(HostMessage::type).startsWith("MEMBERS_CHANGED", "MEMBERS_CHANGED", "HOST_CHANGED");
        h.advance(Duration.ofMillis(50));
        assertThat(c.members()).isEqualTo(s.members());
        assertThat(s.members()).extracting(Member::id).containsExactly("c");
    }
}
