package dev.loudsync.tests.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.MemberStatus;
import dev.loudsync.core.Session;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.GuestMessage.Join;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.testing.InMemoryGuest;
import dev.loudsync.testing.SessionEvents;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md, "Resume (extension)". */
class ResumeTest {

    private final Harness h = new Harness();
    private final SessionEvents events = new SessionEvents();

    /** Lets {@code seconds} pass while {@code c} answers keep-alive probes. */
    private void keepAlive(InMemoryGuest c, int seconds) {
        for (int i = 0; i < seconds; i++) {
            h.advance(Duration.ofSeconds(1));
            c.handler().onSignOfLife();
        }
    }

    @Test
    void resumeWithToken_takesTheMembershipOver_withoutChurnForTheOthers() {
        Session s = h.open(b -> b.latencyProbes(false));
        s.addListener(events);
        InMemoryGuest old = h.join(s, "phone");
        String token = old.next(HostMessage.Welcome.class).resumeToken();
        long joinedAt = s.members().get(1).joinedAt();
        h.advanceMillis(1);
        InMemoryGuest other = h.join(s, "other");
        other.drain();
        events.take();
        h.advance(Duration.ofSeconds(3));

        InMemoryGuest fresh = h.join(Join.of(s.id(), "phone", "Guest phone").withResumeToken(token));
        HostMessage.Welcome welcome = fresh.next(HostMessage.Welcome.class);
        assertThat(fresh.next(HostMessage.MemberList.class).members()).extracting(Member::id)
                .containsExactly("host-1", "phone", "other");
        assertThat(welcome.resumeToken()).isNotEqualTo(token);
        assertThat(old.closeCode()).isEqualTo(CloseCode.REPLACED);
        assertThat(CloseCode.REPLACED.code()).isEqualTo(4506);
        assertThat(s.members().get(1).joinedAt()).isEqualTo(joinedAt);
        other.assertNothingUnread();
        assertThat(events.take()).isEmpty();

        // the old connection's close report does not affect the membership
        assertThat(s.members()).extracting(Member::id).containsExactly("host-1", "phone", "other");
        assertThat(fresh.isOpen()).isTrue();
    }

    @Test
    void resumeWithWrongToken_isAlreadyJoined_andTheOldConnectionIsUndisturbed() {
        Session s = h.open();
        InMemoryGuest old = h.join(s, "phone");
        old.drain();
        InMemoryGuest thief = h.join(Join.of(s.id(), "phone", "x").withResumeToken("guess"));
        assertThat(thief.nextError().code()).isEqualTo(ErrorCode.ALREADY_JOINED);
        assertThat(thief.closeCode()).isEqualTo(CloseCode.ALREADY_JOINED);
        assertThat(old.isOpen()).isTrue();
        old.assertNothingUnread();
    }

    @Test
    void anOldTokenStopsWorkingOnceUsed() {
        Session s = h.open();
        String token = h.join(s, "phone").next(HostMessage.Welcome.class).resumeToken();
        h.join(Join.of(s.id(), "phone", "p").withResumeToken(token)).next(HostMessage.Welcome.class);
        InMemoryGuest replay = h.join(Join.of(s.id(), "phone", "p").withResumeToken(token));
        assertThat(replay.nextError().code()).isEqualTo(ErrorCode.ALREADY_JOINED);
    }

    @Test
    void tokenOfAnotherDevice_doesNotResume() {
        Session s = h.open();
        String tokenA = h.join(s, "a").next(HostMessage.Welcome.class).resumeToken();
        h.join(s, "b");
        InMemoryGuest c = h.join(Join.of(s.id(), "b", "b").withResumeToken(tokenA));
        assertThat(c.nextError().code()).isEqualTo(ErrorCode.ALREADY_JOINED);
    }

