package dev.loudsync.tests.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.Member;
import dev.loudsync.core.MemberStatus;
import dev.loudsync.core.Session;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.GuestMessage.Join;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.testing.InMemoryGuest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** PROTOCOL.md, "Joining". */
class JoinTest {

    private final Harness h = new Harness();

    private static void assertRefused(InMemoryGuest c, ErrorCode code, String message, CloseCode close) {
        HostMessage.Error error = c.nextError();
        assertThat(error.code()).isEqualTo(code);
        if (message != null) {
            assertThat(error.message()).isEqualTo(message);
        }
        assertThat(c.closeCode()).isEqualTo(close);
        c.assertNothingUnread();
    }

    @Test
    void successfulJoin_sendsWelcomeThenMemberListToNewcomer_andMemberJoinedToOthers() {
        Session s = h.open();
        InMemoryGuest a = h.join(s, "a");
        a.drain();
        InMemoryGuest b = h.join(s, "b");

        HostMessage.Welcome welcome = b.next(HostMessage.Welcome.class);
        HostMessage.MemberList list = b.next(HostMessage.MemberList.class);
        b.assertNothingUnread();
        assertThat(welcome.yourDeviceId()).isEqualTo("b");
        assertThat(list.members()).extracting(Member::id).containsExactly("host-1", "a", "b");

        HostMessage.MemberJoined joined = a.next(HostMessage.MemberJoined.class);
        assertThat(joined.member().id()).isEqualTo("b");
        assertThat(joined.member().role()).isEqualTo(Member.Role.CLIENT);
        assertThat(joined.member().status()).isEqualTo(MemberStatus.CONNECTED);
        a.assertNothingUnread();
        assertThat(s.members()).extracting(Member::id).containsExactly("host-1", "a", "b");
    }

    @Test
    void welcome_namesSessionHostAndNewcomer_andAnnouncesTimingCapacityAndResumeToken() {
        Session s = h.open(b -> b.name("My Party").maxMembers(8).heartbeatInterval(Duration.ofSeconds(4))
                .heartbeatTimeout(Duration.ofSeconds(12)));
        InMemoryGuest a = h.join(s, "a");
        HostMessage.Welcome w = a.next(HostMessage.Welcome.class);
        assertThat(w.sessionId()).isEqualTo("ABC123");
        assertThat(w.sessionName()).isEqualTo("My Party");
        assertThat(w.hostId()).isEqualTo("host-1");
        assertThat(w.hostName()).isEqualTo("Host");
        assertThat(w.yourDeviceId()).isEqualTo("a");
        assertThat(w.protocolVersion()).isEqualTo("1");
        assertThat(w.serverTime()).isEqualTo(h.time.currentTimeMillis());
        assertThat(w.heartbeatIntervalMs()).isEqualTo(4000);
        assertThat(w.heartbeatTimeoutMs()).isEqualTo(12000);
        assertThat(w.maxMembers()).isEqualTo(8);
        assertThat(w.resumeToken()).hasSizeGreaterThanOrEqualTo(22);
    }

    @Test
    void resumeTokens_differPerMember() {
        Session s = h.open();
        String t1 = h.join(s, "a").next(HostMessage.Welcome.class).resumeToken();
        String t2 = h.join(s, "b").next(HostMessage.Welcome.class).resumeToken();
        assertThat(t1).isNotEqualTo(t2);
    }

    @Test
    void memberList_isHostFirst_thenByJoinedAt_thenById() {
        Session s = h.open();
        h.advanceMillis(5);
        h.join(s, "zed");
        h.join(s, "bob"); // same millisecond as zed: id decides
        h.advanceMillis(5);
        h.join(s, "amy");
        InMemoryGuest last = h.join(s, "carl");
        last.next(HostMessage.Welcome.class);
        List<Member> list = last.next(HostMessage.MemberList.class).members();
        assertThat(list).extracting(Member::id).containsExactly("host-1", "bob", "zed", "amy", "carl");
        Member host = list.get(0);
        assertThat(host.isHost()).isTrue();
        assertThat(host.role()).isEqualTo(Member.Role.HOST);
        assertThat(host.latencyMillis()).isEmpty();
        assertThat(host.joinedAt()).isEqualTo(h.time.currentTimeMillis() - 10);
        assertThat(s.members()).isEqualTo(list);
    }

