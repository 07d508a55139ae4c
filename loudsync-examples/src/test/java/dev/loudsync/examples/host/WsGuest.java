package dev.loudsync.examples.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A guest on the JDK's own WebSocket client, independent of LoudSync's code: it queues every text
 * message as JSON and records the close. Host {@code PING}s are answered, and they and
 * {@code MEMBER_UPDATED} (latency changes, at the host's pace) are kept out of the queue.
 */
public final class WsGuest implements WebSocket.Listener, AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final long WAIT_SECONDS = 10;

    /** A received close: the status code and reason. */
    public record Close(int code, String reason) {
    }

    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    private WsGuest() {
    }

    public static WsGuest connect(URI uri) {
        WsGuest g = new WsGuest();
        g.socket = CLIENT.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(WAIT_SECONDS))
                .buildAsync(uri, g)
                .orTimeout(WAIT_SECONDS, TimeUnit.SECONDS)
                .join();
        return g;
    }

    /** Connects and sends a version 1.0 {@code JOIN}; the answers are left in the queue. */
    static WsGuest join(URI uri, String sessionId, String deviceId, String deviceName) {
        return join(uri, sessionId, deviceId, deviceName, "1.0.0", null);
    }

    /** Connects and sends a {@code JOIN} of {@code version}, with {@code auth} unless null. */
    public static WsGuest join(URI uri, String sessionId, String deviceId, String deviceName, String version,
            String auth) {
        WsGuest g = connect(uri);
        ObjectNode payload = JSON.createObjectNode()
                .put("sessionId", sessionId)
                .put("deviceId", deviceId)
                .put("deviceName", deviceName)
                .put("version", version);
        if (auth != null) {
            payload.put("auth", auth);
        }
        g.send("JOIN", payload);
        return g;
    }

    public void send(String type, ObjectNode payload) {
        send(type, payload, null);
    }

    /** Sends a message with the envelope {@code id} (1.1 requests), none if null. */
    public void send(String type, ObjectNode payload, String id) {
        ObjectNode message = JSON.createObjectNode().put("type", type);
        if (id != null) {
            message.put("id", id);
        }
        message.set("payload", payload);
        socket.sendText(message.toString(), true).orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).join();
    }

    void sendChat(String text) {
        send("CHAT", JSON.createObjectNode().put("text", text));
    }

    /** Waits up to {@code seconds} for a message; null if none came. */
    public JsonNode poll(long seconds) {
        try {
            return messages.poll(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The next message, which must be of {@code type}; fails after 10 s without one. */
    public JsonNode next(String type) {
        JsonNode m = poll(WAIT_SECONDS);
        if (m == null) {
            throw new AssertionError("no " + type + " within " + WAIT_SECONDS + " s (closed: "
                    + (closed.isDone() ? closed.join() : "no") + ")");
        }
        assertThat(m.path("type").asText()).as("type of %s", m).isEqualTo(type);
        return m;
    }

    /** Receives the join sequence: {@code WELCOME}, then {@code MEMBER_LIST}, which it returns. */
    JsonNode joined() {
        next("WELCOME");
        return next("MEMBER_LIST");
    }

    /** The close the host sent, waiting up to 10 s for it. */
    public Close closeFrame() {
        return closed.orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).join();
    }

    /** Whether no message is waiting. */
    public boolean isQuiet() {
        return messages.isEmpty();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            try {
                JsonNode node = JSON.readTree(text);
                String type = node.path("type").asText();
                if (type.equals("PING")) {
                    webSocket.sendText("{\"type\":\"PONG\",\"payload\":{\"pingTimestamp\":"
                            + node.path("timestamp").asLong() + "}}", true);
                } else if (!type.equals("MEMBER_UPDATED")) {
                    messages.add(node);
                }
            } catch (Exception e) {
                messages.add(JSON.createObjectNode().put("type", "UNPARSEABLE").put("text", text));
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Close(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(new Close(1006, String.valueOf(error)));
    }

    /** Drops the connection at once (test teardown). */
    @Override
    public void close() {
        socket.abort();
    }
}
