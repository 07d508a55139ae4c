package dev.loudsync.netty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loudsync.core.RequestRejectedException;
import dev.loudsync.core.Session;
import dev.loudsync.testing.SocketGuest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PROTOCOL.md "Requests and acknowledgements" over real sockets, with the JDK's WebSocket client:
 * ACK or ERROR exactly once with replyTo, results as the handler returned them (records written by
 * the server's encoder, typed payloads bound by its Jackson binder), the handling's own messages
 * before the ACK, and ids of invalid or rate-limited messages answered too.
 */
class RequestsOverSocketsTest {

    private ServerTestSupport t = new ServerTestSupport(b -> b.messageRate(1000, 1000));

    @AfterEach
    void stop() {
        t.close();
    }

    record Track(String title, int seconds) {
    }

    record Queued(int position, Track track) {
    }

    private static JsonNode payload(JsonNode m) {
        return m.path("payload");
    }

    @Test
    void aHandlersResult_comesBackInAck_afterWhatTheHandlingSentToTheSender() {
        Session s = t.open();
        s.respond("QUEUE_ADD", (session, sender, m) -> {
            session.send(sender.id(), "NOTE", Map.of("text", "queued"));
            return Map.of("position", 3, "tags", List.of("a", "b"));
        });
        try (SocketGuest g = SocketGuest.join(t.uri, "ABC123", "a")) {
            g.nextOf("MEMBER_LIST");
            g.send("{\"type\":\"QUEUE_ADD\",\"id\":\"r-1\",\"payload\":{\"title\":\"x\"}}");
            assertThat(g.next("NOTE").path("payload").path("text").asText()).isEqualTo("queued");
            JsonNode ack = payload(g.next("ACK"));
            assertThat(ack.path("replyTo").asText()).isEqualTo("r-1");
            assertThat(ack.path("result").path("position").asInt()).isEqualTo(3);
            assertThat(ack.path("result").path("tags").toString()).isEqualTo("[\"a\",\"b\"]");
            // without an id, success is silent: the next answer is the PING's
            g.send("{\"type\":\"QUEUE_ADD\",\"payload\":{}}");
            g.next("NOTE");
            g.send("{\"type\":\"PING\",\"timestamp\":5}");
            g.next("PONG");
        }
    }

    @Test
    void typedHandlers_bindTheirPayloadWithJackson_andRecordResultsAreWritten() {
        Session s = t.open();
        s.respond("QUEUE_ADD", Track.class, (session, sender, track) -> new Queued(1, track));
        try (SocketGuest g = SocketGuest.join(t.uri, "ABC123", "a")) {
            g.nextOf("MEMBER_LIST");
            g.send("{\"type\":\"QUEUE_ADD\",\"id\":\"r-1\",\"payload\":{\"title\":\"Song\",\"seconds\":215,"
                    + "\"extra\":true}}");
            JsonNode ack = payload(g.next("ACK"));
            assertThat(ack.path("result").toString())
                    .isEqualTo("{\"position\":1,\"track\":{\"title\":\"Song\",\"seconds\":215}}");
            // no coercion: a string for the int is refused, naming the field, never a class name
            g.send("{\"type\":\"QUEUE_ADD\",\"id\":\"r-2\",\"payload\":{\"title\":\"Song\",\"seconds\":\"215\"}}");
            JsonNode e = payload(g.next("ERROR"));
            assertThat(e.path("code").asText()).isEqualTo("INVALID_MESSAGE");
            assertThat(e.path("replyTo").asText()).isEqualTo("r-2");
            assertThat(e.path("message").asText()).contains("'seconds'").contains("whole number")
                    .doesNotContain("Exception").doesNotContain("java.").doesNotContain("Track");
            g.send("{\"type\":\"QUEUE_ADD\",\"id\":\"r-3\",\"payload\":{\"title\":[1],\"seconds\":2.5}}");
            assertThat(payload(g.next("ERROR")).path("message").asText()).contains("'title'")
                    .contains("a string");
        }
    }

    @Test
    void rejections_areErrorsWithTheirCodeAndReplyTo_andFailuresAreServerErrorsOnlyWithAnId() {
        Session s = t.open();
        s.respond("QUEUE_ADD", (session, sender, m) -> {
            throw new RequestRejectedException("QUEUE_FULL", "The queue is full");
        });
        s.respond("BOOM", (session, sender, m) -> {
            throw new IllegalStateException("secret detail");
        });
        s.respond("LATER", (session, sender, m) -> CompletableFuture.supplyAsync(() -> "done"));
        try (SocketGuest g = SocketGuest.join(t.uri, "ABC123", "a")) {
            g.nextOf("MEMBER_LIST");
            g.send("{\"type\":\"QUEUE_ADD\",\"id\":\"r-1\"}");
            JsonNode full = payload(g.next("ERROR"));
            assertThat(full.path("code").asText()).isEqualTo("QUEUE_FULL");
            assertThat(full.path("message").asText()).isEqualTo("The queue is full");
            assertThat(full.path("replyTo").asText()).isEqualTo("r-1");
            g.send("{\"type\":\"BOOM\"}"); // no id: nothing
            g.send("{\"type\":\"BOOM\",\"id\":\"r-2\"}");
            JsonNode boom = payload(g.next("ERROR"));
            assertThat(boom.path("code").asText()).isEqualTo("SERVER_ERROR");
            assertThat(boom.path("message").asText()).isEqualTo("Internal error");
            assertThat(boom.path("replyTo").asText()).isEqualTo("r-2");
            g.send("{\"type\":\"LATER\",\"id\":\"r-3\"}");
            JsonNode later = payload(g.next("ACK"));
            assertThat(later.path("replyTo").asText()).isEqualTo("r-3");
            assertThat(later.path("result").asText()).isEqualTo("done");
        }
    }

    @Test
    void anInvalidMessageWithAnId_isAnsweredWithReplyTo_andAnInvalidIdIsNamed() {
        t.open();
        try (SocketGuest g = SocketGuest.join(t.uri, "ABC123", "a")) {
            g.nextOf("MEMBER_LIST");
            g.send("{\"type\":\"KICK\",\"id\":\"r-1\",\"payload\":{\"deviceId\":5}}");
            JsonNode e = payload(g.next("ERROR"));
            assertThat(e.path("code").asText()).isEqualTo("INVALID_MESSAGE");
            assertThat(e.path("replyTo").asText()).isEqualTo("r-1");
            g.send("{\"type\":\"CHAT\",\"id\":\"" + "x".repeat(65) + "\"}");
            JsonNode tooLong = payload(g.next("ERROR"));
            assertThat(tooLong.path("message").asText()).isEqualTo("Field 'id' must be 1-64 characters");
            assertThat(tooLong.has("replyTo")).isFalse();
            // ignored on a type with an answer of its own
            g.send("{\"type\":\"PING\",\"id\":7,\"timestamp\":3}");
            assertThat(payload(g.next("PONG")).path("pingTimestamp").asLong()).isEqualTo(3);
        }
    }

    @Test
    void everyIdOfABurst_isAnsweredExactlyOnce_ackedOrRateLimited() throws Exception {
        try (ServerTestSupport limited = new ServerTestSupport(b -> b.messageRate(1, 20))) {
            Session s = limited.open(b -> b.latencyProbes(false));
            s.respond("TAP", (session, sender, m) -> null);
            try (SocketGuest g = SocketGuest.join(limited.uri, "ABC123", "a")) {
                g.nextOf("MEMBER_LIST");
                int n = 30; // the JOIN took one token: at least 11 of them are over the burst
                for (int i = 0; i < n; i++) {
                    g.send("{\"type\":\"TAP\",\"id\":\"t-" + i + "\"}");
                }
                g.send("{\"type\":\"TAP\"}"); // dropped without id: the once-a-second notice
                Map<String, String> answers = new HashMap<>();
                int acks = 0;
                int limitedIds = 0;
                while (answers.size() < n) {
                    JsonNode m = g.next();
                    String type = m.path("type").asText();
                    JsonNode p = payload(m);
                    if (type.equals("ERROR") && !p.has("replyTo")) {
                        assertThat(p.path("code").asText()).isEqualTo("RATE_LIMITED");
                        continue;
                    }
                    String id = p.path("replyTo").asText();
                    assertThat(answers.put(id, type)).as("second answer to %s", id).isNull();
                    if (type.equals("ACK")) {
                        acks++;
                    } else {
                        assertThat(type).isEqualTo("ERROR");
                        assertThat(p.path("code").asText()).isEqualTo("RATE_LIMITED");
                        limitedIds++;
                    }
                }
                assertThat(acks).isBetween(1, 20);
                assertThat(limitedIds).isGreaterThanOrEqualTo(n - 20);
                assertThat(answers).hasSize(n);
            }
        }
    }

    @Test
    void aFloodStillCloses4003_answeringTheLastId() {
        try (ServerTestSupport limited = new ServerTestSupport(b -> b.messageRate(1, 2))) {
            Session s = limited.open();
            s.respond("TAP", (session, sender, m) -> null);
            try (SocketGuest g = SocketGuest.join(limited.uri, "ABC123", "a")) {
                g.nextOf("MEMBER_LIST");
                for (int i = 0; i < 10 && !g.isClosed(); i++) {
                    g.trySend("{\"type\":\"TAP\",\"id\":\"t-" + i + "\"}");
                }
                assertThat(g.closeCode()).isEqualTo(4003);
                JsonNode last = null;
                while (g.hasMessage()) {
                    last = g.next();
                }
                assertThat(last).isNotNull();
                assertThat(payload(last).path("message").asText()).isEqualTo("Too many messages");
                assertThat(payload(last).path("replyTo").asText()).startsWith("t-");
            }
        }
    }
}
