package dev.loudsync.examples.chat;

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
 * A chat client on the JDK's WebSocket, written against the wire contract alone: it queues every
 * message but the host's liveness traffic ({@code PING}, answered; {@code MEMBER_UPDATED} latency
 * news) and records the close.
 */
final class ChatGuest implements WebSocket.Listener, AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final long WAIT_SECONDS = 10;

    record Close(int code, String reason) {
    }

    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;
    private int nextId;

    /** Connects and sends a 1.1 {@code JOIN} for {@code roomId} with {@code token} as {@code auth} (none if null). */
    static ChatGuest join(URI uri, String roomId, String deviceId, String token) {
        ChatGuest g = new ChatGuest();
        g.socket = CLIENT.newWebSocketBuilder()
                .buildAsync(uri, g)
                .orTimeout(WAIT_SECONDS, TimeUnit.SECONDS)
                .join();
        ObjectNode join = JSON.createObjectNode()
                .put("sessionId", roomId)
                .put("deviceId", deviceId)
                .put("deviceName", "asked-for name")
                .put("version", "1.1.0");
        if (token != null) {
            join.put("auth", token);
        }
        g.send("JOIN", join, null);
        return g;
    }

    /** Sends a message; {@code id} null for none. */
    void send(String type, ObjectNode payload, String id) {
        ObjectNode message = JSON.createObjectNode().put("type", type);
        if (id != null) {
            message.put("id", id);
        }
        message.set("payload", payload);
        socket.sendText(message.toString(), true).orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).join();
    }

    /** Sends {@code type} with a fresh request id, which it returns. */
    String request(String type, ObjectNode payload) {
        String id = "r" + (++nextId);
        send(type, payload, id);
        return id;
    }

    /** Sends {@code SEND_MESSAGE {text}} with a request id, which it returns. */
    String sendMessage(String text) {
        return request("SEND_MESSAGE", JSON.createObjectNode().put("text", text));
    }

    /** The next message, which must be of {@code type}; fails after 10 s without one. */
    JsonNode next(String type) {
        JsonNode m = poll(WAIT_SECONDS);
        if (m == null) {
            throw new AssertionError("no " + type + " within " + WAIT_SECONDS + " s (closed: "
                    + (closed.isDone() ? closed.join() : "no") + ")");
        }
        assertThat(m.path("type").asText()).as("type of %s", m).isEqualTo(type);
        return m;
    }

    /** The payload of the next message, which must be of {@code type}. */
    JsonNode nextPayload(String type) {
        return next(type).path("payload");
    }

    /** Receives {@code WELCOME}, {@code MEMBER_LIST} and {@code HISTORY}, and returns the history's messages. */
    JsonNode joined() {
        next("WELCOME");
        next("MEMBER_LIST");
        return nextPayload("HISTORY").path("messages");
    }

    /** Waits up to {@code seconds} for a message; null if none came. */
    JsonNode poll(long seconds) {
        try {
            return messages.poll(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    Close closeFrame() {
        return closed.orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).join();
    }

    boolean isQuiet() {
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

    /** Says goodbye with {@code LEAVE}. */
    void leave() {
        send("LEAVE", JSON.createObjectNode(), null);
    }

    @Override
    public void close() {
        socket.abort();
    }

    static Duration waitLimit() {
        return Duration.ofSeconds(WAIT_SECONDS);
    }
}
