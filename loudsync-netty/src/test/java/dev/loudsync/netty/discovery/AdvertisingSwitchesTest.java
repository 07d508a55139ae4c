package dev.loudsync.netty.discovery;

import static dev.loudsync.netty.discovery.DiscoveryTestSupport.LOOPBACK;
import static dev.loudsync.netty.discovery.DiscoveryTestSupport.await;
import static dev.loudsync.netty.discovery.DiscoveryTestSupport.discoveryThreadsAlive;
import static dev.loudsync.netty.discovery.DiscoveryTestSupport.loopback;
import static dev.loudsync.netty.discovery.DiscoveryTestSupport.udpSocketCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loudsync.core.SessionConfig;
import dev.loudsync.netty.LoudSyncServer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What is (not) sent with the switches off, by default, and when advertising cannot start. */
class AdvertisingSwitchesTest {

    private static final Duration INTERVAL = Duration.ofMillis(100);

    private static LoudSyncServer.Builder local() {
        return LoudSyncServer.builder().bindAddress("127.0.0.1").port(0).ioThreads(2);
    }

    private static SessionConfig party() {
        return SessionConfig.builder().sessionId("ABC123").host("host-1", "Host").build();
    }

    @Test
    void withBothMechanismsOff_nothingIsSent_andNoSocketOrThreadIsOpened() throws Exception {
        try (DatagramSocket target = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            int socketsBefore = udpSocketCount();
            LoudSyncServer server = local().lanDiscovery(LanAdvertising.builder().dnsSd(false).beacon(false)
                    .networkInterfaceAddress(LOOPBACK).beaconTarget(loopback(target.getLocalPort()))
                    .beaconInterval(INTERVAL).build()).build();
            try {
                server.openSession(party());
                server.start().join();

                // A bounded wait for an absence: three beacon intervals.
                target.setSoTimeout((int) INTERVAL.multipliedBy(3).toMillis());
                DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
                assertThatThrownBy(() -> target.receive(packet)).isInstanceOf(SocketTimeoutException.class);
                assertThat(udpSocketCount()).isEqualTo(socketsBefore);
                assertThat(discoveryThreadsAlive()).isFalse();
            } finally {
                server.close();
            }
        }
    }

    @Test
    void byDefault_noSocketIsOpened_andNoDiscoveryOrJmDnsThreadStarts() {
        int socketsBefore = udpSocketCount();
        LoudSyncServer server = local().build();
        try {
            server.openSession(party());
            server.start().join();
            server.openSession(SessionConfig.builder().sessionId("DEF456").host("host-1", "Host").build());

            if (socketsBefore >= 0) {
                assertThat(udpSocketCount()).as("UDP sockets of this process").isEqualTo(socketsBefore);
            } else {
                System.err.println("UDP socket count unavailable here (no /proc): checked threads only");
            }
            assertThat(discoveryThreadsAlive()).isFalse();
        } finally {
            server.close();
        }
    }

    @Test
    void aBeaconThatCannotBeSent_isLogged_andTheServerStartsAnyway() throws Exception {
        // 198.51.100.0/24 is a documentation range: not an address of this machine, so binding fails.
        InetAddress notHere = InetAddress.getByAddress(new byte[] {(byte) 198, 51, 100, 77});
        try (DatagramSocket target = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            LoudSyncServer server = local().lanDiscovery(LanAdvertising.builder().dnsSd(false)
                    .networkInterfaceAddress(notHere).beaconTarget(loopback(target.getLocalPort()))
                    .beaconInterval(INTERVAL).build()).build();
            try {
                server.openSession(party());
                server.start().join();
                assertThat(server.port()).isPositive();
                target.setSoTimeout((int) INTERVAL.multipliedBy(3).toMillis());
                DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
                assertThatThrownBy(() -> target.receive(packet)).isInstanceOf(SocketTimeoutException.class);
            } finally {
                server.stop().join();
            }
        }
    }

    @Test
    void stop_stopsTheBeacons_andReleasesTheSocket() throws Exception {
        try (DatagramSocket target = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            target.setSoTimeout(2_000);
            int socketsBefore = udpSocketCount();
            LoudSyncServer server = local().lanDiscovery(LanAdvertising.builder().dnsSd(false)
                    .networkInterfaceAddress(LOOPBACK).beaconTarget(loopback(target.getLocalPort()))
                    .beaconInterval(INTERVAL).build()).build();
            server.openSession(party());
            server.start().join();
            DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
            target.receive(packet);
            if (socketsBefore >= 0) {
                assertThat(udpSocketCount()).isEqualTo(socketsBefore + 1);
            }

            server.stop().join();

            if (socketsBefore >= 0) {
                assertThat(udpSocketCount()).isEqualTo(socketsBefore);
            }
            // Drain what was in flight, then nothing more for three intervals.
            target.setSoTimeout((int) INTERVAL.multipliedBy(3).toMillis());
            long end = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            boolean quiet = false;
            while (!quiet && System.nanoTime() < end) {
                try {
                    target.receive(packet);
                } catch (SocketTimeoutException e) {
                    quiet = true;
                }
            }
            assertThat(quiet).as("beacons stopped").isTrue();
            await("no discovery thread", Duration.ofSeconds(1), () -> !discoveryThreadsAlive());
        }
    }
}
