package dev.loudsync.netty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loudsync.core.Member;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.testing.Await;
import dev.loudsync.testing.SocketGuest;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PROTOCOL.md "Roles" and "Server-hosted sessions" over real sockets, with the JDK's WebSocket
 * client: control messages with their permissions and answers, join requests for cohost
 * approvers, host transfer when the host leaves or hands the role on, END_SESSION and the empty
 * timeout.
 */
class RolesAndHostingOverSocketsTest {

    private final ServerTestSupport t = new ServerTestSupport();

    @AfterEach
    void stop() {
        t.close();
    }

    /** A 1.1 JOIN of {@code device}. */
    static String join11(String session, String device) {
        return "{\"type\":\"JOIN\",\"payload\":{\"sessionId\":\"" + session + "\",\"deviceId\":\"" + device
                + "\",\"deviceName\":\"Name " + device + "\",\"version\":\"1.1.0\"}}";
    }

    private static String control(String type, String id, String payload) {
        return "{\"type\":\"" + type + "\",\"id\":\"" + id + "\",\"payload\":" + payload + "}";
    }

    private static JsonNode answer(SocketGuest g, String type, String id) {
        JsonNode m = g.nextOf(type).path("payload");
        assertThat(m.path("replyTo").asText()).isEqualTo(id);
        return m;
    }

    private static void assertRefused(SocketGuest g, String id, String code) {
        assertThat(answer(g, "ERROR", id).path("code").asText()).isEqualTo(code);
    }

    private Session serverHosted(Duration emptyTimeout) {
        return t.server.openSession(SessionConfig.builder().sessionId("SRV123").serverHosted()
                .emptyTimeout(emptyTimeout).latencyProbes(false).build());
    }

    @Test
    void theHostsRoles_areGivenAndUsed_andEveryoneElseIsUnauthorized() {
        Session s = t.open(b -> b.latencyProbes(false));
        s.restrict("PLAY", Member.Role.HOST, Member.Role.COHOST);
        s.respond("PLAY", (session, sender, m) -> "playing");
        try (SocketGuest b = SocketGuest.joinWith(t.uri, join11("ABC123", "b"));
                SocketGuest c = SocketGuest.joinWith(t.uri, join11("ABC123", "c"))) {
            b.nextOf("MEMBER_JOINED");
            c.nextOf("MEMBER_LIST");
            s.setRole("b", Member.Role.COHOST).join();
            for (SocketGuest g : new SocketGuest[] {b, c}) {
                JsonNode updated = g.nextOf("MEMBER_UPDATED").path("payload").path("member");
                assertThat(updated.path("id").asText()).isEqualTo("b");
                assertThat(updated.path("role").asText()).isEqualTo("cohost");
                assertThat(updated.path("isHost").asBoolean()).isFalse();
            }
            // a client may not send a restricted type, nor control messages
            c.send(control("PLAY", "r-1", "{}"));
            assertRefused(c, "r-1", "UNAUTHORIZED");
            c.send(control("SET_ROLE", "r-2", "{\"deviceId\":\"b\",\"role\":\"client\"}"));
            assertRefused(c, "r-2", "UNAUTHORIZED");
            c.send(control("KICK", "r-3", "{\"deviceId\":\"b\"}"));
            assertRefused(c, "r-3", "UNAUTHORIZED");
            // a cohost may play, may not kick the host, and names a member that is not there
            b.send(control("PLAY", "r-4", "{}"));
            assertThat(answer(b, "ACK", "r-4").path("result").asText()).isEqualTo("playing");
            b.send(control("KICK", "r-5", "{\"deviceId\":\"host-1\"}"));
            assertRefused(b, "r-5", "UNAUTHORIZED");
            b.send(control("KICK", "r-6", "{\"deviceId\":\"d-9\"}"));
            JsonNode none = answer(b, "ERROR", "r-6");
            assertThat(none.path("code").asText()).isEqualTo("INVALID_MESSAGE");
            assertThat(none.path("message").asText()).isEqualTo("No member d-9");
            assertThat(s.members()).extracting(Member::id).containsExactly("host-1", "b", "c");
            // ...and may kick a client
            b.send(control("KICK", "r-7", "{\"deviceId\":\"c\",\"reason\":\"Be nice\"}"));
            assertThat(c.next("KICKED").path("payload").path("reason").asText()).isEqualTo("Be nice");
            assertThat(c.closeCode()).isEqualTo(4505);
            JsonNode left = b.nextOf("MEMBER_LEFT").path("payload");
            assertThat(left.path("deviceId").asText()).isEqualTo("c");
            answer(b, "ACK", "r-7");
        }
    }

