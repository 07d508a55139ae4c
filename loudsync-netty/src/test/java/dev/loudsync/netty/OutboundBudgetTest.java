package dev.loudsync.netty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.testing.Await;
import dev.loudsync.testing.SocketGuest;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server-wide outbound budget over real sockets: 200 members stop reading while the host
 * writes 64 KB messages to everyone. Each could hold up to its own bound; the budget bounds them
 * together by the memory they hold. Data sent to each member on its own holds memory for each, and
 * the budget cuts the largest holders; a broadcast holds one buffer for all, however many wait for
 * it, and cuts nobody while that memory fits. The member that reads gets everything, in order.
 */
class OutboundBudgetTest {

    private static final int SLOW = 200;
    private static final int MESSAGE_BYTES = 64_000;
    /** One message to every member, as Netty counts it. */
    private static final long TURN = (SLOW + 2) * (MESSAGE_BYTES + 1_000L);
    private static final String BIG = "x".repeat(MESSAGE_BYTES);

    private final AtomicInteger budgetCuts = new AtomicInteger();
    private final AtomicInteger ownBoundCuts = new AtomicInteger();
    private LoudSyncServer server;
    private final List<RawClient> slow = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (RawClient c : slow) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void dataSentToEachMember_isCountedForEach_andTheLargestHoldersAreCut_whileTheReaderGetsEverything()
            throws Exception {
        long budget = 8 << 20;
        int rounds = 75;
        Session s = start(budget, 1 << 20);
        try (SocketGuest reader = joinReaderAndSlowMembers(s, SLOW)) {
            long peakWaiting = 0;
            int slowLeft = 0;
            for (int n = 0; n < rounds; n++) {
                List<CompletableFuture<Boolean>> sent = new ArrayList<>();
                for (int i = 0; i < SLOW; i++) {
                    sent.add(s.send("slow" + i, "BLOB", Map.of("n", n, "data", BIG)));
                }
                sent.add(s.send("reader", "BLOB", Map.of("n", n, "data", BIG)));
                CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
                slowLeft += readRound(reader, n);
                long waiting = server.outboundBytes();
                peakWaiting = Math.max(peakWaiting, waiting);
                // The budget is checked at the end of each network turn, so a sample taken during one
                // may also see that turn's writes: at most one message to everyone. Without the
                // budget, each member could hold its own 1 MiB bound.
                assertThat(waiting).as("bytes waiting after round %d", n).isLessThanOrEqualTo(budget + TURN);
            }
            System.out.printf("OutboundBudgetTest: %d rounds of 64 KB sent to each of %d members that stop reading "
                    + "and one that reads: bytes waiting at most %d KiB (budget %d KiB, without it up to %d KiB); "
                    + "%d cut, %d by the budget, %d by their own bound%n", rounds, SLOW, peakWaiting >> 10,
                    budget >> 10, (SLOW * (1L << 20)) >> 10, slowLeft, budgetCuts.get(), ownBoundCuts.get());
            assertThat(budgetCuts.get()).as("members cut by the budget").isGreaterThan(0);
            assertThat(s.members()).hasSize(SLOW + 2 - slowLeft);
        }
    }

