package dev.loudsync.examples.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loudsync.testing.SocketGuest;
import java.net.URI;
import java.time.Duration;

/**
 * A chat client written against the wire contract alone: the test kit's JDK WebSocket guest
 * ({@link SocketGuest}, here without the host's latency updates),
 * speaking 1.1 with a token in {@code JOIN.auth} and request ids.
 */
final class ChatGuest implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final long WAIT_SECONDS = 10;

    private final SocketGuest ws;
    private int nextId;

    private ChatGuest(SocketGuest ws) {
        this.ws = ws;
    }

    /** Connects and sends a 1.1 {@code JOIN} for {@code roomId} with {@code token} as {@code auth} (none if null). */
    static ChatGuest join(URI uri, String roomId, String deviceId, String token) {
        return new ChatGuest(SocketGuest.connect(uri).ignoring("MEMBER_UPDATED")
                .sendJoin(roomId, deviceId, "asked-for name", "1.1.0", token));
    }

    /** Sends a message; {@code id} null for none. */
    void send(String type, ObjectNode payload, String id) {
        ws.send(type, payload, id);
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
        return ws.next(type);
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
        return ws.poll(Duration.ofSeconds(seconds));
    }

    SocketGuest.Close closeFrame() {
        return ws.closeFrame();
    }

    boolean isQuiet() {
        return !ws.hasMessage();
    }

    /** Says goodbye with {@code LEAVE}. */
    void leave() {
        send("LEAVE", JSON.createObjectNode(), null);
    }

    @Override
    public void close() {
        ws.close();
    }

    static Duration waitLimit() {
        return Duration.ofSeconds(WAIT_SECONDS);
    }
}
