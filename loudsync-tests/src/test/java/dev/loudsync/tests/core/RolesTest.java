package dev.loudsync.tests.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member.Role;
import dev.loudsync.core.Member;
import dev.loudsync.core.Session;
import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.testing.InMemoryGuest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md, "Version 1.1 extensions", "Roles": roles, restricted types and control messages. */
class RolesTest {

    private final Harness h = new Harness();
    private Session s;
    private InMemoryGuest a;
    private InMemoryGuest b;
    private InMemoryGuest c;

    /** A LAN-hosted session with three guests; a is made a cohost. */
    @BeforeEach
    void threeGuests() {
        s = h.open(x -> x.latencyProbes(false).maxMembers(8));
        a = h.join(s, "a");
        h.advanceMillis(1);
        b = h.join(s, "b");
        h.advanceMillis(1);
        c = h.join(s, "c");
        assertThat(s.setRole("a", Role.COHOST).join()).isTrue();
        drainAll();
    }

    private void drainAll() {
        a.drain();
        b.drain();
        c.drain();
    }

    private static Role roleOf(Session session, String id) {
        return session.members().stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow().role();
    }

    @Test
    void setRole_announcesTheNewRoleToEveryMember_andViewsFollow() {
        assertThat(s.setRole("b", Role.COHOST).join()).isTrue();
        for (InMemoryGuest g : List.of(a, b, c)) {
            Member updated = g.next(HostMessage.MemberUpdated.class).member();
            assertThat(updated.id()).isEqualTo("b");
            assertThat(updated.role()).isEqualTo(Role.COHOST);
            assertThat(updated.isHost()).isFalse();
            g.assertNothingUnread();
            assertThat(g.members()).isEqualTo(s.members());
        }
        assertThat(s.setRole("b", Role.CLIENT).join()).isTrue();
        assertThat(roleOf(s, "b")).isEqualTo(Role.CLIENT);
    }

    @Test
    void setRole_ofTheHostDeviceOrAStranger_isFalse_andHostIsNotARoleToSet() {
        assertThat(s.setRole("host-1", Role.COHOST).join()).isFalse();
        assertThat(s.setRole("nobody", Role.COHOST).join()).isFalse();
        assertThatThrownBy(() -> s.setRole("b", Role.HOST)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.transferHost("b")).isInstanceOf(IllegalStateException.class);
        a.assertNothingUnread();
    }

    @Test
    void restrictedType_fromAnotherRole_isUnauthorized_andTheHandlerDoesNotRun() {
        int[] runs = {0};
        s.handle("PLAY", (session, sender, m) -> runs[0]++);
        s.restrict("PLAY", Role.HOST, Role.COHOST);

        c.send(new ApplicationMessage("PLAY", Map.of(), "r1"));
        HostMessage.Error e = c.nextError();
        assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(e.replyTo()).isEqualTo("r1");
        assertThat(runs[0]).isZero();

        a.send(new ApplicationMessage("PLAY", Map.of(), "r2"));
        assertThat(a.next(HostMessage.Ack.class).replyTo()).isEqualTo("r2");
        assertThat(runs[0]).isEqualTo(1);
        assertThat(c.isOpen()).isTrue();
    }

    @Test
    void restrict_needsARoleAndAnApplicationType() {
        assertThatThrownBy(() -> s.restrict("PLAY")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.restrict("KICK", Role.HOST)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cohostMayKickAClient_asTheHostApiWould() {
        a.send(new GuestMessage.Kick("c", "Be nice", false, "k1"));
        assertThat(c.next(HostMessage.Kicked.class).reason()).isEqualTo("Be nice");
        assertThat(c.closeCode()).isEqualTo(CloseCode.KICKED);
        HostMessage.MemberLeft left = b.next(HostMessage.MemberLeft.class);
        assertThat(left.deviceId()).isEqualTo("c");
        assertThat(left.reason()).isEqualTo(LeaveReason.KICKED);
        // the sender sees the effect before its ACK
        assertThat(a.next(HostMessage.MemberLeft.class).deviceId()).isEqualTo("c");
        HostMessage.Ack ack = a.next(HostMessage.Ack.class);
        assertThat(ack.replyTo()).isEqualTo("k1");
        assertThat(ack.result()).isNull();
        a.assertNothingUnread();
    }

    @Test
    void kickWithBan_refusesTheDeviceLater() {
        a.send(new GuestMessage.Kick("c", null, true, null));
        assertThat(c.closeCode()).isEqualTo(CloseCode.KICKED);
        InMemoryGuest again = h.join(s, "c");
        assertThat(again.nextError().code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(again.closeCode()).isEqualTo(CloseCode.UNAUTHORIZED);
    }

    @Test
    void cohostMayNotKickACohost_norTheHostDevice_andAClientMayNotKick() {
        s.setRole("b", Role.COHOST).join();
        drainAll();
        a.send(new GuestMessage.Kick("b", null, false, "k1"));
        assertRefused(a, ErrorCode.UNAUTHORIZED, "k1");
        a.send(new GuestMessage.Kick("host-1", null, false, "k2"));
        assertRefused(a, ErrorCode.UNAUTHORIZED, "k2");
        c.send(new GuestMessage.Kick("b", null, false, "k3"));
        assertRefused(c, ErrorCode.UNAUTHORIZED, "k3");
        assertThat(s.members()).extracting(Member::id).containsExactly("host-1", "a", "b", "c");
        b.assertNothingUnread();
    }

    @Test
    void controlMessageNamingNoMember_isInvalid_withTheDeviceInTheText() {
        a.send(new GuestMessage.Kick("d-9", null, false, "k1"));
        HostMessage.Error e = assertRefused(a, ErrorCode.INVALID_MESSAGE, "k1");
        assertThat(e.message()).isEqualTo("No member d-9");
    }

    @Test
    void kickReasonOver200Characters_isInvalid_andChangesNothing() {
        a.send(new GuestMessage.Kick("c", "x".repeat(201), false, "k1"));
        assertRefused(a, ErrorCode.INVALID_MESSAGE, "k1");
        assertThat(c.isOpen()).isTrue();
    }

    @Test
    void setRoleMessage_isForTheHostOnly_soNoGuestOfALanSessionMaySendIt() {
        a.send(new GuestMessage.SetRole("c", "cohost", "s1"));
        assertRefused(a, ErrorCode.UNAUTHORIZED, "s1");
        assertThat(roleOf(s, "c")).isEqualTo(Role.CLIENT);
    }

    @Test
    void transferHostAndEndSession_inALanSession_areUnauthorized() {
        a.send(new GuestMessage.TransferHost("b", "t1"));
        assertRefused(a, ErrorCode.UNAUTHORIZED, "t1");
        a.send(new GuestMessage.EndSession(null, "e1"));
        assertRefused(a, ErrorCode.UNAUTHORIZED, "e1");
        assertThat(s.isOpen()).isTrue();
    }

    @Test
    void controlMessageWithoutId_thatIsRefused_stillGetsItsError() {
        c.send(new GuestMessage.Kick("b", null, false, null));
        HostMessage.Error e = c.nextError();
        assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(e.replyTo()).isNull();
    }

    private static HostMessage.Error assertRefused(InMemoryGuest g, ErrorCode code, String replyTo) {
        HostMessage.Error e = g.nextError();
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.replyTo()).isEqualTo(replyTo);
        g.assertNothingUnread();
        assertThat(g.isOpen()).isTrue();
        return e;
    }
}
