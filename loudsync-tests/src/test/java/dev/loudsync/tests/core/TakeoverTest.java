package dev.loudsync.tests.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.Member;
import dev.loudsync.core.MemberStatus;
import dev.loudsync.core.Session;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.testing.InMemoryGuest;
import dev.loudsync.testing.SessionEvents;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A guest built to the original design re-joins after a Wi-Fi drop with a plain {@code JOIN} (no
 * resume token) while the host still holds its old, half-open connection: the host probes the old
 * connection and lets the new one take over if the old stays silent ({@code takeoverProbe}).
 */
class TakeoverTest {

    private final Harness h = new Harness();
    private final SessionEvents events = new SessionEvents();

    private Session open() {
        Session s = h.open(b -> b.latencyProbes(false));
        s.addListener(events);
        return s;
    }

    @Test
    void aPlainJoinForASilentMember_takesTheMembershipOver_afterAnUnansweredProbe() {
        Session s = open();
        InMemoryGuest old = h.join(s, "phone");
        long joinedAt = s.members().get(1).joinedAt();
        h.advanceMillis(1);
        InMemoryGuest other = h.join(s, "other");
        h.advance(Duration.ofSeconds(6)); // the phone's Wi-Fi dropped: nothing from it since
        other.send(new GuestMessage.Heartbeat("other", null));
        other.drain();
        events.take();
        int probesBefore = old.keepAlives();

        InMemoryGuest again = h.join(s, "phone");
        assertThat(old.keepAlives()).isEqualTo(probesBefore + 1);
        again.assertNothingUnread(); // waits for the probe's answer
        h.advance(Duration.ofMillis(1_999));
        again.assertNothingUnread();
        h.advance(Duration.ofMillis(1));

        again.next(HostMessage.Welcome.class);
        assertThat(again.next(HostMessage.MemberList.class).members()).extracting(Member::id)
                .containsExactly("host-1", "phone", "other");
        assertThat(old.closeCode()).isEqualTo(CloseCode.REPLACED);
        other.assertNothingUnread(); // no MEMBER_LEFT, no MEMBER_JOINED
        assertThat(events.take()).isEmpty();
        assertThat(s.members().get(1).joinedAt()).isEqualTo(joinedAt);
    }

    @Test
    void aPlainJoinForALiveMember_isStillAlreadyJoined_whenTheOldConnectionAnswersTheProbe() {
        Session s = open();
        InMemoryGuest old = h.join(s, "phone");
        h.advance(Duration.ofSeconds(6));
        InMemoryGuest again = h.join(s, "phone");
        old.handler().onSignOfLife(); // the pong to the probe
        h.advance(Duration.ofSeconds(2));
        HostMessage.Error e = again.nextError();
        assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_JOINED);
        assertThat(again.closeCode()).isEqualTo(CloseCode.ALREADY_JOINED);
        assertThat(old.isOpen()).isTrue();
    }

    @Test
    void aPlainJoinForAMemberHeardFromWithinAnInterval_isRefusedAtOnce_withoutAProbe() {
        Session s = open();
        InMemoryGuest old = h.join(s, "phone");
        h.advance(Duration.ofSeconds(4));
        int probes = old.keepAlives();
        InMemoryGuest again = h.join(s, "phone");
        assertThat(again.nextError().code()).isEqualTo(ErrorCode.ALREADY_JOINED);
        assertThat(again.closeCode()).isEqualTo(CloseCode.ALREADY_JOINED);
        assertThat(old.keepAlives()).isEqualTo(probes);
    }

    @Test
    void aMemberWaitingToResume_isTakenOverAtOnce_byAPlainJoin() {
        Session s = h.open(b -> b.latencyProbes(false).reconnectGrace(Duration.ofSeconds(30)));
        InMemoryGuest old = h.join(s, "phone");
        h.advanceMillis(1);
        InMemoryGuest other = h.join(s, "other");
        old.drop();
        assertThat(s.members().get(1).status()).isEqualTo(MemberStatus.RECONNECTING);
        other.drain();
        InMemoryGuest again = h.join(s, "phone");
        again.next(HostMessage.Welcome.class);
        assertThat(s.members().get(1).status()).isEqualTo(MemberStatus.CONNECTED);
        assertThat(other.next(HostMessage.MemberUpdated.class).member().status()).isEqualTo(MemberStatus.CONNECTED);
        other.assertNothingUnread();
    }

    @Test
    void takeoversOff_keepTheOriginalBehaviour() {
        Session s = h.open(b -> b.latencyProbes(false).takeoverProbe(Duration.ZERO));
        h.join(s, "phone");
        h.advance(Duration.ofSeconds(6));
        InMemoryGuest again = h.join(s, "phone");
        assertThat(again.nextError().code()).isEqualTo(ErrorCode.ALREADY_JOINED);
    }

    @Test
    void thePinAppliesToATakeoverLikeToAnyJoin() {
        Session s = h.open(b -> b.latencyProbes(false).pin("1234"));
        InMemoryGuest old = h.join(GuestMessage.Join.of(s.id(), "phone", "P").withPin("1234"));
        h.advance(Duration.ofSeconds(6));
        InMemoryGuest intruder = h.join(s, "phone");
        assertThat(intruder.nextError().message()).isEqualTo("PIN required");
        assertThat(old.isOpen()).isTrue();
    }

    @Test
    void aTakeoverWaitingWhenTheNewConnectionGoes_changesNothing() {
        Session s = open();
        InMemoryGuest old = h.join(s, "phone");
        h.advance(Duration.ofSeconds(6));
        InMemoryGuest again = h.join(s, "phone");
        again.send(new GuestMessage.Leave(null));
        h.advance(Duration.ofSeconds(3));
        assertThat(old.isOpen()).isTrue();
        assertThat(s.members()).extracting(Member::id).containsExactly("host-1", "phone");
        assertThat(again.received()).extracting(HostMessage::type).isEqualTo(List.of());
    }
}
