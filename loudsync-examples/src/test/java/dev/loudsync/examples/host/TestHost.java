package dev.loudsync.examples.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.netty.LoudSyncServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/** A real server on 127.0.0.1 (any free port) with one session, and the guests a test joined. */
final class TestHost implements AutoCloseable {

    static final String SESSION_ID = "TEST42";
    static final String HOST_ID = "host-1";

    final LoudSyncServer server;
    final Session session;
    final URI uri;
    private final List<WsGuest> guests = new ArrayList<>();

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
    WsGuest sendJoin(String deviceId, String deviceName) {
        WsGuest g = WsGuest.join(uri, SESSION_ID, deviceId, deviceName);
        guests.add(g);
        return g;
    }

    /**
     * Joins a guest and waits until it and every guest joined before know of it: the queues hold
     * nothing from the join.
     */
    WsGuest join(String deviceId, String deviceName) {
        List<WsGuest> others = List.copyOf(guests);
        WsGuest g = sendJoin(deviceId, deviceName);
        g.joined();
        for (WsGuest other : others) {
            assertThat(other.next("MEMBER_JOINED").at("/payload/member/id").asText()).isEqualTo(deviceId);
        }
        return g;
    }

    /** Waits (at most 10 s) until {@code condition} holds. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            LockSupport.parkNanos(1_000_000); // polls a condition; no event to wait on
        }
    }

    @Override
    public void close() {
        guests.forEach(WsGuest::close);
        server.close();
    }
}
