package dev.loudsync.netty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loudsync.core.Session;
import dev.loudsync.testing.SocketGuest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JoinOverWebSocketTest {

    private final ServerTestSupport t = new ServerTestSupport();

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void twoGuestsJoin_andSeeEachOther_inTheProtocolsExactShapes() {
        Session s = t.open(b -> b.name("My Party").maxMembers(8));
        try (SocketGuest a = SocketGuest.join(t.uri, "abc-123", "device-456")) {
            JsonNode welcome = a.next("WELCOME");
            assertThat(welcome.path("timestamp").isIntegralNumber()).isTrue();
            JsonNode w = welcome.path("payload");
            assertThat(w.path("sessionId").asText()).isEqualTo("ABC123");
            assertThat(w.path("sessionName").asText()).isEqualTo("My Party");
            assertThat(w.path("hostId").asText()).isEqualTo("host-1");
            assertThat(w.path("hostName").asText()).isEqualTo("Host");
            assertThat(w.path("yourDeviceId").asText()).isEqualTo("device-456");
            assertThat(w.path("protocolVersion").asInt()).isEqualTo(1);
            assertThat(w.path("heartbeatIntervalMs").asLong()).isEqualTo(5000);
            assertThat(w.path("heartbeatTimeoutMs").asLong()).isEqualTo(15000);
            assertThat(w.path("maxMembers").asInt()).isEqualTo(8);
            assertThat(w.path("resumeToken").asText()).isNotEmpty();

            JsonNode members = a.next("MEMBER_LIST").path("payload").path("members");
            assertThat(members).hasSize(2);
            JsonNode host = members.get(0);
            assertThat(host.path("id").asText()).isEqualTo("host-1");
            assertThat(host.path("role").asText()).isEqualTo("host");
            assertThat(host.path("isHost").asBoolean()).isTrue();
            assertThat(host.path("connectionStatus").asText()).isEqualTo("connected");
            assertThat(host.has("latency") && host.path("latency").isNull()).isTrue();
            JsonNode me = members.get(1);
            assertThat(me.path("id").asText()).isEqualTo("device-456");
            assertThat(me.path("name").asText()).isEqualTo("Guest device-456");
            assertThat(me.path("role").asText()).isEqualTo("client");
            assertThat(me.path("isHost").asBoolean()).isFalse();
            assertThat(me.path("joinedAt").isIntegralNumber()).isTrue();

            try (SocketGuest b = SocketGuest.join(t.uri, "ABC123", "device-789")) {
                b.next("WELCOME");
                assertThat(b.next("MEMBER_LIST").path("payload").path("members")).hasSize(3);
                JsonNode joined = a.next("MEMBER_JOINED").path("payload").path("member");
                assertThat(joined.path("id").asText()).isEqualTo("device-789");
                assertThat(s.members()).hasSize(3);
            }
        }
    }

    @Test
    void sessionNotFound_isAnErrorThenClose4500_withTheCodeNameAsReason() {
        t.open();
        try (SocketGuest g = SocketGuest.join(t.uri, "NOPE99", "d")) {
            JsonNode e = g.next("ERROR").path("payload");
            assertThat(e.path("code").asText()).isEqualTo("SESSION_NOT_FOUND");
            assertThat(e.path("message").asText()).isEqualTo("Session not found");
            assertThat(g.closeCode()).isEqualTo(4500);
            assertThat(g.closeReason()).isEqualTo("SESSION_NOT_FOUND");
        }
    }
}