    @Test
    void cohostApprovers_hearOfJoinRequests_andSettleThem() {
        Session s = t.open(b -> b.requireApproval(true).latencyProbes(false));
        try (SocketGuest b = SocketGuest.connect(t.uri)) {
            b.send(join11("ABC123", "b"));
            b.next("JOIN_PENDING");
            s.approve("b").join();
            b.nextOf("MEMBER_LIST");
            s.setRole("b", Member.Role.COHOST).join();
            b.nextOf("MEMBER_UPDATED");
            SocketGuest c = SocketGuest.connect(t.uri);
            c.send(join11("ABC123", "c"));
            c.next("JOIN_PENDING");
            JsonNode requested = b.next("JOIN_REQUESTED").path("payload");
            assertThat(requested.path("deviceId").asText()).isEqualTo("c");
            assertThat(requested.path("deviceName").asText()).isEqualTo("Name c");
            b.send(control("APPROVE", "r-1", "{\"deviceId\":\"c\"}"));
            c.next("WELCOME");
            JsonNode ended = b.nextOf("JOIN_REQUEST_ENDED").path("payload");
            assertThat(ended.path("deviceId").asText()).isEqualTo("c");
            assertThat(ended.path("outcome").asText()).isEqualTo("approved");
            answer(b, "ACK", "r-1");

            SocketGuest d = SocketGuest.connect(t.uri);
            d.send(join11("ABC123", "d"));
            d.next("JOIN_PENDING");
            assertThat(b.nextOf("JOIN_REQUESTED").path("payload").path("deviceId").asText()).isEqualTo("d");
            b.send(control("DENY", "r-2", "{\"deviceId\":\"d\"}"));
            JsonNode denied = d.next("ERROR").path("payload");
            assertThat(denied.path("code").asText()).isEqualTo("UNAUTHORIZED");
            assertThat(denied.path("message").asText()).isEqualTo("Join request denied");
            assertThat(d.closeCode()).isEqualTo(4501);
            assertThat(b.nextOf("JOIN_REQUEST_ENDED").path("payload").path("outcome").asText()).isEqualTo("denied");

            SocketGuest e = SocketGuest.connect(t.uri);
            e.send(join11("ABC123", "e"));
            e.next("JOIN_PENDING");
            assertThat(b.nextOf("JOIN_REQUESTED").path("payload").path("deviceId").asText()).isEqualTo("e");
            e.close();
            JsonNode withdrawn = b.nextOf("JOIN_REQUEST_ENDED").path("payload");
            assertThat(withdrawn.path("deviceId").asText()).isEqualTo("e");
            assertThat(withdrawn.path("outcome").asText()).isEqualTo("withdrawn");
            c.close();
        }
    }

