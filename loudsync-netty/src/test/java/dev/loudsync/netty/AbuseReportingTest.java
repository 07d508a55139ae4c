package dev.loudsync.netty;

import static dev.loudsync.netty.RecordingServerListener.awaitStats;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Session;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.testing.SocketGuest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each protection of the server, triggered over a real socket: the {@link ServerListener} hears of
 * it with the peer's address, and {@link ServerStats} counts it.
 */
class AbuseReportingTest {

    private final RecordingServerListener events = new RecordingServerListener();
    private ServerTestSupport t;

    @AfterEach
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    private static String address(RawClient c) {
        return "127.0.0.1:" + c.socket.getLocalPort();
    }

    private static String join(String sessionId, String deviceId) {
        return "{\"type\":\"JOIN\",\"payload\":{\"sessionId\":\"" + sessionId + "\",\"deviceId\":\"" + deviceId
                + "\",\"deviceName\":\"Raw\"}}";
    }

    @Test
    void aRefusedJoin_isReportedWithCodeAndAddress_andCounted() throws Exception {
        t = new ServerTestSupport(b -> b.listener(events));
        t.open();
        try (RawClient c = RawClient.upgraded(t.server.port())) {
            c.sendText(join("WRONG1", "guesser"));
            assertThat(c.readFrame().text()).contains("SESSION_NOT_FOUND");
            assertThat(events.await("refused")).isEqualTo("refused " + address(c) + " SESSION_NOT_FOUND");
            assertThat(events.await("closed")).isEqualTo("closed " + address(c) + " SESSION_NOT_FOUND");
            ServerStats s = awaitStats(t.server, "the refusal", x -> x.joinsRefusedTotal() == 1);
            assertThat(s.joinsRefused().get(ErrorCode.SESSION_NOT_FOUND)).isEqualTo(1);
            assertThat(s.closes().get(CloseCode.SESSION_NOT_FOUND)).isEqualTo(1);
            assertThat(s.joinsAccepted()).isZero();
        }
    }

    @Test
    void aFlooder_isReportedOnce_closed4003_andItsDropsCounted() {
        t = new ServerTestSupport(b -> b.messageRate(5, 10).listener(events));
        t.open();
        try (SocketGuest flooder = SocketGuest.join(t.uri, "ABC123", "flooder")) {
            flooder.nextOf("MEMBER_LIST");
            String beat = "{\"type\":\"HEARTBEAT\",\"payload\":{\"deviceId\":\"flooder\"}}";
            int sent = 0;
            while (sent < 200 && flooder.trySend(beat)) {
                sent++;
            }
            assertThat(flooder.closeCode()).isEqualTo(4003);
            String abuse = events.await("abuse");
            assertThat(abuse).startsWith("abuse FLOODING 127.0.0.1:").contains("over the rate limit");
            assertThat(events.await("closed")).endsWith(" RATE_LIMITED");
            ServerStats s = awaitStats(t.server, "the flood", x -> x.abuse().get(Abuse.FLOODING) == 1);
            assertThat(s.closes().get(CloseCode.RATE_LIMITED)).isEqualTo(1);
            assertThat(s.messagesDropped()).isGreaterThan(10); // the close comes after a burst's worth of drops
            assertThat(s.abuseTotal()).isEqualTo(1);
        }
    }

    @Test
    void guessingJoins_isReportedAsJoinGuessing_andAsARefusedJoin() throws Exception {
        t = new ServerTestSupport(b -> b.failedJoinRate(2, Duration.ofHours(1)).listener(events));
        t.open();
        for (int i = 0; i < 2; i++) {
            try (RawClient c = RawClient.upgraded(t.server.port())) {
                c.sendText(join("WRONG" + i, "guesser"));
                assertThat(c.readFrame().text()).contains("SESSION_NOT_FOUND");
            }
        }
        try (RawClient c = RawClient.upgraded(t.server.port())) {
            c.sendText(join("ABC123", "guesser"));
            assertThat(c.readFrame().text()).contains("RATE_LIMITED");
            assertThat(events.await("abuse")).startsWith("abuse JOIN_GUESSING " + address(c));
            ServerStats s = awaitStats(t.server, "the guessing",
                    x -> x.joinsRefused().get(ErrorCode.RATE_LIMITED) == 1);
            assertThat(s.joinsRefused().get(ErrorCode.SESSION_NOT_FOUND)).isEqualTo(2);
            assertThat(s.abuse().get(Abuse.JOIN_GUESSING)).isEqualTo(1);
        }
    }

    @Test
    void aSlowConsumer_isReported_closed4004_andLeavesAsSlow() throws Exception {
        t = new ServerTestSupport(b -> b.maxOutboundBytes(64 << 10).listener(events));
        Session s = t.open(b -> b.latencyProbes(false));
        try (RawClient slow = new RawClient(t.server.port(), null, 4096)) {
            assertThat(slow.upgrade(null)).startsWith("HTTP/1.1 101");
            slow.sendText(join("ABC123", "slow"));
            awaitStats(t.server, "the slow member joined", x -> x.joinsAccepted() == 1);
            String big = "x".repeat(16_000);
            for (int n = 0; n < 5_000 && t.server.stats().abuse().get(Abuse.SLOW_CONSUMER) == 0; n++) {
                s.broadcast("BLOB", Map.of("n", n, "data", big)).join();
            }
            assertThat(events.await("abuse")).startsWith("abuse SLOW_CONSUMER " + address(slow));
            ServerStats st = awaitStats(t.server, "the member removed", x -> x.leaves().get(LeaveReason.SLOW) == 1);
            assertThat(st.abuse().get(Abuse.SLOW_CONSUMER)).isEqualTo(1);
            assertThat(st.closes().get(CloseCode.SLOW_CONSUMER)).isEqualTo(1);
        }
    }

