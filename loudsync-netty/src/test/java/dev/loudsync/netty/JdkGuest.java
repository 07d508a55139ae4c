package dev.loudsync.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.ProtocolRules;
import dev.loudsync.netty.internal.ClientCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A guest on the JDK's own WebSocket client: what it receives is read independently of LoudSync
 * and Netty (the JDK's client, a plain Jackson tree), so the suite sees the host's frames as any
 * other client would. Collects every text message as a JSON tree; host PINGs are answered with
 * PONG and kept out of the queue unless asked for. What it sends on its own ({@code JOIN},
 * {@code PONG}) is written by LoudSync's client codec, as every LoudSync guest writes it.
 */
final class JdkGuest implements WebSocket.Listener, AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final ClientCodec CODEC = new ClientCodec();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    /** Every text message as received, host PINGs left out, in order. */
    private final List<String> texts = new ArrayList<>();
    private final List<JsonNode> pings = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<int[]> closed = new CompletableFuture<>();
    /** Done once a JOIN's answer (MEMBER_LIST or ERROR) arrived, or the connection closed. */
    private final CompletableFuture<Void> answered = new CompletableFuture<>();
    private volatile String closeReason;
    private WebSocket socket;

    static JdkGuest connect(URI uri) {
        return connect(uri, Map.of());
    }

    static JdkGuest connect(URI uri, String origin) {
        return origin == null ? connect(uri, Map.of()) : connect(uri, Map.of("Origin", origin));
    }

    /** Connects with extra upgrade request headers (name to value). */
    static JdkGuest connect(URI uri, Map<String, String> headers) {
        JdkGuest g = new JdkGuest();
        WebSocket.Builder b = CLIENT.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(b::header);
        g.socket = b.buildAsync(uri, g).orTimeout(10, TimeUnit.SECONDS).join();
        return g;
    }

    /**
     * Connects, sends {@code joinText} as it is and returns once the host answered, as
     * {@link #join(URI, String, String)}.
     */
    static JdkGuest joinWith(URI uri, String joinText) {
        JdkGuest g = connect(uri);
        g.send(joinText);
        g.answered.orTimeout(10, TimeUnit.SECONDS).join();
        return g;
    }

    /** Every text message received so far, as sent (host PINGs left out). */
    synchronized List<String> texts() {
        return List.copyOf(texts);
    }

    /**
     * Connects and joins; returns once the host answered (WELCOME and MEMBER_LIST, or an ERROR) or
     * closed the connection, so that guests joined one after another join in that order. The
     * answer stays in the queue.
     */
    static JdkGuest join(URI uri, String sessionId, String deviceId) {
        JdkGuest g = connect(uri);
        g.send(CODEC.encodeToString(new GuestMessage.Join(sessionId, deviceId, "Guest " + deviceId,
                ProtocolRules.CLIENT_VERSION, null, null, Set.of()), 1));
        g.answered.orTimeout(10, TimeUnit.SECONDS).join();
        return g;
    }

    void send(String text) {
        socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Sends {@code text}, or returns false when the connection's output is already closed. */
    boolean trySend(String text) {
        try {
            send(text);
            return true;
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException) {
                return false;
            }
            throw e;
        }
    }

    void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** The next message, waiting up to 10 s. */
    JsonNode next() {
        try {
            JsonNode m = messages.poll(10, TimeUnit.SECONDS);
            if (m == null) {
                fail("no message within 10 s (closed: %s)", closed.isDone() ? closeCode() : "no");
            }
            return m;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** The next message, which must have {@code type}. */
    JsonNode next(String type) {
        JsonNode m = next();
        assertThat(m.path("type").asText()).as("type of %s", m).isEqualTo(type);
        return m;
    }

    /** Skips messages until one of {@code type} arrives. */
    JsonNode nextOf(String type) {
        while (true) {
            JsonNode m = next();
            if (m.path("type").asText().equals(type)) {
                return m;
            }
        }
    }

    /** Whether a message is waiting. */
    boolean hasMessage() {
        return !messages.isEmpty();
    }

    /** The close code, waiting up to 10 s for the close. */
    int closeCode() {
        return closed.orTimeout(10, TimeUnit.SECONDS).join()[0];
    }

    String closeReason() {
        closeCode();
        return closeReason;
    }

    boolean isClosed() {
        return closed.isDone();
    }

    synchronized List<JsonNode> pings() {
        return List.copyOf(pings);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            try {
                JsonNode node = JSON.readTree(text);
                if ("PING".equals(node.path("type").asText())) {
                    synchronized (this) {
                        pings.add(node);
                    }
                    webSocket.sendText(CODEC.encodeToString(new GuestMessage.Pong(node.path("timestamp").asLong()),
                            System.currentTimeMillis()), true);
                } else {
                    synchronized (this) {
                        texts.add(text);
                    }
                    messages.add(node);
                    String type = node.path("type").asText();
                    if ("MEMBER_LIST".equals(type) || "ERROR".equals(type)) {
                        answered.complete(null);
                    }
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
        closeReason = reason;
        closed.complete(new int[] {statusCode});
        answered.complete(null);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(new int[] {1006});
        answered.complete(null);
    }

    @Override
    public void close() {
        socket.abort();
    }
}
