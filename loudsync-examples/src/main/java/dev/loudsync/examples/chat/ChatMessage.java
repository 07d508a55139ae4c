package dev.loudsync.examples.chat;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One stored message, as {@code NEW_MESSAGE} and {@code HISTORY} carry it. Ids grow with every
 * message (the database assigns them), so a client can order messages and drop one it already has.
 *
 * @param createdAt milliseconds since the epoch, the host's clock
 */
record ChatMessage(long id, String roomId, String userId, String userName, String text, long createdAt) {

    /** The wire form: {@code {id, roomId, userId, userName, text, createdAt}}. */
    Map<String, Object> toPayload() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("roomId", roomId);
        m.put("userId", userId);
        m.put("userName", userName);
        m.put("text", text);
        m.put("createdAt", createdAt);
        return m;
    }
}