    @Test
    void aRefusedOrigin_isReportedWithTheOrigin() throws Exception {
        t = new ServerTestSupport(b -> b.listener(events));
        try (RawClient c = new RawClient(t.server.port())) {
            assertThat(c.upgrade("http://evil.example")).startsWith("HTTP/1.1 403");
            assertThat(events.await("abuse")).isEqualTo("abuse ORIGIN_REFUSED " + address(c) + " origin http://evil.example");
        }
        ServerStats s = awaitStats(t.server, "the refusal", x -> x.abuse().get(Abuse.ORIGIN_REFUSED) == 1);
        assertThat(s.connectionsOpened()).isZero();
    }

    @Test
    void overTheConnectionLimit_isReported() throws Exception {
        t = new ServerTestSupport(b -> b.maxConnectionsPerAddress(1).listener(events));
        try (RawClient first = RawClient.upgraded(t.server.port()); RawClient second = new RawClient(t.server.port())) {
            assertThat(second.closedByServer()).isTrue();
            assertThat(events.await("abuse")).startsWith("abuse TOO_MANY_CONNECTIONS " + address(second));
            assertThat(t.server.stats().abuse().get(Abuse.TOO_MANY_CONNECTIONS)).isEqualTo(1);
        }
    }

    @Test
    void aStalledRequest_isReportedAsHandshakeTimeout_butASilentConnectionIsNot() throws Exception {
        t = new ServerTestSupport(b -> b.handshakeTimeout(Duration.ofMillis(200)).listener(events));
        try (RawClient silent = new RawClient(t.server.port()); RawClient stalled = new RawClient(t.server.port())) {
            stalled.writeRaw("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(stalled.closedByServer()).isTrue();
            assertThat(silent.closedByServer()).isTrue();
            assertThat(events.await("abuse")).startsWith("abuse HANDSHAKE_TIMEOUT " + address(stalled));
            RecordingServerListener.await("both sockets released", () -> t.server.stats().openSockets() == 0);
            assertThat(events.drain()).isEmpty();
            assertThat(t.server.stats().abuse().get(Abuse.HANDSHAKE_TIMEOUT)).isEqualTo(1);
        }
    }

    @Test
    void badRequests_areReportedByKind() throws Exception {
        t = new ServerTestSupport(b -> b.listener(events));
        String[] requests = {
            "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello",
            "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(9_000) + "\r\n\r\n",
            "GET / HTTX/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        };
        String[] expected = {"abuse REQUEST_BODY", "abuse HEADERS_TOO_LARGE", "abuse MALFORMED_REQUEST"};
        String[] status = {"HTTP/1.1 413", "HTTP/1.1 431", "HTTP/1.1 400"};
        for (int i = 0; i < requests.length; i++) {
            try (RawClient c = new RawClient(t.server.port())) {
                c.writeRaw(requests[i].getBytes(StandardCharsets.US_ASCII));
                assertThat(c.readHead().get(0)).startsWith(status[i]);
                assertThat(events.await("abuse")).startsWith(expected[i] + " " + address(c) + " " + status[i].substring(9));
            }
        }
        ServerStats s = t.server.stats();
        assertThat(s.abuse().get(Abuse.REQUEST_BODY)).isEqualTo(1);
        assertThat(s.abuse().get(Abuse.HEADERS_TOO_LARGE)).isEqualTo(1);
        assertThat(s.abuse().get(Abuse.MALFORMED_REQUEST)).isEqualTo(1);
    }

    @Test
    void closesByNettysDecoder_andForBinaryFrames_areCountedWithTheirCode() throws Exception {
        t = new ServerTestSupport(b -> b.listener(events));
        t.open();
        try (RawClient unmasked = RawClient.upgraded(t.server.port())) {
            unmasked.sendFrame(1, "{}".getBytes(StandardCharsets.UTF_8), true, false);
            assertThat(unmasked.readFrame().closeCode()).isEqualTo(1002);
            assertThat(events.await("closed")).isEqualTo("closed " + address(unmasked) + " PROTOCOL_ERROR");
        }
        try (SocketGuest binary = SocketGuest.join(t.uri, "ABC123", "b")) {
            binary.sendBinary(new byte[] {1, 2, 3});
            assertThat(binary.closeCode()).isEqualTo(1003);
            assertThat(events.await("closed")).endsWith(" UNSUPPORTED_DATA");
        }
        ServerStats s = t.server.stats();
        assertThat(s.closes().get(CloseCode.PROTOCOL_ERROR)).isEqualTo(1);
        assertThat(s.closes().get(CloseCode.UNSUPPORTED_DATA)).isEqualTo(1);
    }

    @Test
    void aPeerThatClosesFirst_isReportedWithoutACode() throws Exception {
        t = new ServerTestSupport(b -> b.listener(events));
        t.open();
        RawClient c = RawClient.upgraded(t.server.port());
        String address = address(c);
        c.close();
        assertThat(events.await("closed")).isEqualTo("closed " + address + " null");
        assertThat(t.server.stats().closes().values()).containsOnly(0L);
    }
}