    static Stream<Arguments> invalidJoins() {
        String s33 = "A".repeat(33);
        return Stream.of(
                Arguments.of(new Join(null, "d", "n", null, null, null, null), "sessionId"),
                Arguments.of(new Join("", "d", "n", null, null, null, null), "sessionId"),
                Arguments.of(new Join(s33, "d", "n", null, null, null, null), "sessionId"),
                Arguments.of(new Join("ABC123", null, "n", null, null, null, null), "deviceId"),
                Arguments.of(new Join("ABC123", "", "n", null, null, null, null), "deviceId"),
                Arguments.of(new Join("ABC123", "d".repeat(129), "n", null, null, null, null), "deviceId"),
                Arguments.of(new Join("ABC123", "d", null, null, null, null, null), "deviceName"),
                Arguments.of(new Join("ABC123", "d", "", null, null, null, null), "deviceName"),
                Arguments.of(new Join("ABC123", "d", "n".repeat(65), null, null, null, null), "deviceName"),
                Arguments.of(new Join("ABC123", "d", "bad\nname", null, null, null, null), "deviceName"),
                Arguments.of(new Join("ABC123", "d", "bell\u0007", null, null, null, null), "deviceName"));
    }

    @ParameterizedTest
    @MethodSource("invalidJoins")
    void joinWithInvalidField_isRefusedWithInvalidMessageNamingTheField_andClose4503(Join join, String field) {
        h.open();
        InMemoryGuest c = h.join(join);
        HostMessage.Error error = c.nextError();
        assertThat(error.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(error.message()).contains(field);
        assertThat(c.closeCode()).isEqualTo(CloseCode.INVALID_JOIN);
        assertThat(CloseCode.INVALID_JOIN.code()).isEqualTo(4503);
    }

    @Test
    void joinAtTheFieldLimits_isAccepted() {
        Session s = h.open(b -> b.maxMembers(3));
        InMemoryGuest c = h.join(new Join("abc-123", "d".repeat(128), "n".repeat(64), null, null, null, null));
        c.next(HostMessage.Welcome.class);
        assertThat(s.members()).hasSize(2);
    }

    @Test
    void joinTheCodecCouldNotDecode_isRefusedWith4503() {
        h.open();
        InMemoryGuest c = h.connect();
        c.sendInvalid("JOIN", "Field 'deviceId' must be a string");
        assertRefused(c, ErrorCode.INVALID_MESSAGE, "Field 'deviceId' must be a string", CloseCode.INVALID_JOIN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.0.0", "0.9", "10.0", "x", "", "1x"})
    void joinWithAnotherMajorVersion_isRefusedWithVersionMismatch_andClose4502(String version) {
        Session s = h.open();
        InMemoryGuest c = h.join(Join.of(s.id(), "d", "n").withVersion(version));
        assertRefused(c, ErrorCode.VERSION_MISMATCH, null, CloseCode.VERSION_MISMATCH);
        assertThat(CloseCode.VERSION_MISMATCH.code()).isEqualTo(4502);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "1.0", "1.0.0", "1.9.3", "1.0.0-beta"})
    void joinWithMajorVersionOne_isAccepted(String version) {
        Session s = h.open();
        h.join(Join.of(s.id(), "d", "n").withVersion(version)).next(HostMessage.Welcome.class);
    }

    @Test
    void joinWithoutVersion_isAccepted() {
        Session s = h.open();
        h.join(Join.of(s.id(), "d", "n").withVersion(null)).next(HostMessage.Welcome.class);
    }

    @Test
    void joinOfUnknownSession_isRefusedWithSessionNotFound_andClose4500() {
        h.open();
        InMemoryGuest c = h.join(Join.of("ZZZ999", "d", "n"));
        assertRefused(c, ErrorCode.SESSION_NOT_FOUND, "Session not found", CloseCode.SESSION_NOT_FOUND);
        assertThat(CloseCode.SESSION_NOT_FOUND.code()).isEqualTo(4500);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ABC123", "abc123", "abc-123", "ABC-123", "a b c 1 2 3", "-abc-123-"})
    void sessionIds_compareCaseInsensitively_ignoringDashesAndSpaces(String typed) {
        Session s = h.open();
        h.join(Join.of(typed, "d", "n")).next(HostMessage.Welcome.class);
        assertThat(s.members()).hasSize(2);
        assertThat(h.registry.find(typed)).containsSame(s);
    }

    @Test
    void joinWithWrongOrMissingPin_isRefusedWithUnauthorized_andClose4501() {
        Session s = h.open(b -> b.pin("4321"));
        assertRefused(h.join(Join.of(s.id(), "a", "n")), ErrorCode.UNAUTHORIZED, null, CloseCode.UNAUTHORIZED);
        assertRefused(h.join(Join.of(s.id(), "a", "n").withPin("1234")), ErrorCode.UNAUTHORIZED, null,
                CloseCode.UNAUTHORIZED);
        h.join(Join.of(s.id(), "a", "n").withPin("4321")).next(HostMessage.Welcome.class);
        assertThat(CloseCode.UNAUTHORIZED.code()).isEqualTo(4501);
    }

    @Test
    void joinOfBannedDevice_isRefusedWithUnauthorized() {
        Session s = h.open();
        InMemoryGuest a = h.join(s, "a");
        assertThat(s.ban("a", "no").join()).isTrue();
        assertThat(a.closeCode()).isEqualTo(CloseCode.KICKED);
        assertRefused(h.join(s, "a"), ErrorCode.UNAUTHORIZED, null, CloseCode.UNAUTHORIZED);
        assertThat(s.members()).hasSize(1);
    }

    @Test
    void joinOfPresentDevice_isRefusedWithAlreadyJoined_andTheExistingConnectionIsUndisturbed() {
        Session s = h.open();
        InMemoryGuest first = h.join(s, "a");
        first.drain();
        InMemoryGuest other = h.join(s, "b");
        other.drain();
        first.drain();

        InMemoryGuest second = h.join(s, "a");
        assertRefused(second, ErrorCode.ALREADY_JOINED, "Already joined", CloseCode.ALREADY_JOINED);
        assertThat(first.isOpen()).isTrue();
        first.assertNothingUnread();
        other.assertNothingUnread();
        assertThat(s.members()).extracting(Member::id).containsExactly("host-1", "a", "b");
        assertThat(CloseCode.ALREADY_JOINED.code()).isEqualTo(4504);
    }

    @Test
    void joinWithTheHostsDeviceId_isRefusedWithAlreadyJoined() {
        Session s = h.open();
        assertRefused(h.join(s, "host-1"), ErrorCode.ALREADY_JOINED, "Already joined", CloseCode.ALREADY_JOINED);
    }

    @Test
    void joinOfFullSession_isRefusedWithSessionFull_withTheRealNumbers_andClose4002() {
        Session s = h.open(b -> b.maxMembers(3));
        h.join(s, "a");
        h.join(s, "b");
        assertRefused(h.join(s, "c"), ErrorCode.SESSION_FULL, "Session is full (3/3)", CloseCode.SESSION_FULL);
        assertThat(s.members()).hasSize(3);
        assertThat(CloseCode.SESSION_FULL.code()).isEqualTo(4002);
    }

    @Test
    void checks_runInTheStatedOrder_theFirstFailureAnswers() {
        Session s = h.open(b -> b.pin("1111").maxMembers(2));
        h.join(Join.of(s.id(), "a", "n").withPin("1111")).next(HostMessage.Welcome.class); // now full

        // invalid fields beat a bad version
        assertThat(h.join(new Join(s.id(), "", "n", "9.0", null, null, null)).nextError().code())
                .isEqualTo(ErrorCode.INVALID_MESSAGE);
        // a bad version beats an unknown session
        assertThat(h.join(Join.of("NOPE00", "x", "n").withVersion("9.0")).nextError().code())
                .isEqualTo(ErrorCode.VERSION_MISMATCH);
        // an unknown session beats a wrong PIN
        assertThat(h.join(Join.of("NOPE00", "x", "n")).nextError().code()).isEqualTo(ErrorCode.SESSION_NOT_FOUND);
        // a wrong PIN beats "already joined"
        assertThat(h.join(Join.of(s.id(), "a", "n").withPin("0000")).nextError().code())
                .isEqualTo(ErrorCode.UNAUTHORIZED);
        // "already joined" beats "full"
        assertThat(h.join(Join.of(s.id(), "a", "n").withPin("1111")).nextError().code())
                .isEqualTo(ErrorCode.ALREADY_JOINED);
        // and a new device finally meets "full"
        assertThat(h.join(Join.of(s.id(), "b", "n").withPin("1111")).nextError().code())
                .isEqualTo(ErrorCode.SESSION_FULL);
    }

    @Test
    void secondJoinOnJoinedConnection_getsAlreadyJoined_andChangesNothing() {
        Session s = h.open();
        InMemoryGuest a = h.join(s, "a");
        InMemoryGuest b = h.join(s, "b");
        a.drain();
        b.drain();
        List<Member> before = s.members();

        a.send(Join.of(s.id(), "a2", "Other name"));
        HostMessage.Error error = a.nextError();
        assertThat(error.code()).isEqualTo(ErrorCode.ALREADY_JOINED);
        assertThat(a.isOpen()).isTrue();
        assertThat(s.members()).isEqualTo(before);
        b.assertNothingUnread();
        a.assertNothingUnread();
    }

    @Test
    void beforeJoining_pingIsAnswered_andEverythingElseIsUnauthorized_withTheConnectionLeftOpen() {
        h.open();
        InMemoryGuest c = h.connect();
        c.send(new GuestMessage.Ping(1234L));
        HostMessage.Pong pong = c.next(HostMessage.Pong.class);
        assertThat(pong.pingTimestamp()).isEqualTo(1234L);
        assertThat(pong.serverTime()).isEqualTo(h.time.currentTimeMillis());

        for (GuestMessage m : List.of(new GuestMessage.Heartbeat("d", null), new GuestMessage.Leave(null),
                new GuestMessage.Pong(1L), new dev.loudsync.core.protocol.ApplicationMessage("CHAT", Map.of()))) {
            c.send(m);
            HostMessage.Error e = c.nextError();
            assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
            assertThat(e.message()).isEqualTo("Join the session first");
        }
        assertThat(c.isOpen()).isTrue();
    }

    @Test
    void invalidFrameBeforeJoining_getsInvalidMessage_andLeavesTheConnectionOpen() {
        h.open();
        InMemoryGuest c = h.connect();
        c.sendInvalid(null, "Malformed JSON");
        HostMessage.Error e = c.nextError();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(e.message()).isEqualTo("Malformed JSON");
        assertThat(c.isOpen()).isTrue();
    }

    @Test
    void repeatedProtocolViolations_closeTheConnectionWith4503() {
        Session s = h.open();
        InMemoryGuest early = h.connect();
        InMemoryGuest member = h.join(s, "a");
        for (int i = 0; i < 9; i++) {
            early.sendInvalid(null, "Malformed JSON");
            member.sendInvalid(null, "Malformed JSON");
        }
        assertThat(early.isOpen()).isTrue();
        assertThat(member.isOpen()).isTrue();
        early.sendInvalid(null, "Malformed JSON");
        member.sendInvalid(null, "Malformed JSON");
        assertThat(early.closeCode()).isEqualTo(CloseCode.INVALID_JOIN);
        assertThat(member.closeCode()).isEqualTo(CloseCode.INVALID_JOIN);
        assertThat(s.members()).extracting(Member::id).containsExactly("host-1");
    }

    @Test
    void aValidMessageBetweenViolations_resetsTheCount() {
        Session s = h.open();
        InMemoryGuest member = h.join(s, "a");
        for (int i = 0; i < 30; i++) {
            member.sendInvalid(null, "Malformed JSON");
            member.send(new GuestMessage.Heartbeat("a", null));
        }
        assertThat(member.isOpen()).isTrue();
    }

    @Test
    void connectionWithoutJoin_isClosedWith4001_atTheJoinTimeout() {
        h.open();
        InMemoryGuest idle = h.connect();
        h.advance(Duration.ofMillis(9_999));
        assertThat(idle.isOpen()).isTrue();
        h.advance(Duration.ofMillis(1));
        assertThat(idle.closeCode()).isEqualTo(CloseCode.JOIN_TIMEOUT);
        assertThat(CloseCode.JOIN_TIMEOUT.code()).isEqualTo(4001);
    }

    @Test
    void joinTimeout_isConfigurable_andLeavesJoinedConnectionsAlone() {
        Harness custom = new Harness(b -> b.joinTimeout(Duration.ofSeconds(2)));
        Session s = custom.open();
        InMemoryGuest idle = custom.connect();
        custom.advance(Duration.ofSeconds(1));
        InMemoryGuest joined = custom.join(s, "a");
        InMemoryGuest pinging = custom.connect();
        custom.advance(Duration.ofSeconds(1));
        assertThat(idle.closeCode()).isEqualTo(CloseCode.JOIN_TIMEOUT);
        assertThat(pinging.isOpen()).isTrue();
        pinging.send(new GuestMessage.Ping(null)); // a ping is no join
        custom.advance(Duration.ofSeconds(1));
        assertThat(pinging.closeCode()).isEqualTo(CloseCode.JOIN_TIMEOUT);
        assertThat(joined.isOpen()).isTrue();
        assertThat(s.members()).hasSize(2);
    }

    @Test
    void joinAnnouncingCapabilities_isAcceptedWithUnknownOnesIgnored() {
        Session s = h.open();
        h.join(Join.of(s.id(), "a", "n").withCapabilities(Set.of("membersChanged", "teleport")))
                .next(HostMessage.Welcome.class);
        assertThat(s.members()).hasSize(2);
    }
}
