package dev.loudsync.netty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loudsync.core.Member;
import dev.loudsync.core.Session;
import dev.loudsync.testing.SocketGuest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md's joining, messaging and leaving rules, end to end over real sockets. */
class ProtocolOverSocketsTest {

    private ServerTestSupport t = new ServerTestSupport(b -> b.joinTimeout(Duration.ofMillis(500)));

    @AfterEach
    void stop() {
        t.close();
    }

    private static String join(String session, String device, String extra) {
        return "{\"type\":\"JOIN\",\"payload\":{\"sessionId\":\"" + session + "\",\"deviceId\":\"" + device
                + "\",\"deviceName\":\"N\"" + extra + "}}";
    }

    private static void assertRefused(SocketGuest g, String code, int close) {
        assertThat(g.next("ERROR").path("payload").path("code").asText()).isEqualTo(code);
        assertThat(g.closeCode()).isEqualTo(close);
        assertThat(g.closeReason()).isEqualTo(code);
    }

    @Test
    void everyJoinRefusal_hasItsErrorAndCloseCode() {
        t.open(b -> b.maxMembers(2).pin("4321"));
        try (SocketGuest member = SocketGuest.connect(t.uri)) {
            member.send(join("ABC123", "a", ",\"pin\":\"4321\""));
            member.next("WELCOME");
            SocketGuest g;
            g = SocketGuest.connect(t.uri);
            g.send(join("ABC123", "b", ",\"pin\":\"4321\""));
            JsonNode full = g.next("ERROR").path("payload");
            assertThat(full.path("code").asText()).isEqualTo("SESSION_FULL");
            assertThat(full.path("message").asText()).isEqualTo("Session is full (2/2)");
            assertThat(g.closeCode()).isEqualTo(4002);

            g = SocketGuest.connect(t.uri);
            g.send("{\"type\":\"JOIN\",\"payload\":{\"sessionId\":\"ABC123\",\"deviceId\":7,\"deviceName\":\"N\"}}");
            assertRefused(g, "INVALID_MESSAGE", 4503);

            g = SocketGuest.connect(t.uri);
            g.send(join("ABC123", "c", ",\"version\":\"2.0.0\""));
            assertRefused(g, "VERSION_MISMATCH", 4502);

            g = SocketGuest.connect(t.uri);
            g.send(join("ABC123", "c", ",\"pin\":\"0000\""));
            assertRefused(g, "UNAUTHORIZED", 4501);

            g = SocketGuest.connect(t.uri);
            g.send(join("ABC123", "a", ",\"pin\":\"4321\""));
            JsonNode already = g.next("ERROR").path("payload");
            assertThat(already.path("message").asText()).isEqualTo("Already joined");
            assertThat(g.closeCode()).isEqualTo(4504);
            assertThat(member.isClosed()).isFalse();
        }
    }

    @Test
    void beforeJoining_pingIsAnsweredAndOtherTypesAreUnauthorized_andTheConnectionStaysOpen() {
        t.open();
        try (SocketGuest g = SocketGuest.connect(t.uri)) {
            g.send("{\"type\":\"PING\",\"timestamp\":1234}");
            JsonNode pong = g.next("PONG");
            assertThat(pong.path("payload").path("pingTimestamp").asLong()).isEqualTo(1234);
            assertThat(pong.path("payload").path("serverTime").asLong())
                    .isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
            g.send("{\"type\":\"HEARTBEAT\",\"payload\":{\"deviceId\":\"x\"}}");
            JsonNode e = g.next("ERROR").path("payload");
            assertThat(e.path("code").asText()).isEqualTo("UNAUTHORIZED");
            assertThat(e.path("message").asText()).isEqualTo("Join the session first");
            g.send("{\"type\":\"PING\"}");
            g.next("PONG");
            assertThat(g.isClosed()).isFalse();
        }
    }

