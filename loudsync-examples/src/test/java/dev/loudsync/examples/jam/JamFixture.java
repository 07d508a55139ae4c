package dev.loudsync.examples.jam;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.netty.LoudSyncServer;
import dev.loudsync.netty.client.ClientListener;
import dev.loudsync.netty.client.LoudSyncClient;
import dev.loudsync.netty.client.RequestFailedException;
import dev.loudsync.testing.Await;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A jam server on 127.0.0.1 (any free port) with a small catalog, and clients and HTTP calls against it. */
final class JamFixture implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final JamServer jam;
    final URI http;
    private final URI ws;
    private final HttpClient httpClient = HttpClient.newHttpClient();
    private final List<LoudSyncClient> clients = new ArrayList<>();

    JamFixture(Catalog catalog, Duration startLead) {
        LoudSyncServer.Builder b = LoudSyncServer.builder().bindAddress("127.0.0.1").port(0).messageRate(1000, 1000);
        jam = JamServer.start(b, catalog, startLead).join();
        int port = jam.server().localAddress().getPort();
        http = URI.create("http://127.0.0.1:" + port + "/");
        ws = URI.create("ws://127.0.0.1:" + port + "/");
    }

    /** A catalog of two in-memory tracks: {@code t-long} (60 s) and {@code t-short} ({@code shortMs}). */
    static Catalog catalog(long shortMs) {
        return new Catalog(List.of(
                Track.inMemory("t-long", "Long One", "Band A", 60_000, "audio/wav", Melodies.wav(new short[2205])),
                Track.inMemory("t-short", "Short One", "Band B", shortMs, "audio/wav", Melodies.wav(new short[100]))));
    }

    /** Opens a session through the API and returns its code. */
    String createSession(String name) throws Exception {
        HttpResponse<String> r = post("api/sessions", "{\"name\":\"" + name + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).get("sessionId").asText();
    }

    LoudSyncClient join(String code, String id, String name) throws Exception {
        return join(code, id, name, new ClientListener() { });
    }

    LoudSyncClient join(String code, String id, String name, ClientListener listener) throws Exception {
        LoudSyncClient c = LoudSyncClient.builder().url(ws).sessionId(code).device(id, name).sharedState(true)
                .listener(listener).build();
        clients.add(c);
        c.connect().get(10, TimeUnit.SECONDS);
        return c;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return httpClient.send(HttpRequest.newBuilder(http.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(String path, String range) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(http.resolve(path));
        if (range != null) {
            b.header("Range", range);
        }
        return httpClient.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return httpClient.send(HttpRequest.newBuilder(http.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    /** The result of a request that must succeed. */
    static Object ok(CompletableFuture<Object> request) throws Exception {
        return request.get(10, TimeUnit.SECONDS);
    }

    /** The refusal of a request that must fail. */
    static RequestFailedException refused(CompletableFuture<?> request) throws Exception {
        try {
            request.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(RequestFailedException.class);
            return (RequestFailedException) e.getCause();
        }
        throw new AssertionError("the request succeeded");
    }

    static void assertRefused(CompletableFuture<?> request, String code, String message) throws Exception {
        RequestFailedException e = refused(request);
        assertThat(e.code()).isEqualTo(ErrorCode.of(code));
        if (message != null) { // null: the library's own text, tested there
            assertThat(e.getMessage()).isEqualTo(message);
        }
    }

    static void await(BooleanSupplier condition, String what) {
        Await.until(what, condition);
    }

    static Map<String, Object> map(Object o) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) o;
        return m;
    }

    @Override
    public void close() {
        for (LoudSyncClient c : clients) {
            c.close();
        }
        jam.close();
    }
}