    @Test
    void aServerHostedSessionsFirstMemberIsHost_andTheRolePassesOnWhenItLeaves() {
        serverHosted(Duration.ofSeconds(60));
        try (SocketGuest a = SocketGuest.joinWith(t.uri, join11("SRV123", "a"))) {
            JsonNode welcome = a.next("WELCOME").path("payload");
            assertThat(welcome.path("hostId").asText()).isEqualTo("a");
            assertThat(welcome.path("protocolVersion").asText()).isEqualTo("1.1");
            JsonNode first = a.next("MEMBER_LIST").path("payload").path("members").get(0);
            assertThat(first.path("role").asText()).isEqualTo("host");
            SocketGuest b = SocketGuest.joinWith(t.uri, join11("SRV123", "b"));
            SocketGuest c = SocketGuest.joinWith(t.uri, join11("SRV123", "c"));
            b.nextOf("MEMBER_LIST");
            c.nextOf("MEMBER_LIST");
            b.nextOf("MEMBER_JOINED");
            a.send("{\"type\":\"LEAVE\"}");
            for (SocketGuest g : new SocketGuest[] {b, c}) {
                assertThat(g.nextOf("MEMBER_LEFT").path("payload").path("deviceId").asText()).isEqualTo("a");
                JsonNode changed = g.nextOf("HOST_CHANGED").path("payload");
                assertThat(changed.path("hostId").asText()).isEqualTo("b");
                assertThat(changed.path("hostName").asText()).isEqualTo("Name b");
                assertThat(changed.path("previousHostId").asText()).isEqualTo("a");
                assertThat(changed.path("reason").asText()).isEqualTo("Host left");
            }
            try (SocketGuest d = SocketGuest.joinWith(t.uri, join11("SRV123", "d"))) {
                assertThat(d.next("WELCOME").path("payload").path("hostId").asText()).isEqualTo("b");
                JsonNode list = d.next("MEMBER_LIST").path("payload").path("members");
                assertThat(list.get(0).path("id").asText()).isEqualTo("b");
                assertThat(list.get(0).path("isHost").asBoolean()).isTrue();
                assertThat(list.get(1).path("id").asText()).isEqualTo("c");
            }
            b.close();
            c.close();
        }
    }

    @Test
    void theHostHandsTheRoleOn_andTheNewHostEndsTheSession() {
        Session s = serverHosted(Duration.ofSeconds(60));
        try (SocketGuest a = SocketGuest.joinWith(t.uri, join11("SRV123", "a"));
                SocketGuest b = SocketGuest.joinWith(t.uri, join11("SRV123", "b"))) {
            a.nextOf("MEMBER_JOINED");
            b.nextOf("MEMBER_LIST");
            b.send(control("TRANSFER_HOST", "r-0", "{\"deviceId\":\"b\"}"));
            assertRefused(b, "r-0", "UNAUTHORIZED");
            a.send(control("TRANSFER_HOST", "r-1", "{\"deviceId\":\"b\"}"));
            for (SocketGuest g : new SocketGuest[] {a, b}) {
                JsonNode changed = g.nextOf("HOST_CHANGED").path("payload");
                assertThat(changed.path("hostId").asText()).isEqualTo("b");
                assertThat(changed.path("reason").asText()).isEqualTo("Transferred");
            }
            answer(a, "ACK", "r-1");
            assertThat(s.members()).extracting(Member::id, Member::role)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("b", Member.Role.HOST),
                            org.assertj.core.groups.Tuple.tuple("a", Member.Role.CLIENT));
            a.send(control("END_SESSION", "r-2", "{}"));
            assertRefused(a, "r-2", "UNAUTHORIZED");
            b.send(control("END_SESSION", "r-3", "{\"reason\":\"Good night\"}"));
            answer(b, "ACK", "r-3");
            for (SocketGuest g : new SocketGuest[] {a, b}) {
                assertThat(g.nextOf("SESSION_CLOSED").path("payload").path("reason").asText()).isEqualTo("Good night");
                assertThat(g.closeCode()).isEqualTo(1000);
            }
            assertThat(s.isOpen()).isFalse();
        }
    }

    @Test
    void anEmptyServerHostedSession_closesAfterItsEmptyTimeout_andItsCodeIsNotFound() {
        Session s = serverHosted(Duration.ofSeconds(1)); // the shortest allowed
        try (SocketGuest a = SocketGuest.joinWith(t.uri, join11("SRV123", "a"))) {
            a.nextOf("MEMBER_LIST");
            a.send("{\"type\":\"LEAVE\"}");
            assertThat(a.closeCode()).isEqualTo(1000);
        }
        Await.until("the empty session closed", () -> !s.isOpen());
        try (SocketGuest late = SocketGuest.joinWith(t.uri, join11("SRV123", "z"))) {
            assertThat(late.next("ERROR").path("payload").path("code").asText()).isEqualTo("SESSION_NOT_FOUND");
            assertThat(late.closeCode()).isEqualTo(4500);
        }
    }
}
