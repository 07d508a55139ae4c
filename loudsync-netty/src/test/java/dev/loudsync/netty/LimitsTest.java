package dev.loudsync.netty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loudsync.core.Member;
import dev.loudsync.core.Session;
import dev.loudsync.testing.SocketGuest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md: rate limits, connection caps, slow consumers ("Errors", "Leaving", "HTTP and handshake"). */
class LimitsTest {

    private ServerTestSupport t;

    @AfterEach
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    @Test
    void aFloodingMember_getsRateLimited_thenClose4003_andOthersAreUnaffected() {
        t = new ServerTestSupport(b -> b.messageRate(5, 10));
        t.open();
        try (SocketGuest flooder = SocketGuest.join(t.uri, "ABC123", "flooder");
                SocketGuest calm = SocketGuest.join(t.uri, "ABC123", "calm")) {
            flooder.nextOf("MEMBER_LIST");
            calm.nextOf("MEMBER_LIST");
            // the host may close the flooder between two sends: stop there
            String beat = "{\"type\":\"HEARTBEAT\",\"payload\":{\"deviceId\":\"flooder\"}}";
            int sent = 0;
            while (sent < 200 && flooder.trySend(beat)) {
                sent++;
            }
            JsonNode limited = flooder.nextOf("ERROR").path("payload");
            assertThat(limited.path("code").asText()).isEqualTo("RATE_LIMITED");
            assertThat(flooder.closeCode()).isEqualTo(4003);
            assertThat(flooder.closeReason()).isEqualTo("RATE_LIMITED");
            assertThat(calm.nextOf("MEMBER_LEFT").path("payload").path("deviceId").asText()).isEqualTo("flooder");
            calm.send("{\"type\":\"PING\",\"timestamp\":5}");
            assertThat(calm.nextOf("PONG").path("payload").path("pingTimestamp").asLong()).isEqualTo(5);
        }
    }

    @Test
    void guessingSessionCodes_isRateLimitedPerAddress_whileAnotherAddressStillJoins() throws Exception {
        t = new ServerTestSupport(b -> b.failedJoinRate(3, Duration.ofHours(1)));
        t.open();
        for (int i = 0; i < 3; i++) {
            try (SocketGuest g = SocketGuest.join(t.uri, "WRONG" + i, "guesser")) {
                assertThat(g.next("ERROR").path("payload").path("code").asText()).isEqualTo("SESSION_NOT_FOUND");
            }
        }
        try (SocketGuest g = SocketGuest.join(t.uri, "ABC123", "guesser")) { // even the right code, now
            assertThat(g.next("ERROR").path("payload").path("code").asText()).isEqualTo("RATE_LIMITED");
            assertThat(g.closeCode()).isEqualTo(4003);
        }
        try (RawClient other = new RawClient(t.server.port(), new InetSocketAddress("127.0.0.2", 0))) {
            assertThat(other.upgrade(null)).startsWith("HTTP/1.1 101");
            other.sendText("{\"type\":\"JOIN\",\"payload\":{\"sessionId\":\"ABC123\",\"deviceId\":\"legit\","
                    + "\"deviceName\":\"Legit\"}}");
            assertThat(other.readFrame().text()).contains("\"WELCOME\"");
        }
    }

    @Test
    void connectionsPerAddress_areCapped() throws Exception {
        t = new ServerTestSupport(b -> b.maxConnectionsPerAddress(2));
        try (RawClient a = RawClient.upgraded(t.server.port()); RawClient b = RawClient.upgraded(t.server.port());
                RawClient c = new RawClient(t.server.port())) {
            assertThat(c.closedByServer()).isTrue();
        }
        // Places free once the server has seen the three closes, a moment after the client's side.
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (t.server.stats().openSockets() > 0) {
            assertThat(System.nanoTime()).as("the server sees the closes").isLessThan(until);
            Thread.onSpinWait();
        }
        try (RawClient afterwards = RawClient.upgraded(t.server.port())) {
            assertThat(afterwards.socket.isConnected()).isTrue(); // places free again once closed
        }
    }

    @Test
    void connectionsInTotal_areCapped() throws Exception {
        t = new ServerTestSupport(b -> b.maxConnections(1));
        try (RawClient a = RawClient.upgraded(t.server.port()); RawClient b = new RawClient(t.server.port())) {
            assertThat(b.closedByServer()).isTrue();
        }
    }

    @Test
    void aMemberThatStopsReading_isClosedAsSlow_andTheOthersKeepReceiving() throws Exception {
        t = new ServerTestSupport(b -> b.maxOutboundBytes(64 << 10));
        Session s = t.open(b -> b.latencyProbes(false));
        try (SocketGuest fast = SocketGuest.join(t.uri, "ABC123", "fast");
                RawClient slow = new RawClient(t.server.port(), null, 4096)) {
            fast.nextOf("MEMBER_LIST");
            assertThat(slow.upgrade(null)).startsWith("HTTP/1.1 101");
            slow.sendText("{\"type\":\"JOIN\",\"payload\":{\"sessionId\":\"ABC123\",\"deviceId\":\"slow\","
                    + "\"deviceName\":\"Slow\"}}");
            fast.nextOf("MEMBER_JOINED");
            String big = "x".repeat(16_000);
            int sent = 0;
            JsonNode left = null;
            // Paced by the reading member: it gets every broadcast before the next goes out.
            while (left == null && sent < 5_000) {
                int n = sent++;
                s.broadcast("BLOB", Map.of("n", n, "data", big)).join();
                JsonNode m = fast.next();
                while (!("BLOB".equals(m.path("type").asText()) && m.path("payload").path("n").asInt() == n)) {
                    if ("MEMBER_LEFT".equals(m.path("type").asText())) {
                        left = m.path("payload");
                    }
                    m = fast.next();
                }
            }
            assertThat(sent).as("broadcasts until the slow member was removed").isLessThan(5_000);
            // Everything sent to the slow member after it stopped reading: the kernel's socket buffers
            // on both sides, plus at most maxOutboundBytes queued in the JVM before it was cut off.
            System.out.println("slow reader: removed after " + sent + " broadcasts of ~16 KB ("
                    + sent * 16_000 / 1024 + " KiB sent its way in all; at most 64 KiB of it held in the JVM)");
            if (left == null) {
                left = fast.nextOf("MEMBER_LEFT").path("payload");
            }
            assertThat(left.path("deviceId").asText()).isEqualTo("slow");
            assertThat(left.path("reason").asText()).isEqualTo("Slow connection");
            assertThat(slow.closedByServer()).isTrue();
            s.broadcast("BLOB", Map.of("n", -1, "data", "last")).join();
            JsonNode last = fast.nextOf("BLOB");
            while (last.path("payload").path("n").asInt() != -1) {
                last = fast.nextOf("BLOB");
            }
            assertThat(s.members()).extracting(Member::id).containsExactly("host-1", "fast");
        }
    }

    @Test
    void aRequestLineOrHeadersOverTheBound_neverReachTheApplication() throws IOException {
        t = new ServerTestSupport(b -> b.webHandler(r -> WebResponse.text(200, "should not be called")));
        try (RawClient c = new RawClient(t.server.port())) {
            c.writeRaw(("GET /" + "a".repeat(5_000) + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            List<String> head = c.readHead();
            assertThat(head.get(0)).matches("HTTP/1.1 (400|414|431).*");
        }
    }
}
