package dev.loudsync.netty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loudsync.core.AuthDecision;
import dev.loudsync.core.JoinAttempt;
import dev.loudsync.core.Member;
import dev.loudsync.core.Session;
import dev.loudsync.testing.SocketGuest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PROTOCOL.md "Join authentication" and "Shared state" over real sockets, with the JDK's WebSocket
 * client: the authenticator sees the upgrade request's headers, cookies, query and address, its
 * refusal and its timeout close 4501, and a slow one holds up no other join; {@code STATE} follows
 * {@code MEMBER_LIST}, then a {@code STATE_PATCH} per change, for guests with the capability only.
 */
class AuthAndStateOverSocketsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerTestSupport t = new ServerTestSupport(b -> b.joinTimeout(Duration.ofMillis(700)));

    @AfterEach
    void stop() {
        t.close();
    }

    private static String join(String device, String extra) {
        return "{\"type\":\"JOIN\",\"payload\":{\"sessionId\":\"ABC123\",\"deviceId\":\"" + device
                + "\",\"deviceName\":\"Name " + device + "\",\"version\":\"1.1.0\"" + extra + "}}";
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void theAuthenticator_seesHeadersCookiesQueryAndAddress_andMaySetNameAndRole() throws Exception {
        BlockingQueue<JoinAttempt> seen = new LinkedBlockingQueue<>();
        Session s = t.open(b -> b.latencyProbes(false).authenticator(attempt -> {
            seen.add(attempt);
            boolean ok = "t-1".equals(attempt.credential())
                    && attempt.request().cookie("sid").orElse("").equals("abc")
                    && attempt.request().queryParameter("room").orElse("").equals("r 1");
            return CompletableFuture.completedFuture(ok ? AuthDecision.accept().withName("Verified").asCohost()
                    : AuthDecision.refuse("Bad ticket"));
        }));
        Map<String, String> headers = new HashMap<>();
        headers.put("Cookie", "theme=dark; sid=abc");
        headers.put("X-Ticket", "xyz");
        try (SocketGuest g = SocketGuest.connect(t.uri.resolve("/?room=r%201"), headers)) {
            g.send(join("a", ",\"auth\":\"t-1\""));
            g.next("WELCOME");
            JsonNode me = g.next("MEMBER_LIST").path("payload").path("members").get(1);
            assertThat(me.path("name").asText()).isEqualTo("Verified");
            assertThat(me.path("role").asText()).isEqualTo("cohost");
            JoinAttempt attempt = seen.poll(10, TimeUnit.SECONDS);
            assertThat(attempt.request().header("x-ticket")).contains("xyz");
            assertThat(attempt.request().uri()).isEqualTo("/?room=r%201");
            assertThat(attempt.request().remoteAddress()).startsWith("127.0.0.1:");
            assertThat(s.members()).extracting(Member::role).containsExactly(Member.Role.HOST, Member.Role.COHOST);
        }
        try (SocketGuest g = SocketGuest.connect(t.uri, Map.of())) {
            g.send(join("b", ",\"auth\":\"t-1\""));
            JsonNode e = g.next("ERROR").path("payload");
            assertThat(e.path("code").asText()).isEqualTo("UNAUTHORIZED");
            assertThat(e.path("message").asText()).isEqualTo("Bad ticket");
            assertThat(g.closeCode()).isEqualTo(4501);
        }
    }

    @Test
    void aSlowAuthenticator_timesOutWith4501_andHoldsUpNoOtherJoin() {
        // A join timeout long enough that the quick guest's whole join fits in it on a busy machine.
        ServerTestSupport patient = new ServerTestSupport(b -> b.joinTimeout(Duration.ofSeconds(3)));
        CompletableFuture<AuthDecision> never = new CompletableFuture<>();
        patient.open(b -> b.authenticator(attempt -> "slow".equals(attempt.deviceId()) ? never
                : CompletableFuture.completedFuture(AuthDecision.accept())));
        try (patient; SocketGuest slow = SocketGuest.connect(patient.uri)) {
            slow.send(join("slow", ""));
            try (SocketGuest quick = SocketGuest.joinWith(patient.uri, join("quick", ""))) {
                quick.next("WELCOME");
                assertThat(slow.hasMessage()).isFalse();
            }
            JsonNode e = slow.next("ERROR").path("payload");
            assertThat(e.path("code").asText()).isEqualTo("UNAUTHORIZED");
            assertThat(e.path("message").asText()).isEqualTo("Authentication timed out");
            assertThat(slow.closeCode()).isEqualTo(4501);
        }
    }

    @Test
    void stateFollowsTheMemberList_thenAPatchPerChange_onlyForGuestsWithTheCapability() {
        Session s = t.open(b -> b.latencyProbes(false));
        s.patchState(Map.of("queue", List.of("t-1"), "playing", true)).join();
        try (SocketGuest keeper = SocketGuest.joinWith(t.uri, join("k", ",\"capabilities\":[\"state\"]"));
                SocketGuest plain = SocketGuest.joinWith(t.uri, join("p", ""))) {
            keeper.next("WELCOME");
            keeper.next("MEMBER_LIST");
            JsonNode state = keeper.next("STATE").path("payload");
            assertThat(state.path("version").asLong()).isEqualTo(1);
            // compared as trees: the order of an object's keys carries no meaning
            assertThat(state.path("state")).isEqualTo(tree("{\"queue\":[\"t-1\"],\"playing\":true}"));
            keeper.next("MEMBER_JOINED");
            plain.next("WELCOME");
            plain.next("MEMBER_LIST");
            Map<String, Object> removal = new HashMap<>();
            removal.put("playing", null);
            s.patchState(removal).join();
            s.patchState(Map.of("queue", List.of("t-1", "t-2"))).join();
            JsonNode p2 = keeper.next("STATE_PATCH").path("payload");
            assertThat(p2.path("version").asLong()).isEqualTo(2);
            assertThat(p2.path("patch").toString()).isEqualTo("{\"playing\":null}");
            JsonNode p3 = keeper.next("STATE_PATCH").path("payload");
            assertThat(p3.path("version").asLong()).isEqualTo(3);
            assertThat(p3.path("patch").toString()).isEqualTo("{\"queue\":[\"t-1\",\"t-2\"]}");
            // the guest without the capability got nothing of it: its next message is its PING's answer
            plain.send("{\"type\":\"PING\",\"timestamp\":1}");
            plain.next("PONG");
            assertThat(plain.texts()).noneMatch(text -> text.contains("STATE"));
        }
    }
}
