package dev.loudsync.tests.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loudsync.core.Session;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.protocol.MessageTypes;
import dev.loudsync.core.protocol.ProtocolRules;
import dev.loudsync.testing.InMemoryGuest;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md's rules as {@link ProtocolRules} names them, and the 1.1 version and error codes. */
class ProtocolRulesTest {

    @Test
    void welcomeAnnounces1_1ToGuestsThatJoinWith1_1OrLater_and1ToEveryoneElse() {
        assertThat(ProtocolRules.welcomeVersion("1.1")).isEqualTo("1.1");
        assertThat(ProtocolRules.welcomeVersion("1.1.0")).isEqualTo("1.1");
        assertThat(ProtocolRules.welcomeVersion("1.12.3-beta")).isEqualTo("1.1");
        assertThat(ProtocolRules.welcomeVersion("1.0.0")).isEqualTo("1");
        assertThat(ProtocolRules.welcomeVersion("1")).isEqualTo("1");
        assertThat(ProtocolRules.welcomeVersion(null)).isEqualTo("1");
        assertThat(ProtocolRules.welcomeVersion("1.x")).isEqualTo("1");
    }

    @Test
    void aJoinWithVersion1_1_isWelcomedWith1_1_andAVersion1JoinWith1() {
        Harness h = new Harness();
        Session s = h.open();
        InMemoryGuest v11 = h.join(GuestMessage.Join.of(s.id(), "a", "A").withVersion("1.1.0"));
        assertThat(v11.next(HostMessage.Welcome.class).protocolVersion()).isEqualTo("1.1");
        InMemoryGuest v1 = h.join(GuestMessage.Join.of(s.id(), "b", "B"));
        assertThat(v1.next(HostMessage.Welcome.class).protocolVersion()).isEqualTo("1");
    }

    @Test
    void eachJoinRefusal_hasTheCloseCodeOfTheProtocolsTable() {
        assertThat(ProtocolRules.closeForRefusedJoin(ErrorCode.INVALID_MESSAGE)).isEqualTo(CloseCode.INVALID_JOIN);
        assertThat(ProtocolRules.closeForRefusedJoin(ErrorCode.VERSION_MISMATCH)).isEqualTo(CloseCode.VERSION_MISMATCH);
        assertThat(ProtocolRules.closeForRefusedJoin(ErrorCode.SESSION_NOT_FOUND)).isEqualTo(CloseCode.SESSION_NOT_FOUND);
        assertThat(ProtocolRules.closeForRefusedJoin(ErrorCode.UNAUTHORIZED)).isEqualTo(CloseCode.UNAUTHORIZED);
        assertThat(ProtocolRules.closeForRefusedJoin(ErrorCode.ALREADY_JOINED)).isEqualTo(CloseCode.ALREADY_JOINED);
        assertThat(ProtocolRules.closeForRefusedJoin(ErrorCode.SESSION_FULL)).isEqualTo(CloseCode.SESSION_FULL);
        assertThatThrownBy(() -> ProtocolRules.closeForRefusedJoin(ErrorCode.SERVER_ERROR))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void errorCodes_protocolOnesAreConstants_applicationOnesUpperCaseUpTo32Characters() {
        assertThat(ErrorCode.of("SESSION_FULL")).isSameAs(ErrorCode.SESSION_FULL);
        assertThat(ErrorCode.of("SERVER_ERROR").isProtocolCode()).isTrue();
        ErrorCode app = ErrorCode.of("QUEUE_FULL");
        assertThat(app.isProtocolCode()).isFalse();
        assertThat(app).isEqualTo(ErrorCode.of("QUEUE_FULL"));
        assertThat(ErrorCode.isValid("A".repeat(32))).isTrue();
        assertThat(ErrorCode.isValid("A".repeat(33))).isFalse();
        assertThat(ErrorCode.isValid("queue_full")).isFalse();
        assertThatThrownBy(() -> ErrorCode.of("bad code")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the1_1TypesAreReserved_andOnlyGuestTypesOtherThanTheFiveTakeARequestId() {
        for (String t : new String[] {"KICK", "SET_ROLE", "APPROVE", "DENY", "TRANSFER_HOST", "END_SESSION", "ACK",
                "HOST_CHANGED", "JOIN_REQUESTED", "JOIN_REQUEST_ENDED", "STATE", "STATE_PATCH"}) {
            assertThat(MessageTypes.isApplicationType(t)).as(t).isFalse();
        }
        for (String t : new String[] {"JOIN", "LEAVE", "HEARTBEAT", "PING", "PONG"}) {
            assertThat(MessageTypes.takesRequestId(t)).as(t).isFalse();
        }
        assertThat(MessageTypes.takesRequestId("KICK")).isTrue();
        assertThat(MessageTypes.takesRequestId("CHAT")).isTrue();
    }

    @Test
    void typeSyntax_andDisplayNames_andSessionIds() {
        assertThat(ProtocolRules.isTypeSyntax("A" + "_".repeat(63))).isTrue();
        assertThat(ProtocolRules.isTypeSyntax("A".repeat(65))).isFalse();
        assertThat(ProtocolRules.isTypeSyntax("9A")).isFalse();
        assertThat(ProtocolRules.isDisplayName("Ann")).isTrue();
        assertThat(ProtocolRules.isDisplayName("A\u0007")).isFalse();
        assertThat(ProtocolRules.isSessionId("a1b-2c3")).isTrue();
        assertThat(ProtocolRules.isSessionId(" - ")).isFalse();
        assertThat(ProtocolRules.isSupportedVersion("1.0.0-beta")).isTrue();
        assertThat(ProtocolRules.isSupportedVersion("2.0")).isFalse();
    }
}
