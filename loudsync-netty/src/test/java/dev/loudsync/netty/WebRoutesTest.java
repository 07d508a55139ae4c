package dev.loudsync.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Plain HTTP routes of the embedding application (PROTOCOL.md, "HTTP and handshake"): bodies up to
 * the application's bound, answers that come later, and byte ranges for media.
 */
class WebRoutesTest {

    private static final byte[] MEDIA = new byte[1000];

    static {
        for (int i = 0; i < MEDIA.length; i++) {
            MEDIA[i] = (byte) i;
        }
    }

    private final ConcurrentLinkedQueue<CompletableFuture<WebResponse>> later = new ConcurrentLinkedQueue<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ServerTestSupport t;

    private void start(int maxBody) {
        t = new ServerTestSupport(b -> b.maxRequestBodyBytes(maxBody).asyncWebHandler(r -> {
            switch (r.path()) {
                case "/echo":
                    return CompletableFuture.completedFuture(WebResponse.json("{\"got\":\"" + r.bodyText() + "\"}"));
                case "/media":
                    return CompletableFuture.completedFuture(WebResponse.ok("audio/wav", MEDIA).withByteRanges());
                case "/plain":
                    return CompletableFuture.completedFuture(WebResponse.ok("audio/wav", MEDIA));
                case "/later":
                    CompletableFuture<WebResponse> f = new CompletableFuture<>();
                    later.add(f);
                    return f;
                case "/fails":
                    return CompletableFuture.failedFuture(new IllegalStateException("database down"));
                default:
                    return CompletableFuture.completedFuture(null);
            }
        }));
    }

    @AfterEach
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    private HttpResponse<byte[]> get(String path, String range) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + t.server.port() + path))
                .timeout(Duration.ofSeconds(10));
        if (range != null) {
            b.header("Range", range);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + t.server.port() + path))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBodyWithinTheBound_reachesTheHandler_andALargerOneIs413() throws Exception {
        start(64);
        HttpResponse<String> ok = post("/echo", "hello");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("{\"got\":\"hello\"}");
        assertThat(post("/echo", "x".repeat(65)).statusCode()).isEqualTo(413);
    }

    @Test
    void byDefault_noRequestHasABody() throws Exception {
        start(0);
        assertThat(post("/echo", "hello").statusCode()).isEqualTo(413);
        assertThat(get("/echo", null).statusCode()).isEqualTo(200);
    }

    @Test
    void anAnswerThatComesLater_isWritten_andAFailedOneIs500_andNoneIs404() throws Exception {
        start(0);
        CompletableFuture<HttpResponse<byte[]>> pending = CompletableFuture.supplyAsync(() -> {
            try {
                return get("/later", null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (later.isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        later.poll().complete(WebResponse.text(202, "done"));
        HttpResponse<byte[]> r = pending.get();
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("done");
        assertThat(get("/fails", null).statusCode()).isEqualTo(500);
        assertThat(get("/nothing", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aRangeOfAnAnswerThatOffersThem_is206WithItsPart() throws Exception {
        start(0);
        HttpResponse<byte[]> part = get("/media", "bytes=100-199");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).contains("bytes 100-199/1000");
        assertThat(part.body()).hasSize(100).startsWith((byte) 100);
        HttpResponse<byte[]> open = get("/media", "bytes=990-");
        assertThat(open.headers().firstValue("Content-Range")).contains("bytes 990-999/1000");
        assertThat(open.body()).hasSize(10);
        HttpResponse<byte[]> suffix = get("/media", "bytes=-4");
        assertThat(suffix.headers().firstValue("Content-Range")).contains("bytes 996-999/1000");
        assertThat(get("/media", "bytes=2000-").statusCode()).isEqualTo(416);
        HttpResponse<byte[]> whole = get("/media", null);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Accept-Ranges")).contains("bytes");
        assertThat(whole.body()).hasSize(1000);
        assertThat(get("/plain", "bytes=0-9").statusCode()).as("no ranges offered").isEqualTo(200);
    }

    @Test
    void answersOnOneConnection_keepTheOrderOfTheRequests_evenWhenTheFirstComesLater() throws Exception {
        start(0);
        try (Socket s = new Socket("127.0.0.1", t.server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /later HTTP/1.1\r\nHost: x\r\n\r\nGET /echo HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (later.isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            later.poll().complete(WebResponse.text(200, "first"));
            String both = readAtLeast(s.getInputStream(), "{\"got\":\"\"}");
            assertThat(both.indexOf("first")).isLessThan(both.indexOf("{\"got\":\"\"}"));
        }
    }

    private static String readAtLeast(InputStream in, String last) throws IOException {
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[4096];
        while (!sb.toString().contains(last)) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            sb.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
        }
        return sb.toString();
    }
}
