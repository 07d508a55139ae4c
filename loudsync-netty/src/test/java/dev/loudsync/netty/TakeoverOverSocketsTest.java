package dev.loudsync.netty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.MemberStatus;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionListener;
import dev.loudsync.netty.testing.TcpProxy;
import dev.loudsync.testing.SessionEvents;
import dev.loudsync.testing.SocketGuest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A guest built to the original design (no resume token) re-joins with a plain {@code JOIN} after
 * a Wi-Fi drop, over real sockets: its old connection is black-holed by a proxy (both kernels keep
 * it open, nothing passes), so the host's probe of it goes unanswered and the new connection takes
 * the membership over; a plain {@code JOIN} against a connection that answers is still refused.
 */
class TakeoverOverSocketsTest {

    /** Interval and check interval: 2 s, the original client's retry delay. */
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(6);

    private final RecordingServerListener events = new RecordingServerListener();
    private final ServerTestSupport t = new ServerTestSupport(b -> b.listener(events));

    @AfterEach
    void stop() {
        t.close();
    }

    /** A JOIN as the original client writes it: no protocol version, no resume token. */
    private static String plainJoin(String device) {
        return "{\"type\":\"JOIN\",\"payload\":{\"sessionId\":\"ABC123\",\"deviceId\":\"" + device
                + "\",\"deviceName\":\"Phone\"}}";
    }

    /** Sends a PING and returns what arrived before its PONG: everything the host sent until then. */
    private static List<JsonNode> drainUntilPong(SocketGuest g) {
        g.send("{\"type\":\"PING\",\"timestamp\":1}");
        List<JsonNode> seen = new ArrayList<>();
        while (true) {
            JsonNode m = g.next();
            if (m.path("type").asText().equals("PONG")) {
                return seen;
            }
            seen.add(m);
        }
    }

    private static Member member(Session s, String id) {
        return s.members().stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aPlainJoinAfterASilentDrop_takesTheMembershipOver_withoutALeaveForOthers() throws Exception {
        Session s = t.open(b -> b.heartbeatTimeout(HEARTBEAT_TIMEOUT).latencyProbes(false));
        SessionEvents changes = new SessionEvents();
        try (TcpProxy wifi = new TcpProxy(t.server.port());
                SocketGuest watcher = SocketGuest.join(t.uri, "ABC123", "watcher")) {
            URI viaWifi = URI.create("ws://127.0.0.1:" + wifi.port() + "/");
            SocketGuest old = SocketGuest.connect(viaWifi);
            old.send(plainJoin("phone"));
            old.nextOf("MEMBER_LIST");
            long joinedAt = member(s, "phone").joinedAt();
            drainUntilPong(watcher);
            s.addListener(changes);

            // The phone's last sign of life is its PING; right after the PONG, the Wi-Fi goes silent.
            drainUntilPong(old);
            wifi.holdExisting();
            long dropped = System.nanoTime();
            Thread.sleep(HEARTBEAT_TIMEOUT.toMillis() / 3); // the original client retries 2 s later

            try (SocketGuest again = SocketGuest.connect(viaWifi)) {
                long sent = System.nanoTime();
                again.send(plainJoin("phone"));
                JsonNode welcome = again.next("WELCOME");
                long welcomed = System.nanoTime();
                again.next("MEMBER_LIST");
                System.out.printf("TakeoverOverSocketsTest: the plain JOIN was welcomed %d ms after it was sent "
                        + "(%d ms after the drop; takeover probe %d ms)%n", TimeUnit.NANOSECONDS.toMillis(welcomed - sent),
                        TimeUnit.NANOSECONDS.toMillis(welcomed - dropped), s.config().takeoverProbe().toMillis());
                assertThat(welcome.path("payload").path("yourDeviceId").asText()).isEqualTo("phone");

                Member phone = member(s, "phone");
                assertThat(phone.status()).isEqualTo(MemberStatus.CONNECTED);
                assertThat(phone.joinedAt()).isEqualTo(joinedAt);
                assertThat(s.members()).extracting(Member::id).containsExactly("host-1", "watcher", "phone");
                List<JsonNode> seen = drainUntilPong(watcher);
                assertThat(seen).extracting(m -> m.path("type").asText())
                        .doesNotContain("MEMBER_LEFT", "MEMBER_JOINED");
                assertThat(changes.lines()).as("joins and leaves")
                        .filteredOn(l -> l.startsWith("joined") || l.startsWith("left")).isEmpty();
                // The new connection carries the membership: the host answers it as a member.
                assertThat(drainUntilPong(again)).extracting(m -> m.path("type").asText()).doesNotContain("ERROR");

                // The host closed the old connection as replaced (what the phone cannot hear: the
                // path is still silent). It is the first connection the host closed.
                assertThat(events.await("closed ")).endsWith(" REPLACED");
                old.close();
            }
        }
    }

    @Test
    void aPlainJoinAgainstALiveConnection_isStillRefusedAlreadyJoined() throws Exception {
        // The host's keep-alive pings only every 20 s, so that the phone, which has nothing to say,
        // is silent for more than the 1 s interval when the second JOIN comes: that JOIN waits for
        // the probe, which the live connection's WebSocket stack answers.
        Session s = t.open(b -> b.heartbeatInterval(Duration.ofSeconds(1)).heartbeatTimeout(Duration.ofSeconds(60))
                .heartbeatCheckInterval(Duration.ofSeconds(20)).latencyProbes(false));
        SessionEvents changes = new SessionEvents();
        try (SocketGuest phone = SocketGuest.connect(t.uri)) {
            phone.send(plainJoin("phone"));
            phone.nextOf("MEMBER_LIST");
            s.addListener(changes);
            Thread.sleep(1_500); // more than the interval: the condition for a probe

            try (SocketGuest intruder = SocketGuest.connect(t.uri)) {
                long sent = System.nanoTime();
                intruder.send(plainJoin("phone"));
                JsonNode error = intruder.next("ERROR");
                System.out.printf("TakeoverOverSocketsTest: a plain JOIN against a live connection refused after %d ms "
                        + "(takeover probe %d ms)%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent),
                        s.config().takeoverProbe().toMillis());
                assertThat(error.path("payload").path("code").asText()).isEqualTo("ALREADY_JOINED");
                assertThat(intruder.closeCode()).isEqualTo(4504);
            }
            assertThat(drainUntilPong(phone)).extracting(m -> m.path("type").asText()).doesNotContain("ERROR");
            assertThat(phone.isClosed()).isFalse();
            assertThat(member(s, "phone").status()).isEqualTo(MemberStatus.CONNECTED);
            assertThat(changes.lines()).as("joins and leaves")
                    .filteredOn(l -> l.startsWith("joined") || l.startsWith("left")).isEmpty();
        }
    }
}