    @Test
    void badJson_isInvalidMessage_andTheConnectionStaysOpen() {
        t.open();
        try (SocketGuest g = SocketGuest.join(t.uri, "ABC123", "a")) {
            g.next("WELCOME");
            g.next("MEMBER_LIST");
            for (String bad : new String[] {"{not json", "{\"type\":\"PING\"} trailing", "[1,2]",
                    "{\"type\":\"PING\",\"type\":\"PING\"}", "{\"payload\":{}}", "{\"type\":5}",
                    "{\"type\":\"HEARTBEAT\",\"payload\":{\"deviceId\":\"a\",\"latency\":\"45\"}}",
                    "{\"type\":\"PING\",\"payload\":[]}", "{\"type\":\"CHAT\"}", "{\"type\":\"ping\"}"}) {
                g.send(bad);
                JsonNode e = g.next("ERROR").path("payload");
                assertThat(e.path("code").asText()).as(bad).isEqualTo("INVALID_MESSAGE");
                assertThat(e.path("message").asText()).as(bad).isNotEmpty().doesNotContain("Exception");
                g.send("{\"type\":\"PING\",\"timestamp\":1}"); // a valid message resets the strike count
                g.next("PONG");
            }
            assertThat(g.isClosed()).isFalse();
        }
    }

    @Test
    void deepNesting_andAStringForANumber_areInvalid() {
        t.open();
        try (SocketGuest g = SocketGuest.join(t.uri, "ABC123", "a")) {
            g.nextOf("MEMBER_LIST");
            String deep = "{\"type\":\"CHAT\",\"payload\":" + "{\"a\":".repeat(16) + "1" + "}".repeat(16) + "}";
            g.send(deep);
            assertThat(g.next("ERROR").path("payload").path("code").asText()).isEqualTo("INVALID_MESSAGE");
            g.send("{\"type\":\"PING\",\"timestamp\":\"123\"}");
            assertThat(g.next("ERROR").path("payload").path("code").asText()).isEqualTo("INVALID_MESSAGE");
        }
    }

    @Test
    void applicationMessages_reachTheirHandler_andUnknownTypesAreInvalid() {
        Session s = t.open();
        s.handle("CHAT", (session, sender, m) -> session.broadcast("CHAT",
                Map.of("from", sender.id(), "text", m.payload().get("text"))));
        try (SocketGuest a = SocketGuest.join(t.uri, "ABC123", "a"); SocketGuest b = SocketGuest.join(t.uri, "ABC123", "b")) {
            a.nextOf("MEMBER_JOINED");
            b.nextOf("MEMBER_LIST");
            a.send("{\"type\":\"CHAT\",\"payload\":{\"text\":\"hi\",\"from\":\"b\"}}");
            for (SocketGuest g : new SocketGuest[] {a, b}) {
                JsonNode chat = g.next("CHAT");
                assertThat(chat.path("payload").path("from").asText()).isEqualTo("a");
                assertThat(chat.path("payload").path("text").asText()).isEqualTo("hi");
                assertThat(chat.path("timestamp").isIntegralNumber()).isTrue();
            }
            a.send("{\"type\":\"DANCE\",\"payload\":{}}");
            JsonNode e = a.next("ERROR").path("payload");
            assertThat(e.path("code").asText()).isEqualTo("INVALID_MESSAGE");
            assertThat(a.isClosed()).isFalse();
        }
    }

    @Test
    void secondJoin_isAlreadyJoined_andChangesNothing() {
        Session s = t.open();
        try (SocketGuest a = SocketGuest.join(t.uri, "ABC123", "a")) {
            a.nextOf("MEMBER_LIST");
            a.send(join("ABC123", "z", ""));
            assertThat(a.next("ERROR").path("payload").path("code").asText()).isEqualTo("ALREADY_JOINED");
            assertThat(a.isClosed()).isFalse();
            assertThat(s.members()).extracting(Member::id).containsExactly("host-1", "a");
        }
    }

    @Test
    void leave_closesWith1000_andTheOthersHearLeft() {
        t.open();
        try (SocketGuest a = SocketGuest.join(t.uri, "ABC123", "a"); SocketGuest b = SocketGuest.join(t.uri, "ABC123", "b")) {
            a.nextOf("MEMBER_JOINED");
            b.nextOf("MEMBER_LIST");
            b.send("{\"type\":\"LEAVE\",\"payload\":{\"reason\":\"bye\"}}");
            assertThat(b.closeCode()).isEqualTo(1000);
            JsonNode left = a.next("MEMBER_LEFT").path("payload");
            assertThat(left.path("deviceId").asText()).isEqualTo("b");
            assertThat(left.path("reason").asText()).isEqualTo("Left");
        }
    }

