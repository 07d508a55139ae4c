package dev.loudsync.netty.discovery;

import static dev.loudsync.netty.discovery.DiscoveryTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.netty.LoudSyncServer;
import dev.loudsync.netty.discovery.DiscoveredSession.Source;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DNS-SD with JmDNS on both sides, bound to the loopback interface only. Skipped (with the reason on
 * stderr) where loopback has no multicast, as on many Linux machines and containers: there JmDNS
 * would hear nothing, and it must never fall back to a real interface in a test.
 */
class MdnsLoopbackTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @BeforeAll
    static void requireMulticastOnLoopback() throws Exception {
        NetworkInterface lo = NetworkInterface.getByInetAddress(LOOPBACK);
        String reason = null;
        if (lo == null) {
            reason = "no interface holds " + LOOPBACK;
        } else if (!lo.isUp()) {
            reason = "interface " + lo.getName() + " is down";
        } else if (!lo.supportsMulticast()) {
            reason = "interface " + lo.getName() + " (" + LOOPBACK.getHostAddress() + ") does not support multicast"
                    + " (on Linux: `ip link set " + lo.getName() + " multicast on` enables it)";
        }
        if (reason != null) {
            String message = "MdnsLoopbackTest skipped: " + reason;
            System.err.println(message);
            Assumptions.abort(message);
        }
    }

    @Test
    void aSessionIsBrowsedWithItsTxtFields_itsMemberCountFollows_andItIsWithdrawnOnClose() throws Exception {
        // JmDNS's own pace sets these bounds: it probes its host name for about 3 s before it
        // announces anything, and a guest drops a withdrawn service when its cache reaper runs
        // (every 10 s). This test is slow where it runs at all.
        DiscoveryTestSupport.Recorder recorder = new DiscoveryTestSupport.Recorder();
        LoudSyncServer server = LoudSyncServer.builder().bindAddress("127.0.0.1").port(0).ioThreads(2)
                .lanDiscovery(LanAdvertising.builder().beacon(false).networkInterfaceAddress(LOOPBACK).build())
                .build();
        LanDiscovery discovery = LanDiscovery.builder().beacon(false).interfaceAddress(LOOPBACK)
                .listener(recorder).build();
        WebSocket guest = null;
        try {
            Session party = server.openSession(SessionConfig.builder().sessionId("MDN-555").name("Over mDNS")
                    .host("host-9", "Desk").maxMembers(6).pin("77").build());
            server.start().join();
            discovery.start();

            DiscoveredSession found = recorder.next("found", s -> true, Duration.ofSeconds(10));
            assertThat(found.sessionId()).isEqualTo("MDN-555");
            assertThat(found.sessionName()).isEqualTo("Over mDNS");
            assertThat(found.hostId()).isEqualTo("host-9");
            assertThat(found.hostName()).isEqualTo("Desk");
            assertThat(found.address()).isEqualTo(new InetSocketAddress(LOOPBACK, server.port()));
            assertThat(found.memberCount()).isEqualTo(1);
            assertThat(found.maxMembers()).isEqualTo(6);
            assertThat(found.pinRequired()).isTrue();
            assertThat(found.seenBy()).containsExactly(Source.DNS_SD);

            guest = DiscoveryTestSupport.joinWithPin(server.port(), "MDN555", "phone-1", "77");
            recorder.next("updated", s -> s.memberCount() == 2, Duration.ofSeconds(5));

            party.close().join();
            recorder.next("lost", s -> s.sessionId().equals("MDN-555"), Duration.ofSeconds(15));
            assertThat(discovery.sessions()).isEmpty();
        } finally {
            if (guest != null) {
                guest.abort();
            }
            // Both say goodbye on the network (about 3 s each): in parallel.
            long start = System.nanoTime();
            var stopping = server.stop();
            discovery.close();
            stopping.get(10, TimeUnit.SECONDS);
            System.err.println("MdnsLoopbackTest: closing both JmDNS instances took "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
        }
        await("JmDNS and discovery threads to end", Duration.ofSeconds(2),
                () -> !DiscoveryTestSupport.discoveryThreadsAlive());
    }
}
