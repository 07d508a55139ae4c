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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Abuse at the scale of a hostile guest on the Wi-Fi (issue "Prove it holds", section 3): slowloris,
 * brute force and floods, with the real members carrying on. Each test prints its figure.
 */
class AbuseAtScaleTest {

    private ServerTestSupport t;

    @AfterEach
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    private static String join(String session, String device) {
        return "{\"type\":\"JOIN\",\"payload\":{\"sessionId\":\"" + session + "\",\"deviceId\":\"" + device
                + "\",\"deviceName\":\"N\"}}";
    }

    @Test
    void slowloris_500HalfRequestsAnd500SilentSockets_whileMembersJoinAndChat() throws Exception {
        t = new ServerTestSupport(b -> b.handshakeTimeout(Duration.ofSeconds(1)).maxConnectionsPerAddress(2_000));
        Session s = t.open(b -> b.latencyProbes(false));
        s.handle("CHAT", (session, sender, m) -> session.broadcast("CHAT", Map.of("from", sender.id())));
        List<RawClient> attackers = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 1_000; i++) {
            RawClient c = new RawClient(t.server.port());
            if (i % 2 == 0) {
                c.writeRaw("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            attackers.add(c);
        }
        List<SocketGuest> members = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            SocketGuest g = SocketGuest.join(t.uri, "ABC123", "m" + i);
            g.nextOf("MEMBER_LIST");
            members.add(g);
        }
        members.get(0).send("{\"type\":\"CHAT\",\"payload\":{}}");
        for (SocketGuest g : members) {
            assertThat(g.nextOf("CHAT").at("/payload/from").asText()).isEqualTo("m0");
        }
        int closed = 0;
        for (RawClient c : attackers) {
            c.socket.setSoTimeout(5_000);
            if (c.closedByServer()) {
                closed++;
            }
            c.close();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("slowloris: 1000 attacking sockets closed by the handshake timeout; all gone " + millis
                + " ms after the first opened");
        assertThat(closed).isEqualTo(1_000);
        assertThat(s.members()).hasSize(6);
        members.forEach(SocketGuest::close);
    }

    @Test
    void bruteForce_1000WrongCodesFromOneAddress_areRateLimitedQuickly_andAnotherAddressStillJoins() throws Exception {
        t = new ServerTestSupport(b -> b.maxConnectionsPerAddress(2_000)); // default failed-join limit
        t.open(b -> b.pin("4321"));
        int notFound = 0;
        int limited = 0;
        long start = System.nanoTime();
        long firstLimitedMillis = -1;
        for (int i = 0; i < 1_000; i++) {
            try (RawClient c = RawClient.upgraded(t.server.port())) {
                c.sendText(i % 2 == 0 ? join(String.format("G%05d", i), "x")
                        : "{\"type\":\"JOIN\",\"payload\":{\"sessionId\":\"ABC123\",\"deviceId\":\"x\","
                                + "\"deviceName\":\"N\",\"pin\":\"" + i + "\"}}");
                String reply = c.readFrame().text();
                if (reply.contains("RATE_LIMITED")) {
                    limited++;
                    if (firstLimitedMillis < 0) {
                        firstLimitedMillis = (System.nanoTime() - start) / 1_000_000;
                    }
                } else {
                    notFound++;
                }
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("brute force: 1000 guesses in " + millis + " ms; " + notFound + " answered, " + limited
                + " RATE_LIMITED, the first after " + firstLimitedMillis + " ms");
        assertThat(notFound).isLessThanOrEqualTo(10 + (int) (millis / 3_000) + 1);
        assertThat(limited).isGreaterThanOrEqualTo(1_000 - notFound);
        try (RawClient legit = new RawClient(t.server.port(), new InetSocketAddress("127.0.0.2", 0))) {
            legit.upgrade(null);
            legit.sendText("{\"type\":\"JOIN\",\"payload\":{\"sessionId\":\"ABC123\",\"deviceId\":\"legit\","
                    + "\"deviceName\":\"L\",\"pin\":\"4321\"}}");
            assertThat(legit.readFrame().text()).contains("\"WELCOME\"");
        }
    }

    @Test
    void aMemberFlooding10000Messages_isRateLimitedThenClosed_andTheOthersHeartbeatsStillCount() throws Exception {
        t = new ServerTestSupport(b -> b);
        Session s = t.open(b -> b.heartbeatInterval(Duration.ofMillis(200)).heartbeatTimeout(Duration.ofMillis(900))
                .heartbeatCheckInterval(Duration.ofMillis(100)).latencyProbes(false));
        try (SocketGuest calm = SocketGuest.join(t.uri, "ABC123", "calm");
                RawClient flooder = RawClient.upgraded(t.server.port())) {
            calm.nextOf("MEMBER_LIST");
            flooder.sendText(join("ABC123", "flooder"));
            calm.nextOf("MEMBER_JOINED");
            long start = System.nanoTime();
            int sent = 0;
            try {
                for (; sent < 10_000; sent++) {
                    flooder.sendText("{\"type\":\"HEARTBEAT\",\"payload\":{\"deviceId\":\"flooder\"}}");
                    if (sent % 500 == 0) {
                        calm.send("{\"type\":\"HEARTBEAT\",\"payload\":{\"deviceId\":\"calm\"}}");
                    }
                }
            } catch (IOException e) {
                // the host closed the flooder: writes fail
            }
            List<RawClient.Frame> frames = flooder.readUntilClosed();
            assertThat(frames.stream().filter(f -> f.opcode() == 1).map(RawClient.Frame::text))
                    .anyMatch(text -> text.contains("RATE_LIMITED"));
            RawClient.Frame close = frames.stream().filter(f -> f.opcode() == 8).findFirst().orElseThrow();
            assertThat(close.closeCode()).isEqualTo(4003);
            JsonNode left = calm.nextOf("MEMBER_LEFT").path("payload");
            assertThat(left.path("deviceId").asText()).isEqualTo("flooder");
            System.out.println("flood: closed with 4003 after " + sent + " of 10000 messages were written, in "
                    + (System.nanoTime() - start) / 1_000_000 + " ms");
            // the calm member keeps heartbeating at its interval: two timeouts later it is still there
            for (int i = 0; i < 10; i++) {
                calm.send("{\"type\":\"HEARTBEAT\",\"payload\":{\"deviceId\":\"calm\"}}");
                calm.send("{\"type\":\"PING\",\"timestamp\":" + i + "}");
                assertThat(calm.nextOf("PONG").at("/payload/pingTimestamp").asLong()).isEqualTo(i);
                Thread.sleep(200); // the guest's heartbeat interval
            }
            assertThat(s.members()).extracting(Member::id).containsExactly("host-1", "calm");
        }
    }
}
