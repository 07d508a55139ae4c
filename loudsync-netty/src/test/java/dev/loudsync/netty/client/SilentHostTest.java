package dev.loudsync.netty.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.Member;
import dev.loudsync.core.MemberStatus;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.netty.LoudSyncServer;
import dev.loudsync.netty.testing.TcpProxy;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A host that goes silent without closing: the client notices from the heartbeat timeout the host
 * announced, not from TCP (which, here, never gives up: the proxy keeps both sockets open), and
 * reconnects once the host is heard again.
 */
class SilentHostTest {

    private static final Duration TIMEOUT = Duration.ofMillis(1500); // interval and check: 500 ms

    private final LoudSyncServer server = LoudSyncServer.builder().bindAddress("127.0.0.1").port(0).ioThreads(2)
            .build();

    @AfterEach
    void stop() {
        server.close();
    }

    private static final class States implements ClientListener {
        final BlockingQueue<ClientState> states = new LinkedBlockingQueue<>();

        @Override
        public void stateChanged(ClientState from, ClientState to) {
            states.add(to);
        }

        /** Waits up to {@code seconds} for {@code state}; returns when it came, by System.nanoTime. */
        long await(ClientState state, int seconds) throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (true) {
                ClientState s = states.poll(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertThat(s).as("state %s within %d s", state, seconds).isNotNull();
                if (s == state) {
                    return System.nanoTime();
                }
            }
        }
    }

    @Test
    void aFrozenHost_isNoticedFromItsHeartbeatTimeout_andTheClientReconnectsOnceItIsBack() throws Exception {
        Session s = server.openSession(SessionConfig.builder().sessionId("ABC123").host("host-1", "Host")
                .heartbeatTimeout(TIMEOUT).latencyProbes(false).build());
        server.start().join();
        States events = new States();
        try (TcpProxy proxy = new TcpProxy(server.port());
                LoudSyncClient phone = LoudSyncClient.builder().url(URI.create("ws://127.0.0.1:" + proxy.port() + "/"))
                        .sessionId("ABC123").device("phone", "Phone").listener(events).build()) {
            assertThat(phone.connect().get(10, TimeUnit.SECONDS).heartbeatTimeoutMs()).isEqualTo(TIMEOUT.toMillis());
            events.await(ClientState.CONNECTED, 10);

            // A live host in a quiet session: three timeouts pass and the client stays.
            assertThat(events.states.poll(3 * TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isNull();
            assertThat(phone.connectionState()).isEqualTo(ClientState.CONNECTED);

            proxy.holdAll();
            long frozenAt = System.nanoTime();
            long noticedAt = events.await(ClientState.RECONNECTING, 10);
            System.out.printf("SilentHostTest: a frozen host noticed after %d ms (heartbeat timeout %d ms, "
                    + "interval %d ms)%n", TimeUnit.NANOSECONDS.toMillis(noticedAt - frozenAt), TIMEOUT.toMillis(),
                    TIMEOUT.toMillis() / 3);

            Thread.sleep(1_000); // the host stays frozen a while; the client keeps trying
            assertThat(phone.connectionState()).isEqualTo(ClientState.RECONNECTING);

            proxy.releaseAll();
            long back = System.nanoTime();
            long connectedAt = events.await(ClientState.CONNECTED, 20);
            System.out.printf("SilentHostTest: connected again %d ms after the host was back%n",
                    TimeUnit.NANOSECONDS.toMillis(connectedAt - back));
            assertThat(proxy.accepted.get()).isGreaterThanOrEqualTo(2);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (s.members().stream().noneMatch(m -> m.id().equals("phone") && m.status() == MemberStatus.CONNECTED)
                    || !phone.members().equals(s.members())) {
                assertThat(System.nanoTime()).as("the phone is a connected member again").isLessThan(until);
                Thread.sleep(5); // polling a condition with a deadline
            }
            assertThat(phone.members()).extracting(Member::id).containsExactly("host-1", "phone");
        }
    }
}