    @Test
    void aBroadcastWaitingForEveryMember_countsItsMemoryOnce_andCutsNobodyWhileThatFits() throws Exception {
        // Broadcasts until the bytes waiting, counted once per member, are twice the budget, while
        // the memory they hold (one buffer per broadcast, once the sockets' own buffers are full) stays
        // far under it: the budget must go by the memory. Fifty members, so that what the kernel
        // buffers for them stays small.
        int slowCount = 50;
        long memoryBefore = memoryInUse();
        long budget = memoryBefore + (8 << 20);
        Session s = start(budget, 16 << 20);
        try (SocketGuest reader = joinReaderAndSlowMembers(s, slowCount)) {
            int slowLeft = 0;
            int n = 0;
            for (; n < 400 && server.outboundBytes() <= 2 * budget; n++) {
                s.broadcast("BLOB", Map.of("n", n, "data", BIG)).join();
                slowLeft += readRound(reader, n);
            }
            long counted = server.outboundBytes();
            long memory = memoryInUse();
            System.out.printf("OutboundBudgetTest: %d broadcasts of 64 KB to %d members that stop reading: %d KiB "
                    + "waiting counted per member, %d KiB held by the allocator (%d KiB before), budget %d KiB%n",
                    n, slowCount, counted >> 10, memory >> 10, memoryBefore >> 10, budget >> 10);
            assertThat(counted).as("bytes waiting, counted once per member (so the test can fail)")
                    .isGreaterThan(2 * budget);
            assertThat(budgetCuts.get()).as("members cut by the budget").isZero();
            assertThat(ownBoundCuts.get()).as("members cut by their own bound").isZero();
            assertThat(slowLeft).isZero();
            assertThat(s.members()).hasSize(slowCount + 2);
        }
    }

    /** A server with one network thread, so a reader's PONG follows the turn that wrote its data. */
    private Session start(long budget, int ownBound) {
        ServerListener cuts = new ServerListener() {
            @Override
            public void abuse(Abuse kind, String remoteAddress, String detail) {
                if (kind == Abuse.SLOW_CONSUMER) {
                    (detail.startsWith("held the most") ? budgetCuts : ownBoundCuts).incrementAndGet();
                }
            }
        };
        server = LoudSyncServer.builder().bindAddress("127.0.0.1").port(0).ioThreads(1).maxOutboundBytes(ownBound)
                .outboundBudget(budget).maxConnectionsPerAddress(1_000).listener(cuts).build();
        server.start().join();
        return server.openSession(SessionConfig.builder().sessionId("ABC123").host("host-1", "Host")
                .maxMembers(SLOW + 10).heartbeatTimeout(Duration.ofMinutes(5)).latencyProbes(false).build());
    }

    private URI uri() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/");
    }

    /**
     * Joins the member that reads, then {@code count} members over raw sockets with small receive
     * buffers that never read; returns the reader.
     */
    private SocketGuest joinReaderAndSlowMembers(Session s, int count) throws Exception {
        SocketGuest reader = SocketGuest.join(uri(), "ABC123", "reader");
        reader.nextOf("MEMBER_LIST");
        for (int i = 0; i < count; i++) {
            RawClient c = new RawClient(server.port(), null, 4096);
            slow.add(c);
            assertThat(c.upgrade(null)).startsWith("HTTP/1.1 101");
            c.sendText("{\"type\":\"JOIN\",\"payload\":{\"sessionId\":\"ABC123\",\"deviceId\":\"slow" + i
                    + "\",\"deviceName\":\"N\"}}");
        }
        Await.until("all joined", Duration.ofSeconds(30), () -> s.members().size() == count + 2);
        return reader;
    }

    /**
     * Reads the reader's round {@code n}: its {@code BLOB}, then the {@code PONG} to a {@code PING}
     * sent after it, which the host answers after the turn that wrote the round (and checked the
     * budget). Returns how many slow members it saw leave meanwhile.
     */
    private static int readRound(SocketGuest reader, int n) throws Exception {
        reader.send("{\"type\":\"PING\",\"timestamp\":" + n + "}");
        boolean blob = false;
        int left = 0;
        JsonNode m = reader.next();
        while (!"PONG".equals(m.path("type").asText())) {
            String type = m.path("type").asText();
            if ("MEMBER_LEFT".equals(type)) {
                assertThat(m.path("payload").path("reason").asText()).isEqualTo("Slow connection");
                left++;
            } else if ("BLOB".equals(type)) {
                assertThat(m.path("payload").path("n").asInt()).as("the reader gets every message in order")
                        .isEqualTo(n);
                blob = true;
            }
            m = reader.next();
        }
        assertThat(blob).as("message %d before the PONG", n).isTrue();
        return left;
    }

    private static long memoryInUse() {
        ByteBufAllocatorMetric metric = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
        return metric.usedDirectMemory() + metric.usedHeapMemory();
    }
}
