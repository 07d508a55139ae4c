package dev.loudsync.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loudsync.netty.LoudSyncServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A chat on a real server on 127.0.0.1 (any free port), on the database at {@code dbUrl}, with
 * short timings (typing cleared after 300 ms, an empty room's session closed after 1 s); and the
 * HTTP calls and guests of a test, closed with it.
 */
final class ChatTestHost implements AutoCloseable {

    static final Duration TYPING_TIMEOUT = Duration.ofMillis(300);

    /** A signed-in user. */
    record User(String userId, String name, String token) {
        String device(String tab) {
            return userId + ":" + tab;
        }
    }

    /** An HTTP answer: status and JSON body. */
    record Answer(int status, JsonNode body) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final ChatApp app;
    final URI ws;
    final URI http;
    private final List<ChatGuest> guests = new ArrayList<>();

    ChatTestHost(String dbUrl, String user, String password) {
        this(dbUrl, user, password, new ChatApp.Settings(ChatTokens.DEFAULT_TTL, TYPING_TIMEOUT, Duration.ofSeconds(1)));
    }

    ChatTestHost(String dbUrl, String user, String password, ChatApp.Settings settings) {
        ChatStore store = ChatStore.open(dbUrl, user, password);
        app = new ChatApp(LoudSyncServer.builder().bindAddress("127.0.0.1").port(0), store, settings, Clock.systemUTC());
        app.server().start().join();
        ws = URI.create("ws://127.0.0.1:" + app.server().port() + "/");
        http = URI.create("http://127.0.0.1:" + app.server().port());
    }

    User login(String name) {
        Answer a = call("POST", "/api/login", null, ChatGuest.JSON.createObjectNode().put("name", name));
        assertThat(a.status()).as("login %s", a.body()).isEqualTo(200);
        return new User(a.body().path("userId").asText(), a.body().path("name").asText(), a.body().path("token").asText());
    }

    String createRoom(User user, String name) {
        Answer a = call("POST", "/api/rooms", user.token(), ChatGuest.JSON.createObjectNode().put("name", name));
        assertThat(a.status()).as("create room %s", a.body()).isEqualTo(201);
        return a.body().path("roomId").asText();
    }

    /** Posts through the API; returns the answer. */
    Answer post(User user, String roomId, String text) {
        return call("POST", "/api/rooms/" + roomId + "/messages", user.token(),
                ChatGuest.JSON.createObjectNode().put("text", text));
    }

    /** An HTTP call; {@code token} null for none, {@code body} null for none. */
    Answer call(String method, String path, String token, ObjectNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(http.resolve(path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.toString()));
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = r.body().isEmpty() ? ChatGuest.JSON.nullNode() : ChatGuest.JSON.readTree(r.body());
            return new Answer(r.statusCode(), json);
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Connects and sends a JOIN; the answers are left in the queue. */
    ChatGuest sendJoin(String roomId, String deviceId, String token) {
        ChatGuest g = ChatGuest.join(ws, roomId, deviceId, token);
        guests.add(g);
        return g;
    }

    /** Joins as {@code user}'s tab {@code tab} and reads the join sequence; returns the guest. */
    ChatGuest join(String roomId, User user, String tab) {
        ChatGuest g = sendJoin(roomId, user.device(tab), user.token());
        g.joined();
        return g;
    }

    @Override
    public void close() {
        guests.forEach(ChatGuest::close);
        app.close();
    }
}
