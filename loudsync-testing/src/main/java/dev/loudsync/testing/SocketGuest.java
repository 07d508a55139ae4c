package dev.loudsync.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A guest over a real WebSocket, for tests of a host that listens on a socket: the JDK's own
 * WebSocket client, frames read as plain Jackson trees, so a test sees what the host sent as any
 * other client would, independently of LoudSync's client. It queues every text message in order,
 * answers the host's {@code PING}s with {@code PONG} (keeping them out of the queue) and records the
 * close.
 *
 * <pre>{@code
 * URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/");
 * try (SocketGuest phone = SocketGuest.join(uri, "ABC123", "phone-1")) {
 *     phone.next("WELCOME");
 *     JsonNode list = phone.next("MEMBER_LIST");
 *     assertThat(list.at("/payload/members")).hasSize(2);
 * }
 * }</pre>
 *
 * <p>Every wait is bounded ({@value #WAIT_SECONDS} s) and fails with an {@link AssertionError}
 * naming what did not come. Messages of types passed to {@link #ignoring} are dropped (for example
 * {@code MEMBER_UPDATED}, whose latency changes come at the host's pace). Thread-safe: the JDK's
 * client delivers on its own threads, the test reads from its own.
 */
public final class SocketGuest implements AutoCloseable {

    /** How long each wait of this class lasts before it fails. */
    public static final long WAIT_SECONDS = 10;

    /** The protocol version {@link #join(URI, String, String)} names: a version-1 guest's. */
    public static final String VERSION_1 = "1.0.0";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    /** A close the host sent (or 1006 with the error when the connection failed). */
    public record Close(int code, String reason) {
    }

    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final List<String> texts = new ArrayList<>();
    private final List<JsonNode> pings = new ArrayList<>();
    private final Set<String> ignored = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    /** Done once a JOIN's answer (MEMBER_LIST or ERROR) arrived, or the connection closed. */
    private final CompletableFuture<Void> answered = new CompletableFuture<>();
    private final Listener listener = new Listener();
    private final WebSocket socket;
    /**
     * The last data message handed to the socket: the JDK's client takes one at a time, and the
     * answers to host {@code PING}s go out from its own thread while a test sends from another.
     */
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

    private SocketGuest(URI uri, Map<String, String> headers) {
        WebSocket.Builder builder = CLIENT.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(WAIT_SECONDS));
        headers.forEach(builder::header);
        socket = builder.buildAsync(uri, listener).orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).join();
    }

    /** Opens a WebSocket to {@code uri}; nothing is sent. */
    public static SocketGuest connect(URI uri) {
        return connect(uri, Map.of());
    }

    /**
     * Opens a WebSocket to {@code uri} with extra headers on the upgrade request (name to value),
     * such as {@code Origin} or {@code Authorization}.
     *
     * @throws CompletionException if the host refuses the upgrade or does not answer in time
     */
    public static SocketGuest connect(URI uri, Map<String, String> headers) {
        Objects.requireNonNull(uri, "uri");
        return new SocketGuest(uri, Map.copyOf(headers));
    }

    /**
     * Connects and joins as a version-1 guest named {@code "Guest " + deviceId}, then waits for the
     * host's answer ({@code MEMBER_LIST} or {@code ERROR}) or the close, so that guests joined one
     * after another join in that order. The answer stays in the queue.
     */
    public static SocketGuest join(URI uri, String sessionId, String deviceId) {
        SocketGuest guest = connect(uri);
        guest.sendJoin(sessionId, deviceId, "Guest " + deviceId, VERSION_1, null);
        guest.awaitAnswer();
        return guest;
    }

    /** Connects, sends {@code joinText} as it is and waits for the answer as {@link #join} does. */
    public static SocketGuest joinWith(URI uri, String joinText) {
        SocketGuest guest = connect(uri);
        guest.send(joinText);
        guest.awaitAnswer();
        return guest;
    }

    /**
     * Drops messages of these types from now on. Call it before the {@code JOIN} to be sure none
     * of them is queued.
     */
    public SocketGuest ignoring(String... types) {
        ignored.addAll(List.of(types));
        return this;
    }

    /**
     * Sends a {@code JOIN} of protocol {@code version} (none if null), with {@code auth} unless
     * null, and returns at once: the answers, if any come, go to the queue.
     */
    public SocketGuest sendJoin(String sessionId, String deviceId, String deviceName, @Nullable String version,
            @Nullable String auth) {
        ObjectNode payload = JSON.createObjectNode()
                .put("sessionId", sessionId)
                .put("deviceId", deviceId)
                .put("deviceName", deviceName);
        if (version != null) {
            payload.put("version", version);
        }
        if (auth != null) {
            payload.put("auth", auth);
        }
        send("JOIN", payload);
        return this;
    }

    /** Waits for the answer to a {@code JOIN} ({@code MEMBER_LIST} or {@code ERROR}) or the close. */
    public void awaitAnswer() {
        wait(answered, "an answer to JOIN");
    }

    /** Sends {@code {"type":type,"payload":payload}}; a null payload is an empty object. */
    public void send(String type, @Nullable ObjectNode payload) {
        send(type, payload, null);
    }

    /** Sends a message with the envelope {@code id} (a 1.1 request), none if null. */
    public void send(String type, @Nullable ObjectNode payload, @Nullable String id) {
        ObjectNode message = JSON.createObjectNode().put("type", type);
        if (id != null) {
            message.put("id", id);
        }
        message.set("payload", payload == null ? JSON.createObjectNode() : payload);
        send(message.toString());
    }

    /** Sends {@code text} as one text frame, as it is. */
    public void send(String text) {
        wait(inOrder(() -> socket.sendText(text, true)), "the send of " + text);
    }

    /** Sends {@code text}, or returns false when the connection's output is already closed. */
    public boolean trySend(String text) {
        try {
            inOrder(() -> socket.sendText(text, true)).orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).join();
            return true;
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException) {
                return false;
            }
            throw e;
        }
    }

    /** Sends {@code bytes} as one binary frame. */
    public void sendBinary(byte[] bytes) {
        wait(inOrder(() -> socket.sendBinary(ByteBuffer.wrap(bytes), true)),
                "the send of " + bytes.length + " bytes");
    }

    /** Starts {@code send} once every earlier send of this guest has ended, however it ended. */
    private synchronized CompletableFuture<WebSocket> inOrder(Supplier<CompletableFuture<WebSocket>> send) {
        CompletableFuture<WebSocket> next = sending.handle((done, error) -> null).thenCompose(ignored -> send.get());
        sending = next;
        return next;
    }

    /** Waits up to {@code timeout} for the next message; null if none came. */
    public @Nullable JsonNode poll(Duration timeout) {
        try {
            return messages.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The next message, waiting up to {@value #WAIT_SECONDS} s for it. */
    public JsonNode next() {
        JsonNode m = poll(Duration.ofSeconds(WAIT_SECONDS));
        if (m == null) {
            throw new AssertionError("no message within " + WAIT_SECONDS + " s (closed: "
                    + (closed.isDone() ? closed.join() : "no") + ")");
        }
        return m;
    }

    /** The next message, which must be of {@code type}. */
    public JsonNode next(String type) {
        JsonNode m = next();
        if (!m.path("type").asText().equals(type)) {
            throw new AssertionError("expected a " + type + ", received " + m);
        }
        return m;
    }

    /** Skips messages until one of {@code type} arrives, and returns it. */
    public JsonNode nextOf(String type) {
        while (true) {
            JsonNode m = next();
            if (m.path("type").asText().equals(type)) {
                return m;
            }
        }
    }

    /** Reads the join sequence, {@code WELCOME} then {@code MEMBER_LIST}, and returns the list. */
    public JsonNode joined() {
        next("WELCOME");
        return next("MEMBER_LIST");
    }

    /** Whether a message is waiting in the queue. */
    public boolean hasMessage() {
        return !messages.isEmpty();
    }

    /** Every text message received so far as sent, host {@code PING}s and ignored types left out. */
    public synchronized List<String> texts() {
        return List.copyOf(texts);
    }

    /** The host's {@code PING}s received so far (each answered). */
    public synchronized List<JsonNode> pings() {
        return List.copyOf(pings);
    }

    /** The close the host sent, waiting up to {@value #WAIT_SECONDS} s for it. */
    public Close closeFrame() {
        return wait(closed, "the close");
    }

    /** The close code, waiting for the close as {@link #closeFrame()} does. */
    public int closeCode() {
        return closeFrame().code();
    }

    /** The close reason, waiting for the close as {@link #closeFrame()} does. */
    public String closeReason() {
        return closeFrame().reason();
    }

    /** Whether the connection has closed (or failed). */
    public boolean isClosed() {
        return closed.isDone();
    }

    /** Drops the connection at once, without a close handshake (a test's teardown). */
    @Override
    public void close() {
        socket.abort();
    }

    private static <T> T wait(CompletableFuture<T> future, String what) {
        try {
            return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no " + what + " within " + WAIT_SECONDS + " s");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new CompletionException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        }
    }

    private void onMessage(WebSocket webSocket, String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (IOException e) {
            messages.add(JSON.createObjectNode().put("type", "UNPARSEABLE").put("text", text));
            return;
        }
        String type = node.path("type").asText();
        if (type.equals("PING")) {
            synchronized (this) {
                pings.add(node);
            }
            ObjectNode pong = JSON.createObjectNode().put("type", "PONG").put("timestamp", System.currentTimeMillis());
            pong.putObject("payload").put("pingTimestamp", node.path("timestamp").asLong());
            inOrder(() -> webSocket.sendText(pong.toString(), true));
            return;
        }
        if (ignored.contains(type)) {
            return;
        }
        synchronized (this) {
            texts.add(text);
        }
        messages.add(node);
        if (type.equals("MEMBER_LIST") || type.equals("ERROR")) {
            answered.complete(null);
        }
    }

    private final class Listener implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                onMessage(webSocket, text);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Close(statusCode, reason));
            answered.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new Close(1006, String.valueOf(error)));
            answered.complete(null);
        }
    }
}
