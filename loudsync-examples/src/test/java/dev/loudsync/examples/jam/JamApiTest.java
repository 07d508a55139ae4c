package dev.loudsync.examples.jam;

import static dev.loudsync.examples.jam.JamFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loudsync.core.Session;
import dev.loudsync.netty.client.ClientListener;
import dev.loudsync.netty.client.LoudSyncClient;
import dev.loudsync.core.protocol.ErrorCode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The jam's HTTP API and its session rules, over real sockets. */
class JamApiTest {

    private final JamFixture jam = new JamFixture(JamFixture.catalog(1000), Duration.ofMillis(50));

    @AfterEach
    void stop() {
        jam.close();
    }

    @Test
    void createdSessions_areListedWithTheirHostAndMembers() throws Exception {
        String code = jam.createSession("Friday jam");
        assertThat(code).matches("[A-Z0-9]{3}-[A-Z0-9]{3}");

        JsonNode one = json(jam.get("api/sessions/" + code));
        assertThat(one.get("name").asText()).isEqualTo("Friday jam");
        assertThat(one.get("memberCount").asInt()).isZero();
        assertThat(one.has("hostName")).as("no host before the first member").isFalse();

        jam.join(code, "d-1", "Ann");
        jam.join(code, "d-2", "Ben");
        JsonNode list = json(jam.get("api/sessions"));
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("sessionId").asText()).isEqualTo(code);
        assertThat(list.get(0).get("hostName").asText()).isEqualTo("Ann");
        assertThat(list.get(0).get("memberCount").asInt()).isEqualTo(2);
        // Codes compare as the protocol says: case and dashes do not matter.
        assertThat(jam.get("api/sessions/" + code.replace("-", "").toLowerCase()).statusCode()).isEqualTo(200);
    }

    @Test
    void sessionsAreServerHosted_withTheJamsTimeouts() throws Exception {
        String code = jam.createSession("Timeouts");
        Session s = jam.jam.server().session(code).orElseThrow();
        assertThat(s.config().isServerHosted()).isTrue();
        assertThat(s.config().idleTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(s.config().emptyTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void badSessionRequests_getClearErrors() throws Exception {
        HttpResponse<String> tooLong = jam.post("api/sessions", "{\"name\":\"123456789012345678901\"}");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(json(tooLong).get("error").asText()).isEqualTo("name: 1-20 characters, no control characters");
        HttpResponse<String> noName = jam.post("api/sessions", "{\"title\":\"x\"}");
        assertThat(noName.statusCode()).isEqualTo(400);
        assertThat(json(noName).get("error").asText()).contains("{\"name\"");
        assertThat(jam.post("api/sessions", "not json").statusCode()).isEqualTo(400);
        assertThat(jam.get("api/sessions/ZZZ-ZZZ").statusCode()).isEqualTo(404);
        assertThat(jam.post("api/tracks", "{}").statusCode()).isEqualTo(405);
        assertThat(jam.get("api/sessions").body()).isEqualTo("[]");
    }

    @Test
    void aTwentyCharacterNameJoins_aLongerOneIsRefused() throws Exception {
        String code = jam.createSession("Names");
        LoudSyncClient ok = jam.join(code, "d-1", "12345678901234567890");
        JamFixture.await(() -> !ok.members().isEmpty(), "the member list arrived");
        assertThat(ok.members().get(0).name()).isEqualTo("12345678901234567890");

        List<String> errors = new ArrayList<>();
        ClientListener listener = new ClientListener() {
            @Override
            public void error(ErrorCode c, String message) {
                synchronized (errors) {
                    errors.add(c + " " + message);
                }
            }
        };
        try {
            jam.join(code, "d-2", "123456789012345678901", listener);
            throw new AssertionError("joined");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).hasMessageContaining("4501");
        }
        synchronized (errors) {
            assertThat(errors).containsExactly("UNAUTHORIZED Name too long: 21 characters (at most 20)");
        }
    }

    @Test
    void tracks_listTheCatalog() throws Exception {
        JsonNode tracks = json(jam.get("api/tracks"));
        assertThat(tracks).hasSize(2);
        assertThat(tracks.get(0).get("trackId").asText()).isEqualTo("t-long");
        assertThat(tracks.get(0).get("title").asText()).isEqualTo("Long One");
        assertThat(tracks.get(0).get("artist").asText()).isEqualTo("Band A");
        assertThat(tracks.get(0).get("durationMs").asLong()).isEqualTo(60_000);
    }

    @Test
    void media_isServedWithItsTypeAndByteRanges() throws Exception {
        byte[] whole = Melodies.wav(new short[2205]);
        HttpResponse<byte[]> all = jam.getBytes("media/t-long", null);
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.headers().firstValue("Content-Type")).hasValue("audio/wav");
        assertThat(all.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(all.body()).isEqualTo(whole);

        HttpResponse<byte[]> part = jam.getBytes("media/t-long", "bytes=100-199");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 100-199/" + whole.length);
        assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(whole, 100, 200));

        assertThat(jam.getBytes("media/nope", null).statusCode()).isEqualTo(404);
    }

    @Test
    void thePage_isServedWithTheSecurityHeaders() throws Exception {
        HttpResponse<String> page = jam.get("");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(jam.get("jam.js").statusCode()).isEqualTo(200);
        assertThat(jam.get("nothing-here").statusCode()).isEqualTo(404);
    }

    @Test
    void theLastMemberLeaving_keepsTheSessionUntilItsEmptyTimeout() throws Exception {
        String code = jam.createSession("Stays");
        LoudSyncClient a = jam.join(code, "d-1", "Ann");
        a.leave().get(10, TimeUnit.SECONDS);
        JamFixture.await(() -> jam.jam.server().session(code).map(s -> s.members().isEmpty()).orElse(false),
                "the session is empty");
        assertThat(jam.get("api/sessions/" + code).statusCode()).as("still open within 60 s").isEqualTo(200);
    }
}
