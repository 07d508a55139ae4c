package dev.loudsync.examples.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loudsync.core.RequestRejectedException;
import dev.loudsync.examples.host.PageFiles;
import dev.loudsync.netty.AsyncWebHandler;
import dev.loudsync.netty.WebRequest;
import dev.loudsync.netty.WebResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat's HTTP side: its page, and a JSON API.
 *
 * <pre>
 * POST /api/login {name}                       -> 200 {token, userId, name}
 * GET  /api/rooms                              -> 200 {rooms: [{roomId, name, createdAt, members}]}
 * POST /api/rooms {name}                       -> 201 {roomId, name, createdAt, members}
 * GET  /api/rooms/{roomId}                     -> 200 {roomId, name, createdAt, members}
 * POST /api/rooms/{roomId}/messages {text}     -> 201 {messageId, message}
 * </pre>
 *
 * Every call but the login needs {@code Authorization: Bearer TOKEN} (401 without a valid one).
 * Errors are {@code {error}} with 400 (bad body), 401, 404 (no such room or path), 405 (method),
 * or 500 (the database failed; logged). Answers are {@code Cache-Control: no-store}. Database work
 * runs on the store's thread; the network thread only parses and routes.
 */
final class ChatApi implements AsyncWebHandler {

    private static final Logger log = LoggerFactory.getLogger(ChatApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ROOM = Pattern.compile("/api/rooms/([^/]{1,32})");
    private static final Pattern ROOM_MESSAGES = Pattern.compile("/api/rooms/([^/]{1,32})/messages");

    private final ChatApp app;
    private final PageFiles page = new PageFiles("/dev/loudsync/examples/chat/web/", "index.html", "chat.js", "chat.css");

    ChatApi(ChatApp app) {
        this.app = app;
    }

    @Override
    public CompletionStage<WebResponse> handle(WebRequest request) {
        try {
            return route(request).exceptionally(ChatApi::failure);
        } catch (ApiError e) {
            return CompletableFuture.completedFuture(e.response());
        } catch (RequestRejectedException e) {
            return done(error(400, e.getMessage()));
        }
    }

    private CompletableFuture<WebResponse> route(WebRequest r) {
        String path = r.path();
        if (!path.startsWith("/api/")) {
            WebResponse file = r.method().equals("GET") || r.method().equals("HEAD") ? page.get(path) : null;
            return done(file != null ? file : error(404, "Not found"));
        }
        if (path.equals("/api/login")) {
            requireMethod(r, "POST");
            String name = ChatUsers.displayName(stringField(r, "name"))
                    .orElseThrow(() -> new ApiError(400, "name: 1-64 characters, no control characters"));
            ChatUser user = new ChatUser(ChatUsers.newUserId(), name);
            return done(json(200, Map.of("token", app.tokens().issue(user, app.clock().instant()),
                    "userId", user.userId(), "name", name)));
        }
        ChatUser user = user(r);
        if (path.equals("/api/rooms")) {
            if (r.method().equals("GET")) {
                return done(json(200, Map.of("rooms", app.roomList())));
            }
            requireMethod(r, "POST");
            String name = ChatUsers.displayName(stringField(r, "name"))
                    .orElseThrow(() -> new ApiError(400, "name: 1-64 characters, no control characters"));
            return app.createRoom(name, user).thenApply(room -> json(201, app.roomView(room)));
        }
        Matcher room = ROOM.matcher(path);
        if (room.matches()) {
            requireMethod(r, "GET");
            return done(json(200, app.roomView(existing(room.group(1)))));
        }
        Matcher messages = ROOM_MESSAGES.matcher(path);
        if (messages.matches()) {
            requireMethod(r, "POST");
            ChatRoomInfo target = existing(messages.group(1));
            String text = ChatRoom.text(stringField(r, "text"));
            return app.post(target, user, text).thenApply(m -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("messageId", m.id());
                body.put("message", m.toPayload());
                return json(201, body);
            });
        }
        return done(error(404, "Not found"));
    }

    private ChatRoomInfo existing(String roomId) {
        return app.room(roomId).orElseThrow(() -> new ApiError(404, "No room " + roomId));
    }

    private ChatUser user(WebRequest r) {
        String header = r.header("authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiError(401, "Sign in first: Authorization: Bearer TOKEN");
        }
        return app.tokens().verify(header.substring(7).strip())
                .orElseThrow(() -> new ApiError(401, "Invalid or expired token"));
    }

    private static void requireMethod(WebRequest r, String method) {
        if (!r.method().equals(method)) {
            throw new ApiError(405, "Method " + r.method() + " not allowed (expected: " + method + ")");
        }
    }

    /** A string field of the JSON object in the body; null if absent. */
    private static String stringField(WebRequest r, String field) {
        JsonNode body;
        try {
            body = JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            throw new ApiError(400, "Body: a JSON object expected");
        }
        if (body == null || !body.isObject()) {
            throw new ApiError(400, "Body: a JSON object expected");
        }
        JsonNode value = body.get(field);
        if (value != null && !value.isTextual()) {
            throw new ApiError(400, field + ": a string expected");
        }
        return value == null ? null : value.textValue();
    }

    private static WebResponse failure(Throwable t) {
        Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof ApiError e) {
            return e.response();
        }
        log.warn("Chat API call failed", cause);
        return error(500, "Internal error");
    }

    private static CompletableFuture<WebResponse> done(WebResponse r) {
        return CompletableFuture.completedFuture(r);
    }

    private static WebResponse error(int status, String message) {
        return json(status, Map.of("error", message));
    }

    private static WebResponse json(int status, Object body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return PageFiles.secure(new WebResponse(status, "application/json", bytes, Map.of()))
                .withHeader("Cache-Control", "no-store");
    }

    /** An answer other than success, thrown while routing. */
    private static final class ApiError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        ApiError(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        WebResponse response() {
            return error(status, getMessage());
        }
    }
}
