package dev.loudsync.tests.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loudsync.core.Member;
import dev.loudsync.core.Session;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.testing.InMemoryGuest;
import dev.loudsync.testing.SessionEvents;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md, "Leaving". */
class LeavingTest {

    private final Harness h = new Harness();
    private final SessionEvents events = new SessionEvents();
    private Session s;
    private InMemoryGuest leaver;
    private InMemoryGuest other;

    @BeforeEach
    void twoMembers() {
        s = h.open(b -> b.latencyProbes(false));
        s.addListener(events);
        leaver = h.join(s, "leaver");
        other = h.join(s, "other");
        leaver.drain();
        other.drain();
        events.take();
    }

    private void assertOtherToldLeft(String reasonText) {
        HostMessage.MemberLeft left = other.next(HostMessage.MemberLeft.class);
        assertThat(left.deviceId()).isEqualTo("leaver");
        assertThat(left.reason().wireText()).isEqualTo(reasonText);
        other.assertNothingUnread();
        assertThat(other.isOpen()).isTrue();
        assertThat(s.members()).extracting(Member::id).containsExactly("host-1", "other");
        assertThat(other.members()).isEqualTo(s.members());
    }

    @Test
    void leave_tellsTheOthersLeft_andClosesWith1000() {
        leaver.send(new GuestMessage.Leave("bye"));
        assertOtherToldLeft("Left");
        assertThat(leaver.closeCode()).isEqualTo(CloseCode.NORMAL);
        assertThat(CloseCode.NORMAL.code()).isEqualTo(1000);
        assertThat(events.take()).containsExactly("left leaver LEFT");
    }

    @Test
    void connectionLostWithoutLeave_tellsTheOthersConnectionClosed() {
        leaver.drop();
        assertOtherToldLeft("Connection closed");
        assertThat(events.take()).containsExactly("left leaver CONNECTION_LOST");
    }

    @Test
    void kick_sendsKickedWithReason_closesWith4505_andTellsTheOthersKicked() {
        assertThat(s.kick("leaver", "Be nice").join()).isTrue();
        assertThat(leaver.next(HostMessage.Kicked.class).reason()).isEqualTo("Be nice");
        leaver.assertNothingUnread();
        assertThat(leaver.closeCode()).isEqualTo(CloseCode.KICKED);
        assertThat(CloseCode.KICKED.code()).isEqualTo(4505);
        assertOtherToldLeft("Kicked");
        assertThat(events.take()).containsExactly("left leaver KICKED");
    }

    @Test
    void kickedMember_mayJoinAgain_butABannedOneMayNot() {
        s.kick("leaver", "out").join();
        h.join(s, "leaver").next(HostMessage.Welcome.class);
        s.ban("leaver", "out for good").join();
        HostMessage.Error e = h.join(s, "leaver").nextError();
        assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
    }

    @Test
    void kickOfUnknownDevice_completesFalse_andChangesNothing() {
        assertThat(s.kick("nobody", "x").join()).isFalse();
        other.assertNothingUnread();
        assertThat(s.members()).hasSize(3);
    }

    @Test
    void kickOfTheHost_isACallerMistake() {
        assertThatThrownBy(() -> s.kick("host-1", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host");
    }

    @Test
    void slowConsumer_isRemovedAsSlowConnection_andClosedWith4004() {
        leaver.handler().onSlowConsumer();
        assertOtherToldLeft("Slow connection");
        assertThat(leaver.closeCode()).isEqualTo(CloseCode.SLOW_CONSUMER);
        assertThat(CloseCode.SLOW_CONSUMER.code()).isEqualTo(4004);
        assertThat(events.take()).containsExactly("left leaver SLOW");
    }

    @Test
    void hostEndingTheSession_sendsSessionClosedToEveryMember_andClosesWith1000() {
        InMemoryGuest early = h.connect(); // not joined: untouched by the session
        s.close().join();
        for (InMemoryGuest c : List.of(leaver, other)) {
            assertThat(c.next(HostMessage.SessionClosed.class).reason()).isEqualTo("Host closed session");
            c.assertNothingUnread();
            assertThat(c.closeCode()).isEqualTo(CloseCode.NORMAL);
        }
        assertThat(early.isOpen()).isTrue();
        assertThat(s.isOpen()).isFalse();
        assertThat(events.take()).containsExactly("left leaver SESSION_CLOSED", "left other SESSION_CLOSED",
                "closed");
        assertThat(h.registry.find("ABC123")).isEmpty();
        early.send(GuestMessage.Join.of("ABC123", "late", "Late"));
        assertThat(early.nextError().code()).isEqualTo(ErrorCode.SESSION_NOT_FOUND);
    }

    @Test
    void closingTwice_isHarmless_andTheIdCanBeOpenedAgain() {
        s.close().join();
        s.close().join();
        assertThat(events.take()).containsOnlyOnce("closed");
        Session again = h.open();
        assertThat(again.isOpen()).isTrue();
        assertThat(h.registry.find("abc-123")).containsSame(again);
    }

    @Test
    void actionsAfterClose_doNothing() {
        s.close().join();
        assertThat(s.kick("other", "x").join()).isFalse();
        assertThat(s.send("other", "CHAT", null).join()).isFalse();
        assertThat(s.members()).extracting(Member::id).containsExactly("host-1");
    }

    @Test
    void eventsAfterAMemberLeft_areIgnored() {
        leaver.send(new GuestMessage.Leave(null));
        other.drain();
        // a late frame and a late close report from the old connection change nothing
        leaver.handler().onMessage(new GuestMessage.Heartbeat("leaver", null));
        leaver.handler().onClosed();
        other.assertNothingUnread();
        assertThat(events.take()).containsExactly("left leaver LEFT");
    }
}
