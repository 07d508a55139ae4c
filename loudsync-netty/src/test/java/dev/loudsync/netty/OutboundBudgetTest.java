package dev.loudsync.netty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.testing.SocketGuest;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server-wide outbound budget over real sockets: 200 members stop reading while the host
 * broadcasts. Each could hold up to its own bound (1 MiB here), 200 MiB together; the budget (8 MiB)
 * cuts the largest holders as slow, and the member that reads gets every broadcast.
 */
class OutboundBudgetTest {

    private static final int SLOW = 200;
    private static final long BUDGET = 8 << 20;
    private static final int BROADCASTS = 75;
    /** One broadcast of 64 KB to every member, as Netty counts it. */
    private static final long TURN = (SLOW + 2) * (64_000L + 1_000);

    private LoudSyncServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String join(String device) {
        return "{\"type\":\"JOIN\",\"payload\":{\"sessionId\":\"ABC123\",\"deviceId\":\"" + device
                + "\",\"deviceName\":\"N\"}}";
    }

    @Test
    void twoHundredMembersThatStopReading_keepTheOutboundBytesUnderTheBudget_andTheReaderGetsEverything()
            throws Exception {
        // One network thread, so that the reader's PONG comes after the turn that wrote a broadcast
        // to everyone (and checked the budget); no keep-alive pings during the test.
        AtomicInteger budgetCuts = new AtomicInteger();
        AtomicInteger ownBoundCuts = new AtomicInteger();
        ServerListener cuts = new ServerListener() {
            @Override
            public void abuse(Abuse kind, String remoteAddress, String detail) {
                if (kind == Abuse.SLOW_CONSUMER) {
                    (detail.startsWith("held the most") ? budgetCuts : ownBoundCuts).incrementAndGet();
                }
            }
        };
        server = LoudSyncServer.builder().bindAddress("127.0.0.1").port(0).ioThreads(1).maxOutboundBytes(1 << 20)
                .outboundBudget(BUDGET).maxConnectionsPerAddress(1_000).listener(cuts).build();
        server.start().join();
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/");
        Session s = server.openSession(SessionConfig.builder().sessionId("ABC123").host("host-1", "Host")
                .maxMembers(SLOW + 10).heartbeatTimeout(Duration.ofMinutes(5)).latencyProbes(false).build());
        List<RawClient> slow = new ArrayList<>();
        try (SocketGuest reader = SocketGuest.join(uri, "ABC123", "reader")) {
            reader.nextOf("MEMBER_LIST");
            for (int i = 0; i < SLOW; i++) {
                RawClient c = new RawClient(server.port(), null, 4096); // and it never reads
                slow.add(c);
                assertThat(c.upgrade(null)).startsWith("HTTP/1.1 101");
                c.sendText(join("slow" + i));
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (s.members().size() < SLOW + 2) {
                assertThat(System.nanoTime()).as("all joined").isLessThan(until);
                Thread.sleep(10); // polling a condition with a deadline
            }

            String big = "x".repeat(64_000);
            long peakWaiting = 0;
            long peakDirect = 0;
            long directBefore = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
            int slowLeft = 0;
            int overBudgetSamples = 0;
            long started = System.nanoTime();
            for (int n = 0; n < BROADCASTS; n++) {
                s.broadcast("BLOB", Map.of("n", n, "data", big)).join();
                // The reader's PING is answered after the turn that wrote the broadcast (and settled
                // the budget) is over: the PONG comes after BLOB n.
                reader.send("{\"type\":\"PING\",\"timestamp\":" + n + "}");
                boolean blob = false;
                JsonNode m = reader.next();
                while (!"PONG".equals(m.path("type").asText())) {
                    String type = m.path("type").asText();
                    if ("MEMBER_LEFT".equals(type)) {
                        assertThat(m.path("payload").path("reason").asText()).isEqualTo("Slow connection");
                        slowLeft++;
                    } else if ("BLOB".equals(type)) {
                        assertThat(m.path("payload").path("n").asInt()).as("the reader gets every broadcast in order")
                                .isEqualTo(n);
                        blob = true;
                    }
                    m = reader.next();
                }
                assertThat(blob).as("broadcast %d before the PONG", n).isTrue();
                long waiting = server.outboundBytes();
                peakWaiting = Math.max(peakWaiting, waiting);
                if (waiting > BUDGET) {
                    overBudgetSamples++;
                }
                peakDirect = Math.max(peakDirect, PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory());
                // The budget is checked at the end of each network turn, so a sample taken during one
                // may also see that turn's writes: at most one broadcast to everyone (and a few
                // announcements). Without the budget, each member could hold its own 1 MiB bound.
                assertThat(waiting).as("bytes waiting after broadcast %d", n).isLessThanOrEqualTo(BUDGET + TURN);
            }
            System.out.printf("OutboundBudgetTest: %d broadcasts of 64 KB to %d members that stop reading and one "
                    + "that reads, in %d ms: bytes waiting at most %d KiB (budget %d KiB, without it up to %d KiB); "
                    + "pooled direct memory %d KiB before, at most %d KiB during; %d slow members cut, %d by the "
                    + "budget, %d by their own bound; %d of %d samples above the budget (a turn in progress)%n",
                    BROADCASTS, SLOW, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), peakWaiting >> 10,
                    BUDGET >> 10, (SLOW * (1L << 20)) >> 10, directBefore >> 10, peakDirect >> 10, slowLeft,
                    budgetCuts.get(), ownBoundCuts.get(), overBudgetSamples, BROADCASTS);
            assertThat(budgetCuts.get()).as("members cut by the budget").isGreaterThan(0);
            assertThat(s.members()).hasSize(SLOW + 2 - slowLeft);
        } finally {
            for (RawClient c : slow) {
                c.close();
            }
        }
    }
}