    @Test
    void resumeStillNeedsThePin() {
        Session s = h.open(b -> b.pin("9999"));
        String token = h.join(Join.of(s.id(), "a", "n").withPin("9999")).next(HostMessage.Welcome.class)
                .resumeToken();
        InMemoryGuest c = h.join(Join.of(s.id(), "a", "n").withResumeToken(token));
        assertThat(c.nextError().code()).isEqualTo(ErrorCode.UNAUTHORIZED);
    }

    @Test
    void resumeIntoAFullSession_works() {
        Session s = h.open(b -> b.maxMembers(2));
        String token = h.join(s, "a").next(HostMessage.Welcome.class).resumeToken();
        h.join(Join.of(s.id(), "a", "Guest a").withResumeToken(token)).next(HostMessage.Welcome.class);
    }

    @Test
    void withoutGrace_aLostConnectionLeavesAtOnce() {
        Session s = h.open();
        InMemoryGuest a = h.join(s, "a");
        InMemoryGuest other = h.join(s, "other");
        other.drain();
        a.drop();
        assertThat(other.next(HostMessage.MemberLeft.class).reason()).isEqualTo(LeaveReason.CONNECTION_LOST);
    }

    @Test
    void withGrace_aLostMemberIsReconnecting_untilItResumes() {
        Session s = h.open(b -> b.reconnectGrace(Duration.ofSeconds(30)).latencyProbes(false));
        s.addListener(events);
        InMemoryGuest a = h.join(s, "a");
        String token = a.next(HostMessage.Welcome.class).resumeToken();
        InMemoryGuest other = h.join(s, "other");
        other.drain();
        events.take();

        a.drop();
        Member reconnecting = other.next(HostMessage.MemberUpdated.class).member();
        assertThat(reconnecting.id()).isEqualTo("a");
        assertThat(reconnecting.status()).isEqualTo(MemberStatus.RECONNECTING);
        assertThat(s.members().get(1).status()).isEqualTo(MemberStatus.RECONNECTING);

        keepAlive(other, 25); // past the heartbeat timeout: grace, not heartbeat, applies
        assertThat(s.members()).hasSize(3);
        other.drain();

        InMemoryGuest back = h.join(Join.of(s.id(), "a", "Guest a").withResumeToken(token));
        back.next(HostMessage.Welcome.class);
        assertThat(other.next(HostMessage.MemberUpdated.class).member().status())
                .isEqualTo(MemberStatus.CONNECTED);
        other.assertNothingUnread();
        assertThat(other.members()).isEqualTo(s.members());
        assertThat(events.take()).containsExactly("updated a RECONNECTING", "updated a CONNECTED");
    }

    @Test
    void withGrace_aLostMemberLeavesWhenTheGraceEnds() {
        Session s = h.open(b -> b.reconnectGrace(Duration.ofSeconds(30)).latencyProbes(false));
        InMemoryGuest a = h.join(s, "a");
        InMemoryGuest other = h.join(s, "other");
        a.drop();
        other.drain();
        keepAlive(other, 29);
        assertThat(s.members()).hasSize(3);
        other.assertNothingUnread();
        keepAlive(other, 6); // one check interval after the grace at the latest
        HostMessage.MemberLeft left = other.next(HostMessage.MemberLeft.class);
        assertThat(left.deviceId()).isEqualTo("a");
        assertThat(left.reason().wireText()).isEqualTo("Connection closed");
        assertThat(s.members()).hasSize(2);
    }

    @Test
    void withGrace_anExplicitLeaveOrKickStillLeavesAtOnce() {
        Session s = h.open(b -> b.reconnectGrace(Duration.ofSeconds(30)));
        InMemoryGuest a = h.join(s, "a");
        InMemoryGuest b = h.join(s, "b");
        a.send(new dev.loudsync.core.protocol.GuestMessage.Leave(null));
        s.kick("b", "x").join();
        assertThat(s.members()).hasSize(1);
        assertThat(b.closeCode()).isEqualTo(CloseCode.KICKED);
    }
}
