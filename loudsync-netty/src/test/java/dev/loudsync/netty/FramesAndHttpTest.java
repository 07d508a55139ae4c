package dev.loudsync.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.testing.SocketGuest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md, "Transport", "Close codes" (1002, 1003, 1007, 1009) and "HTTP and handshake". */
class FramesAndHttpTest {

    private final ServerTestSupport t = new ServerTestSupport(b -> b
            .handshakeTimeout(Duration.ofMillis(500))
            .allowedOrigins("http://friend.example:3000")
            .webHandler(r -> r.path().equals("/") ? WebResponse.ok("text/html; charset=utf-8",
                    "<h1>guest page</h1>".getBytes(StandardCharsets.UTF_8)) : null));

    @AfterEach
    void stop() {
        t.close();
    }

    private static List<RawClient.Frame> closeFrames(RawClient c) throws Exception {
        return c.readUntilClosed().stream().filter(f -> f.opcode() == 8).toList();
    }

    @Test
    void binaryFrame_isRefusedWith1003() {
        t.open();
        try (SocketGuest g = SocketGuest.join(t.uri, "ABC123", "a")) {
            g.nextOf("MEMBER_LIST");
            g.sendBinary(new byte[] {1, 2, 3});
            assertThat(g.closeCode()).isEqualTo(1003);
        }
    }

    @Test
    void frameOverTheLimit_isRefusedWith1009() {
        t.open();
        try (SocketGuest g = SocketGuest.join(t.uri, "ABC123", "a")) {
            g.nextOf("MEMBER_LIST");
            g.send("{\"type\":\"CHAT\",\"payload\":{\"text\":\"" + "x".repeat(70_000) + "\"}}");
            assertThat(g.closeCode()).isEqualTo(1009);
        }
    }

    @Test
    void fragmentedMessageOverTheLimit_isRefusedWith1009() throws Exception {
        try (RawClient c = RawClient.upgraded(t.server.port())) {
            byte[] part = new byte[40_000];
            java.util.Arrays.fill(part, (byte) 'x');
            c.sendFrame(1, part, false, true);
            c.sendFrame(0, part, true, true);
            List<RawClient.Frame> closes = closeFrames(c);
            assertThat(closes).hasSize(1);
            assertThat(closes.get(0).closeCode()).isEqualTo(1009);
        }
    }

    @Test
    void invalidUtf8_isRefusedWith1007_andExactlyOneCloseFrame() throws Exception {
        try (RawClient c = RawClient.upgraded(t.server.port())) {
            c.sendFrame(1, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}, true, true);
            List<RawClient.Frame> closes = closeFrames(c);
            assertThat(closes).hasSize(1);
            assertThat(closes.get(0).closeCode()).isEqualTo(1007);
        }
    }

    @Test
    void unmaskedClientFrame_isAProtocolViolation_1002_withExactlyOneCloseFrame() throws Exception {
        try (RawClient c = RawClient.upgraded(t.server.port())) {
            c.sendFrame(1, "{\"type\":\"PING\"}".getBytes(StandardCharsets.UTF_8), true, false);
            List<RawClient.Frame> closes = closeFrames(c);
            assertThat(closes).hasSize(1);
            assertThat(closes.get(0).closeCode()).isEqualTo(1002);
        }
    }

    @Test
    void extensionsAreNeverNegotiated() throws Exception {
        try (RawClient c = new RawClient(t.server.port())) {
            c.writeRaw(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            List<String> head = c.readHead();
            assertThat(head.get(0)).startsWith("HTTP/1.1 101");
            assertThat(head).noneMatch(h -> h.toLowerCase().startsWith("sec-websocket-extensions"));
        }
    }

    @Test
    void origins_noneAndSameOriginAndAllowListedPass_othersGet403() throws Exception {
        int port = t.server.port();
        try (RawClient none = new RawClient(port); RawClient same = new RawClient(port);
                RawClient listed = new RawClient(port); RawClient evil = new RawClient(port);
                RawClient otherPort = new RawClient(port)) {
            assertThat(none.upgrade(null)).startsWith("HTTP/1.1 101");
            assertThat(same.upgrade("http://127.0.0.1:" + port)).startsWith("HTTP/1.1 101");
            assertThat(listed.upgrade("http://friend.example:3000")).startsWith("HTTP/1.1 101");
            assertThat(evil.upgrade("http://evil.example")).startsWith("HTTP/1.1 403");
            assertThat(otherPort.upgrade("http://127.0.0.1:1")).startsWith("HTTP/1.1 403");
        }
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> SocketGuest.connect(t.uri, Map.of("Origin", "http://evil.example"))))
                .hasCauseInstanceOf(java.net.http.WebSocketHandshakeException.class).hasStackTraceContaining("403");
    }

    @Test
    void plainHttp_isServedByTheWebHandler_andOtherPathsAre404() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + t.server.port());
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(base.resolve("/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).isEqualTo("<h1>guest page</h1>");
        assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(base.resolve("/nope")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    void aRequestWithABody_isRefusedWith413() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + t.server.port()))
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
    }

    @Test
    void headersOver8KiB_areRefusedWith431() throws Exception {
        try (RawClient c = new RawClient(t.server.port())) {
            c.writeRaw(("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(9_000) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(c.readHead().get(0)).startsWith("HTTP/1.1 431");
        }
    }

    @Test
    void anUpgradeOnAnotherPath_is404() throws Exception {
        try (RawClient c = new RawClient(t.server.port())) {
            c.writeRaw(("GET /other HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(c.readHead().get(0)).startsWith("HTTP/1.1 404");
        }
    }

    @Test
    void anIncompleteUpgradeRequest_isClosedAtTheHandshakeTimeout() throws Exception {
        try (RawClient half = new RawClient(t.server.port()); RawClient silent = new RawClient(t.server.port())) {
            half.writeRaw("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            assertThat(half.closedByServer()).isTrue();
            assertThat(silent.closedByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }
}
