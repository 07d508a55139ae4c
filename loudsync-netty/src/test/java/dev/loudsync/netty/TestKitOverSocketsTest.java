package dev.loudsync.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.testing.Await;
import dev.loudsync.testing.SessionEvents;
import dev.loudsync.testing.SocketGuest;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The test kit's socket guest as the README shows it, and what it promises beyond the example. */
class TestKitOverSocketsTest {

    private LoudSyncServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theReadmeExample() {
        server = LoudSyncServer.builder().bindAddress("127.0.0.1").port(0).build();
        SessionEvents events = new SessionEvents();
        Session party = server.openSession(SessionConfig.builder().sessionId("ABC123").host("host-1", "Laptop").build());
        party.addListener(events);
        server.start().join();
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/");

        try (SocketGuest phone = SocketGuest.join(uri, "ABC123", "phone-1")) {
            phone.next("WELCOME");
            assertThat(phone.next("MEMBER_LIST").at("/payload/members")).hasSize(2);
            Await.until("the join reported", () -> events.lines().contains("joined phone-1"));
        }
    }

    @Test
    void theGuestAnswersPings_ignoresWhatItIsTold_andFailsNamingWhatDidNotCome() {
        server = LoudSyncServer.builder().bindAddress("127.0.0.1").port(0).build();
        Session party = server.openSession(SessionConfig.builder().sessionId("ABC123").host("host-1", "Laptop")
                .heartbeatCheckInterval(Duration.ofMillis(100)).build());
        server.start().join();
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/");

        try (SocketGuest phone = SocketGuest.connect(uri).ignoring("MEMBER_UPDATED")) {
            phone.sendJoin("ABC123", "phone-1", "Phone", "1.1", null);
            assertThat(phone.joined().at("/payload/members/1/id").asText()).isEqualTo("phone-1");
            Await.until("a host PING", () -> !phone.pings().isEmpty());
            Await.until("the phone's latency, measured from its PONG",
                    () -> party.members().stream().anyMatch(m -> m.id().equals("phone-1") && m.latencyMillis().isPresent()));
            assertThat(phone.texts()).noneMatch(t -> t.contains("\"PING\"") || t.contains("MEMBER_UPDATED"));
            assertThatThrownBy(() -> phone.next("CHAT")).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("no message within");
            party.broadcast("CHAT", Map.of("text", "hi"));
            assertThat(phone.next("CHAT").at("/payload/text").asText()).isEqualTo("hi");
            party.kick("phone-1", "bye");
            assertThat(phone.closeCode()).isEqualTo(4505);
        }
    }
}
