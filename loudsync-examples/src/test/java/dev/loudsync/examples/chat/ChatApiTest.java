package dev.loudsync.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.examples.chat.ChatTestHost.Answer;
import dev.loudsync.examples.chat.ChatTestHost.User;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chat's HTTP API over a real socket: sign-in, rooms, posting, and its refusals. */
class ChatApiTest {

    @TempDir
    Path dir;

    ChatTestHost host;

    @BeforeEach
    void start() {
        host = new ChatTestHost("jdbc:sqlite:" + dir.resolve("chat.db"), null, null);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode body(String field, String value) {
        return ChatGuest.JSON.createObjectNode().put(field, value);
    }

    @Test
    void login_givesASignedTokenForTheTrimmedName_andAFreshUserIdEachTime() {
        User a = host.login("  Ann  ");
        User b = host.login("Ann");
        assertThat(a.name()).isEqualTo("Ann");
        assertThat(a.userId()).matches("u-[a-z0-9]{10}").isNotEqualTo(b.userId());
        assertThat(host.app.tokens().verify(a.token())).contains(new ChatUser(a.userId(), "Ann"));
    }

    @Test
    void login_refusesBadNamesAndBodies_with400() {
        for (Object bad : new Object[] {body("name", "   "), body("name", "x".repeat(65)), body("name", "a\u0007b"),
                body("other", "Ann"), ChatGuest.JSON.createObjectNode().put("name", 5)}) {
            Answer a = host.call("POST", "/api/login", null, (com.fasterxml.jackson.databind.node.ObjectNode) bad);
            assertThat(a.status()).as("%s", bad).isEqualTo(400);
            assertThat(a.body().path("error").asText()).isNotEmpty();
        }
        assertThat(host.call("POST", "/api/login", null, null).status()).as("no body").isEqualTo(400);
        assertThat(host.call("GET", "/api/login", null, null).status()).isEqualTo(405);
    }

    @Test
    void roomsAndPosting_needAValidBearerToken() {
        User ann = host.login("Ann");
        String room = host.createRoom(ann, "Lobby");
        String forged = ann.token().substring(0, ann.token().length() - 3) + "abc";
        for (String token : new String[] {null, forged, "nonsense"}) {
            assertThat(host.call("GET", "/api/rooms", token, null).status()).isEqualTo(401);
            assertThat(host.call("POST", "/api/rooms", token, body("name", "X")).status()).isEqualTo(401);
            assertThat(host.call("GET", "/api/rooms/" + room, token, null).status()).isEqualTo(401);
            assertThat(host.call("POST", "/api/rooms/" + room + "/messages", token, body("text", "hi")).status())
                    .isEqualTo(401);
        }
        assertThat(host.call("GET", "/api/rooms", ann.token(), null).body().path("rooms")).hasSize(1);
    }

    @Test
    void rooms_createListAndShow_withValidation() {
        User ann = host.login("Ann");
        Answer created = host.call("POST", "/api/rooms", ann.token(), body("name", "  Main stage "));
        assertThat(created.status()).isEqualTo(201);
        String roomId = created.body().path("roomId").asText();
        assertThat(created.body().path("name").asText()).isEqualTo("Main stage");
        host.createRoom(ann, "Backstage");

        Answer list = host.call("GET", "/api/rooms", ann.token(), null);
        assertThat(list.body().path("rooms")).extracting(r -> r.path("name").asText())
                .containsExactly("Main stage", "Backstage");
        Answer one = host.call("GET", "/api/rooms/" + roomId.toUpperCase(java.util.Locale.ROOT), ann.token(), null);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.body().path("roomId").asText()).isEqualTo(roomId);
        assertThat(one.body().path("members").asInt()).isZero();

        assertThat(host.call("POST", "/api/rooms", ann.token(), body("name", "")).status()).isEqualTo(400);
        assertThat(host.call("GET", "/api/rooms/nosuchroom", ann.token(), null).status()).isEqualTo(404);
        assertThat(host.call("DELETE", "/api/rooms", ann.token(), null).status()).isEqualTo(405);
        assertThat(host.call("GET", "/api/nothing", ann.token(), null).status()).isEqualTo(404);
    }

    @Test
    void posting_validatesTheText_andTheRoom() {
        User ann = host.login("Ann");
        String room = host.createRoom(ann, "Lobby");
        assertThat(host.post(ann, room, " ").status()).isEqualTo(400);
        assertThat(host.post(ann, room, "x".repeat(1001)).status()).isEqualTo(400);
        assertThat(host.post(ann, "nosuchroom", "hi").status()).isEqualTo(404);
        Answer ok = host.post(ann, room, " hi ");
        assertThat(ok.status()).isEqualTo(201);
        assertThat(ok.body().at("/message/text").asText()).isEqualTo("hi");
    }

    @Test
    void page_isServedWithTheSecurityHeaders() throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(host.http.resolve("/")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("chat.js");
        assertThat(r.headers().firstValue("content-security-policy")).isPresent();
    }
}