    @Test
    void aLostSocket_isConnectionClosedForTheOthers() {
        t.open();
        try (SocketGuest a = SocketGuest.join(t.uri, "ABC123", "a")) {
            a.nextOf("MEMBER_LIST");
            SocketGuest b = SocketGuest.join(t.uri, "ABC123", "b");
            b.nextOf("MEMBER_LIST");
            a.next("MEMBER_JOINED");
            b.close(); // abort: no close frame
            JsonNode left = a.next("MEMBER_LEFT").path("payload");
            assertThat(left.path("reason").asText()).isEqualTo("Connection closed");
        }
    }

    @Test
    void kick_sendsKickedThenClose4505() {
        Session s = t.open();
        try (SocketGuest a = SocketGuest.join(t.uri, "ABC123", "a"); SocketGuest b = SocketGuest.join(t.uri, "ABC123", "b")) {
            a.nextOf("MEMBER_JOINED");
            b.nextOf("MEMBER_LIST");
            s.kick("b", "Be nice").join();
            assertThat(b.next("KICKED").path("payload").path("reason").asText()).isEqualTo("Be nice");
            assertThat(b.closeCode()).isEqualTo(4505);
            assertThat(b.closeReason()).isEqualTo("KICKED");
            assertThat(a.next("MEMBER_LEFT").path("payload").path("reason").asText()).isEqualTo("Kicked");
        }
    }

    @Test
    void aConnectionThatNeverJoins_isClosedWith4001() {
        t.open();
        try (SocketGuest g = SocketGuest.connect(t.uri)) {
            assertThat(g.closeCode()).isEqualTo(4001);
            assertThat(g.closeReason()).isEqualTo("JOIN_TIMEOUT");
        }
    }

    @Test
    void guestPing_isAnsweredWithPong() {
        t.open();
        try (SocketGuest g = SocketGuest.join(t.uri, "ABC123", "a")) {
            g.nextOf("MEMBER_LIST");
            g.send("{\"type\":\"PING\",\"timestamp\":42,\"payload\":{}}");
            JsonNode pong = g.next("PONG").path("payload");
            assertThat(pong.path("pingTimestamp").asLong()).isEqualTo(42);
            assertThat(pong.path("serverTime").isIntegralNumber()).isTrue();
        }
    }

    @Test
    void hostPings_measureTheMembersLatency() throws Exception {
        Session s = t.open(b -> b.heartbeatInterval(Duration.ofMillis(200)).heartbeatTimeout(Duration.ofMillis(600))
                .heartbeatCheckInterval(Duration.ofMillis(100)));
        try (SocketGuest g = SocketGuest.join(t.uri, "ABC123", "a")) {
            g.nextOf("MEMBER_LIST");
            JsonNode updated = g.nextOf("MEMBER_UPDATED").path("payload").path("member");
            assertThat(updated.path("latency").isIntegralNumber()).isTrue();
            assertThat(g.pings()).isNotEmpty();
            assertThat(s.members().get(1).latencyMillis()).isPresent();
        }
    }

    @Test
    void aVanishedDevice_isTimedOut_whileASilentGuestWhoseStackAnswersPingsStays() throws Exception {
        Session s = t.open(b -> b.heartbeatInterval(Duration.ofMillis(200)).heartbeatTimeout(Duration.ofMillis(600))
                .heartbeatCheckInterval(Duration.ofMillis(100)).latencyProbes(false));
        try (SocketGuest phone = SocketGuest.join(t.uri, "ABC123", "phone"); RawClient vanished = RawClient.upgraded(
                t.server.port())) {
            phone.nextOf("MEMBER_LIST");
            vanished.sendText(join("ABC123", "vanished", ""));
            // the raw client never reads again: no pong, no message
            JsonNode left = phone.nextOf("MEMBER_LEFT").path("payload");
            assertThat(left.path("deviceId").asText()).isEqualTo("vanished");
            assertThat(left.path("reason").asText()).isEqualTo("Heartbeat timeout");
            RawClient.Frame close = vanished.readUntilClosed().stream().filter(f -> f.opcode() == 8).findFirst()
                    .orElseThrow();
            assertThat(close.closeCode()).isEqualTo(4000);
            // the phone joined first and sent nothing either, but its WebSocket stack answered pings
            assertThat(phone.isClosed()).isFalse();
            assertThat(s.members()).extracting(Member::id).containsExactly("host-1", "phone");
        }
    }
}
