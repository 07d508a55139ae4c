package dev.loudsync.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.MessageTypes;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md, "Close codes", and the wire texts of enums. */
class ProtocolConstantsTest {

    @Test
    void closeCodes_haveTheProtocolsNumbers() {
        assertThat(Arrays.stream(CloseCode.values()).mapToInt(CloseCode::code)).containsExactly(1000, 1001, 1002, 1003,
                1007, 1009, 4000, 4001, 4002, 4003, 4004, 4500, 4501, 4502, 4503, 4504, 4505, 4506);
    }

    @Test
    void codes4000To4499_areWorthAReconnect_and4500To4999_areFinal() {
        for (CloseCode c : CloseCode.values()) {
            assertThat(c.reconnectable()).as(c.name()).isEqualTo(c.code() >= 4000 && c.code() < 4500);
        }
        assertThat(CloseCode.isReconnectable(4499)).isTrue();
        assertThat(CloseCode.isReconnectable(4500)).isFalse();
        assertThat(CloseCode.isFinal(4500)).isTrue();
        assertThat(CloseCode.isFinal(4999)).isTrue();
        assertThat(CloseCode.isFinal(4499)).isFalse();
        assertThat(CloseCode.of(4505)).contains(CloseCode.KICKED);
        assertThat(CloseCode.of(1234)).isEmpty();
    }

    @Test
    void closeReasons_carryTheErrorCodeName() {
        assertThat(CloseCode.SESSION_FULL.reason()).isEqualTo("SESSION_FULL");
        assertThat(CloseCode.INVALID_JOIN.reason()).isEqualTo("INVALID_MESSAGE");
        assertThat(CloseCode.UNAUTHORIZED.reason()).isEqualTo("UNAUTHORIZED");
        assertThat(CloseCode.RATE_LIMITED.reason()).isEqualTo("RATE_LIMITED");
    }

    @Test
    void leaveReasons_haveTheProtocolsTexts() {
        assertThat(LeaveReason.LEFT.wireText()).isEqualTo("Left");
        assertThat(LeaveReason.CONNECTION_LOST.wireText()).isEqualTo("Connection closed");
        assertThat(LeaveReason.TIMED_OUT.wireText()).isEqualTo("Heartbeat timeout");
        assertThat(LeaveReason.KICKED.wireText()).isEqualTo("Kicked");
        assertThat(LeaveReason.SLOW.wireText()).isEqualTo("Slow connection");
        assertThat(LeaveReason.SESSION_CLOSED.wireText()).isEqualTo("Host closed session");
        assertThat(LeaveReason.fromWireText("Kicked")).contains(LeaveReason.KICKED);
        assertThat(LeaveReason.fromWireText("Gone fishing")).isEmpty();
    }

    @Test
    void applicationTypes_areUpperCaseAndNotTheProtocolsOwn() {
        assertThat(MessageTypes.isApplicationType("CHAT")).isTrue();
        assertThat(MessageTypes.isApplicationType("PLAYBACK_2")).isTrue();
        assertThat(MessageTypes.isApplicationType("MEMBERS_CHANGED")).isFalse();
        assertThat(MessageTypes.isApplicationType("chat")).isFalse();
        assertThat(MessageTypes.isApplicationType("_X")).isFalse();
        assertThat(MessageTypes.isApplicationType("A".repeat(65))).isFalse();
        assertThat(MessageTypes.isApplicationType(null)).isFalse();
    }
}
