package dev.loudsync.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.netty.LoudSyncServer;
import dev.loudsync.netty.client.LoudSyncClient;
import dev.loudsync.testing.Await;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link LoudSyncMetrics} and {@link SessionMetrics} on a {@link SimpleMeterRegistry}, over real sockets. */
class LoudSyncMetricsTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private LoudSyncServer server;
    private Session party;
    private URI uri;

    @BeforeEach
    void start() {
        server = LoudSyncServer.builder().bindAddress("127.0.0.1").port(0).ioThreads(1).build();
        party = server.openSession(SessionConfig.builder().sessionId("ABC123").host("host-1", "Host")
                .latencyProbes(false).build());
        new LoudSyncMetrics(server, Tags.of("server", "test")).bindTo(registry);
        server.start().join();
        uri = URI.create("ws://127.0.0.1:" + server.port() + "/");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    /** Waits (at most 10 s) until {@code value} reads {@code expected}. */
    private static void await(String what, DoubleSupplier value, double expected) {
        Await.until(what + " to read " + expected, () -> value.getAsDouble() == expected);
    }

    private LoudSyncClient guest(String sessionId, String deviceId) {
        return LoudSyncClient.builder().url(uri).sessionId(sessionId).device(deviceId, "Guest " + deviceId).build();
    }

    @Test
    void joinsMembersFramesAndState_move() {
        assertThat(gauge("loudsync.server.state", "state", "running")).isEqualTo(1);
        assertThat(gauge("loudsync.server.state", "state", "new")).isZero();
        assertThat(gauge("loudsync.members")).isEqualTo(1);
        try (LoudSyncClient a = guest("ABC123", "a")) {
            a.connect().join();
            await("joins", () -> counter("loudsync.joins.accepted"), 1);
            assertThat(gauge("loudsync.members")).isEqualTo(2);
            assertThat(gauge("loudsync.connections.open", "state", "joined")).isEqualTo(1);
            assertThat(gauge("loudsync.sessions.open")).isEqualTo(1);
            assertThat(counter("loudsync.connections.opened")).isEqualTo(1);
            assertThat(counter("loudsync.frames.received")).isGreaterThanOrEqualTo(1);
            assertThat(counter("loudsync.frames.sent")).isGreaterThanOrEqualTo(2); // WELCOME, MEMBER_LIST
            assertThat(counter("loudsync.payload.sent")).isGreaterThan(counter("loudsync.frames.sent"));
            assertThat(registry.get("loudsync.payload.sent").functionCounter().getId().getBaseUnit()).isEqualTo("bytes");
            a.leave().join();
        }
        await("the leave", () -> counter("loudsync.leaves", "reason", "left"), 1);
        assertThat(counter("loudsync.closes", "code", "1000", "reason", "NORMAL")).isEqualTo(1);
        server.stop().join();
        assertThat(gauge("loudsync.server.state", "state", "stopped")).isEqualTo(1);
        assertThat(gauge("loudsync.server.state", "state", "running")).isZero();
    }

    @Test
    void aRefusedJoin_andARefusedOrigin_areCountedByCodeAndKind() {
        try (LoudSyncClient wrong = guest("NOPE99", "w")) {
            assertThatThrownBy(() -> wrong.connect().join()).isInstanceOf(CompletionException.class);
        }
        await("the refusal", () -> counter("loudsync.joins.refused", "code", "SESSION_NOT_FOUND"), 1);
        assertThat(counter("loudsync.joins.refused", "code", "SESSION_FULL")).isZero();

        HttpClient http = HttpClient.newHttpClient();
        assertThatThrownBy(() -> http.newWebSocketBuilder().header("Origin", "http://evil.example")
                .connectTimeout(Duration.ofSeconds(5)).buildAsync(uri, new WebSocket.Listener() { })
                .get(10, TimeUnit.SECONDS)).hasStackTraceContaining("status code 403");
        await("the origin", () -> counter("loudsync.abuse", "kind", "origin_refused"), 1);
        assertThat(counter("loudsync.abuse", "kind", "flooding")).isZero();
    }

    @Test
    void names_followMicrometersConventions_andTrafficAddsNoSeries() {
        int before = registry.getMeters().size();
        for (Meter m : registry.getMeters()) {
            assertThat(m.getId().getName()).matches("loudsync(\\.[a-z]+)+");
            assertThat(m.getId().getTag("server")).isEqualTo("test");
            assertThat(m.getId().getDescription()).isNotBlank();
        }
        try (LoudSyncClient a = guest("ABC123", "a"); LoudSyncClient w = guest("NOPE99", "w")) {
            a.connect().join();
            assertThatThrownBy(() -> w.connect().join()).isInstanceOf(CompletionException.class);
        }
        registry.getMeters().forEach(Meter::measure);
        assertThat(registry.getMeters()).hasSize(before);
    }

    @Test
    void sessionMetrics_countTheSession_andAreRemovedWhenItCloses() {
        new SessionMetrics(party).bindTo(registry);
        assertThat(registry.get("loudsync.session.members").tags("session", "ABC123").gauge().value()).isEqualTo(1);
        try (LoudSyncClient a = guest("ABC123", "a")) {
            a.connect().join();
            await("the join", () -> registry.get("loudsync.session.joins").tags("session", "ABC123").counter().count(), 1);
            assertThat(registry.get("loudsync.session.members").tags("session", "ABC123").gauge().value()).isEqualTo(2);
            a.leave().join();
        }
        await("the leave", () -> registry.get("loudsync.session.leaves").tags("session", "ABC123", "reason", "left")
                .counter().count(), 1);
        party.close().join();
        assertThat(registry.find("loudsync.session.members").meters()).isEmpty();
        assertThat(registry.find("loudsync.session.leaves").meters()).isEmpty();
    }

    @Test
    void sessionMetrics_ofAClosedSession_registerNothing() {
        party.close().join();
        new SessionMetrics(party).bindTo(registry);
        assertThat(registry.find("loudsync.session.joins").meters()).isEmpty();
    }
}
