package dev.loudsync.netty;

import static dev.loudsync.netty.RecordingServerListener.awaitStats;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loudsync.core.Delivery;
import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.Session;
import dev.loudsync.testing.Await;
import dev.loudsync.testing.SocketGuest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PROTOCOL.md "Delivery options": a volatile broadcast to a member whose reader stopped reading is
 * dropped where its connection cannot take it at once, never queued past the outbound limit and
 * never counted as slow; the member stays, and gets what is sent once it reads again, in order.
 */
class DroppableBroadcastTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ServerTestSupport t;

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void aStoppedReader_losesDroppableFrames_butIsNeverClosedAsSlow() throws Exception {
        t = new ServerTestSupport(b -> b.maxOutboundBytes(64 << 10));
        Session s = t.open(b -> b.latencyProbes(false));
        try (RawClient slow = new RawClient(t.server.port(), null, 4096)) {
            assertThat(slow.upgrade(null)).startsWith("HTTP/1.1 101");
            slow.sendText("{\"type\":\"JOIN\",\"payload\":{\"sessionId\":\"ABC123\",\"deviceId\":\"slow\","
                    + "\"deviceName\":\"Slow\"}}");
            awaitStats(t.server, "the slow member joined", x -> x.joinsAccepted() == 1);
            // it reads nothing from now on
            String big = "x".repeat(16_000);
            int sent = 3_000; // 48 MB: far more than socket buffers and the 64 KiB limit hold
            Delivery toSlow = Delivery.to(List.of("slow")).droppable();
            for (int n = 0; n < sent; n++) {
                s.broadcast("BLOB", Map.of("n", n, "data", big), toSlow).join();
            }
            assertThat(s.members()).extracting(Member::id).containsExactly("host-1", "slow");

            List<Integer> received = new ArrayList<>();
            AtomicBoolean sawEnd = new AtomicBoolean();
            CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
                try {
                    while (!sawEnd.get()) {
                        RawClient.Frame f = slow.readFrame();
                        assertThat(f.opcode()).as("no close frame").isNotEqualTo(8);
                        if (f.opcode() != 1) {
                            continue;
                        }
                        JsonNode m = JSON.readTree(new String(f.payload(), StandardCharsets.UTF_8));
                        JsonNode n = m.path("payload").path("n");
                        if (n.isTextual()) {
                            sawEnd.set(true);
                        } else if (m.path("type").asText().equals("BLOB")) {
                            received.add(n.asInt());
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // once it reads again, droppable frames reach it
            Await.until("the reader got a droppable frame sent after it resumed", () -> {
                s.broadcast("BLOB", Map.of("n", "end"), toSlow).join();
                return sawEnd.get() || reading.isDone();
            });
            reading.join();
            assertThat(received).isNotEmpty().hasSizeLessThan(sent).isSorted().doesNotHaveDuplicates();
            assertThat(s.members()).extracting(Member::id).containsExactly("host-1", "slow");
            ServerStats st = t.server.stats();
            assertThat(st.abuse().get(Abuse.SLOW_CONSUMER)).isZero();
            assertThat(st.leaves().get(LeaveReason.SLOW)).isZero();
        }
    }
}
