package dev.loudsync.tests.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.JoinRequest;
import dev.loudsync.core.Member;
import dev.loudsync.core.Session;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.testing.InMemoryGuest;
import dev.loudsync.testing.SessionEvents;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md, "Joining": host approval (extension). */
class ApprovalTest {

    private final Harness h = new Harness();
    private final SessionEvents events = new SessionEvents();
    private Session s;
    private InMemoryGuest member;

    @BeforeEach
    void sessionWithApproval() {
        s = h.open(b -> b.requireApproval(true).maxMembers(3).latencyProbes(false));
        s.addListener(events);
        member = h.join(s, "m");
        s.approve("m").join();
        member.drain();
        events.take();
    }

    @Test
    void joinWaitsWithJoinPending_andTheHostIsAsked() {
        InMemoryGuest g = h.join(s, "g");
        assertThat(g.next(HostMessage.JoinPending.class).message()).isNotBlank();
        g.assertNothingUnread();
        member.assertNothingUnread();
        assertThat(events.take()).containsExactly("requested g");
        assertThat(s.pendingRequests()).extracting(JoinRequest::deviceId).containsExactly("g");
        assertThat(s.members()).hasSize(2);
    }

    @Test
    void approve_runsTheSuccessSequence() {
        h.advanceMillis(1);
        InMemoryGuest g = h.join(s, "g");
        g.drain();
        assertThat(s.approve("g").join()).isTrue();
        g.next(HostMessage.Welcome.class);
        assertThat(g.next(HostMessage.MemberList.class).members()).extracting(Member::id)
                .containsExactly("host-1", "m", "g");
        assertThat(member.next(HostMessage.MemberJoined.class).member().id()).isEqualTo("g");
        assertThat(s.pendingRequests()).isEmpty();
    }

    @Test
    void deny_refusesWithUnauthorizedJoinRequestDenied_andClose4501() {
        InMemoryGuest g = h.join(s, "g");
        g.drain();
        assertThat(s.deny("g").join()).isTrue();
        HostMessage.Error e = g.nextError();
        assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(e.message()).isEqualTo("Join request denied");
        assertThat(g.closeCode()).isEqualTo(CloseCode.UNAUTHORIZED);
        member.assertNothingUnread();
        assertThat(s.deny("g").join()).isFalse();
    }

    @Test
    void approvalWhenTheSessionFilledMeanwhile_isSessionFull() {
        InMemoryGuest g1 = h.join(s, "g1");
        InMemoryGuest g2 = h.join(s, "g2");
        g1.drain();
        g2.drain();
        assertThat(s.approve("g1").join()).isTrue();
        assertThat(s.approve("g2").join()).isFalse();
        assertThat(g2.nextError().message()).isEqualTo("Session is full (3/3)");
        assertThat(g2.closeCode()).isEqualTo(CloseCode.SESSION_FULL);
    }

    @Test
    void whileWaiting_pingIsAnswered_andOtherMessagesAreUnauthorized() {
        InMemoryGuest g = h.join(s, "g");
        g.drain();
        g.send(new GuestMessage.Ping(7L));
        assertThat(g.next(HostMessage.Pong.class).pingTimestamp()).isEqualTo(7L);
        g.send(new GuestMessage.Heartbeat("g", null));
        assertThat(g.nextError().message()).isEqualTo("Join the session first");
        assertThat(g.isOpen()).isTrue();
    }

    @Test
    void aWaitingGuestThatLeavesOrDisconnects_withdrawsItsRequest() {
        InMemoryGuest g1 = h.join(s, "g1");
        InMemoryGuest g2 = h.join(s, "g2");
        g1.send(new GuestMessage.Leave(null));
        g2.drop();
        assertThat(g1.closeCode()).isEqualTo(CloseCode.NORMAL);
        assertThat(s.pendingRequests()).isEmpty();
        assertThat(s.approve("g1").join()).isFalse();
    }

    @Test
    void aSecondRequestForAWaitingDevice_isAlreadyJoined_andTheFirstKeepsWaiting() {
        InMemoryGuest g = h.join(s, "g");
        InMemoryGuest again = h.join(s, "g");
        assertThat(again.nextError().code()).isEqualTo(ErrorCode.ALREADY_JOINED);
        assertThat(g.isOpen()).isTrue();
        assertThat(s.pendingRequests()).hasSize(1);
    }

    @Test
    void kickOfAWaitingDevice_deniesIt() {
        InMemoryGuest g = h.join(s, "g");
        g.drain();
        assertThat(s.kick("g", "no").join()).isTrue();
        assertThat(g.nextError().message()).isEqualTo("Join request denied");
    }

    @Test
    void aWaitingConnectionThatGoesSilent_isDropped() {
        InMemoryGuest g = h.join(s, "g");
        h.advance(Duration.ofSeconds(20));
        assertThat(g.closeCode()).isEqualTo(CloseCode.HEARTBEAT_TIMEOUT);
        assertThat(s.pendingRequests()).isEmpty();
    }

    @Test
    void closingTheSession_tellsWaitingGuestsToo() {
        InMemoryGuest g = h.join(s, "g");
        g.drain();
        s.close().join();
        assertThat(g.next(HostMessage.SessionClosed.class).reason()).isEqualTo("Host closed session");
        assertThat(g.closeCode()).isEqualTo(CloseCode.NORMAL);
    }
}
