package dev.loudsync.netty.discovery;

import static dev.loudsync.netty.discovery.DiscoveryTestSupport.LOOPBACK;
import static dev.loudsync.netty.discovery.DiscoveryTestSupport.loopback;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loudsync.netty.LoudSyncServer;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Builders: defaults, validation with the expected range in the message, set-once. */
class DiscoverySettingsTest {

    @Test
    void advertisingDefaults_areBothMechanisms_broadcastTo8081_every2s_onAnAutomaticInterface() {
        LanAdvertising d = LanAdvertising.defaults();
        assertThat(d.dnsSd()).isTrue();
        assertThat(d.beacon()).isTrue();
        assertThat(d.beaconTarget().getAddress().getHostAddress()).isEqualTo("255.255.255.255");
        assertThat(d.beaconTarget().getPort()).isEqualTo(8081);
        assertThat(d.beaconInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(d.networkInterfaceAddress()).isEmpty();
    }

    @Test
    void advertisingBuilder_refusesBadValues_andSettingTwice() {
        assertThatThrownBy(() -> LanAdvertising.builder().beaconInterval(Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beaconInterval: PT0.01S");
        assertThatThrownBy(() -> LanAdvertising.builder().beaconTarget(InetSocketAddress.createUnresolved("x", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beaconTarget");
        assertThatThrownBy(() -> LanAdvertising.builder().beaconTarget(loopback(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port 1-65535");
        assertThatThrownBy(() -> LanAdvertising.builder().networkInterfaceAddress(
                InetAddress.getByAddress(new byte[4]))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("networkInterfaceAddress");
        assertThatThrownBy(() -> LanAdvertising.builder().dnsSd(false).dnsSd(true))
                .isInstanceOf(IllegalStateException.class).hasMessage("dnsSd was already set");
        assertThatThrownBy(() -> LanAdvertising.builder().beaconTarget(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void serverBuilder_lanDiscoveryIsSetOnce() {
        LanAdvertising off = LanAdvertising.builder().dnsSd(false).beacon(false).build();
        assertThatThrownBy(() -> LoudSyncServer.builder().lanDiscovery(off).lanDiscovery(off))
                .isInstanceOf(IllegalStateException.class).hasMessage("lanDiscovery was already set");
        assertThatThrownBy(() -> LoudSyncServer.builder().lanDiscovery(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void discoveryBuilder_refusesBadValues_andSettingTwice() {
        assertThatThrownBy(() -> LanDiscovery.builder().beaconPort(70_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("beaconPort: 70000 (expected: 0-65535)");
        assertThatThrownBy(() -> LanDiscovery.builder().expireAfter(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expireAfter: PT0S");
        assertThatThrownBy(() -> LanDiscovery.builder().expireAfter(Duration.ofSeconds(1)).expireAfter(
                Duration.ofSeconds(2))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> LanDiscovery.builder().interfaceAddress(InetAddress.getByAddress(new byte[4])))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void discovery_startsOnce_closesIdempotently_andCannotStartAfterClose() {
        LanDiscovery d = LanDiscovery.builder().beaconPort(0).beaconBindAddress(LOOPBACK).dnsSd(false).build();
        assertThat(d.beaconAddress()).isEmpty();
        d.start();
        assertThat(d.beaconAddress()).get().extracting(InetSocketAddress::getPort).isNotEqualTo(0);
        assertThatThrownBy(d::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("started");
        d.close();
        d.close();
        assertThat(d.beaconAddress()).isEmpty();
        assertThatThrownBy(d::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void discovery_onABusyPort_throwsFromStart_andLeavesNothingRunning() throws Exception {
        try (DatagramSocket busy = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            LanDiscovery d = LanDiscovery.builder().beaconPort(busy.getLocalPort()).beaconBindAddress(LOOPBACK)
                    .dnsSd(false).build();
            assertThatThrownBy(d::start).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining(Integer.toString(busy.getLocalPort()));
            assertThat(DiscoveryTestSupport.discoveryThreadsAlive()).isFalse();
            d.close();
        }
    }

    @Test
    void scan_listsWhatWasHeardInTheWindow_andLeavesNothingRunning() throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            port = probe.getLocalPort();
        }
        try (LoudSyncServer server = LoudSyncServer.builder().bindAddress("127.0.0.1").port(0).ioThreads(1)
                .lanDiscovery(LanAdvertising.builder().dnsSd(false).networkInterfaceAddress(LOOPBACK)
                        .beaconTarget(loopback(port)).beaconInterval(Duration.ofMillis(100)).build())
                .build()) {
            server.openSession(dev.loudsync.core.SessionConfig.builder().sessionId("ABC123").host("h", "Host")
                    .build());
            server.start().join();

            long start = System.nanoTime();
            List<DiscoveredSession> found = LanDiscovery.scan(Duration.ofMillis(400), LanDiscovery.builder()
                    .beaconPort(port).beaconBindAddress(LOOPBACK).dnsSd(false));

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(400),
                    Duration.ofSeconds(2));
            assertThat(found).extracting(DiscoveredSession::sessionId).containsExactly("ABC123");
            assertThat(found.get(0).address().getPort()).isEqualTo(server.port());
            DiscoveryTestSupport.await("discovery threads to end", Duration.ofSeconds(1),
                    () -> !DiscoveryTestSupport.discoveryThreadsAlive());
        }
    }
}
