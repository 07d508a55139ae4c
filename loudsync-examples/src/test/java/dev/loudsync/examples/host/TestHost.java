package dev.loudsync.examples.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.netty.LoudSyncServer;
import dev.loudsync.testing.Await;
import dev.loudsync.testing.SocketGuest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/** A real server on 127.0.0.1 (any free port) with one session, and the guests a test joined. */
final class TestHost implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    static final String SESSION_ID = "TEST42";
    static final String HOST_ID = "host-1";

    final LoudSyncServer server;
    final Session session;
    final URI uri;
    private final List<SocketGuest> guests = new ArrayList<>();

    private TestHost(dev.loudsync.netty.WebHandler web, UnaryOperator<SessionConfig.Builder> config) {
        LoudSyncServer.Builder b = LoudSyncServer.builder().bindAddress("127.0.0.1").port(0);
        if (web != null) {
            b.webHandler(web);
        }
        server = b.build();
        session = server.openSession(config.apply(SessionConfig.builder()
                .sessionId(SESSION_ID)
                .host(HOST_ID, "Test Host")
                .maxMembers(8)).build());
        server.start().join();
        uri = URI.create("ws://127.0.0.1:" + server.port() + "/");
    }

    static TestHost start() {
        return new TestHost(null, b -> b);
    }

    static TestHost start(UnaryOperator<SessionConfig.Builder> config) {
        return new TestHost(null, config);
    }

    /** A host that also answers plain HTTP with {@code web}. */
    static TestHost start(dev.loudsync.netty.WebHandler web, UnaryOperator<SessionConfig.Builder> config) {
        return new TestHost(web, config);
    }

    /** Sends a JOIN for {@code deviceId} and returns the guest without waiting for an answer. */
    SocketGuest sendJoin(String deviceId, String deviceName) {
        SocketGuest g = sendJoin(uri, SESSION_ID, deviceId, deviceName);
        guests.add(g);
        return g;
    }

    /**
     * Connects a version 1.0 guest to {@code uri} and sends its {@code JOIN} without waiting for
     * an answer. Its queue leaves out {@code MEMBER_UPDATED} (latency changes, at the host's pace).
     */
    static SocketGuest sendJoin(URI uri, String sessionId, String deviceId, String deviceName) {
        return SocketGuest.connect(uri).ignoring("MEMBER_UPDATED")
                .sendJoin(sessionId, deviceId, deviceName, SocketGuest.VERSION_1, null);
    }

    /**
     * Joins a guest and waits until it and every guest joined before know of it: the queues hold
     * nothing from the join.
     */
    SocketGuest join(String deviceId, String deviceName) {
        List<SocketGuest> others = List.copyOf(guests);
        SocketGuest g = sendJoin(deviceId, deviceName);
        g.joined();
        for (SocketGuest other : others) {
            assertThat(other.next("MEMBER_JOINED").at("/payload/member/id").asText()).isEqualTo(deviceId);
        }
        return g;
    }

    /** Waits (at most 10 s) until {@code condition} holds. */
    static void await(String what, BooleanSupplier condition) {
        Await.until(what, condition);
    }

    @Override
    public void close() {
        guests.forEach(SocketGuest::close);
        server.close();
    }
}
