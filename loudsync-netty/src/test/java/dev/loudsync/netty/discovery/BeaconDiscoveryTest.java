package dev.loudsync.netty.discovery;

import static dev.loudsync.netty.discovery.DiscoveryTestSupport.LOOPBACK;
import static dev.loudsync.netty.discovery.DiscoveryTestSupport.await;
import static dev.loudsync.netty.discovery.DiscoveryTestSupport.discoveryThreadsAlive;
import static dev.loudsync.netty.discovery.DiscoveryTestSupport.loopback;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.netty.LoudSyncServer;
import dev.loudsync.netty.discovery.DiscoveredSession.Source;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Host beacons heard by {@link LanDiscovery}, all on 127.0.0.1. */
class BeaconDiscoveryTest {

    private static final Duration WAIT = Duration.ofSeconds(2);
    private static final Duration INTERVAL = Duration.ofMillis(100);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private LanDiscovery discovery(DiscoveryTestSupport.Recorder recorder, Duration expireAfter) {
        LanDiscovery d = LanDiscovery.builder().beaconPort(0).beaconBindAddress(LOOPBACK).dnsSd(false)
                .expireAfter(expireAfter).listener(recorder).build();
        toClose.add(d);
        d.start();
        return d;
    }

    private LoudSyncServer server(InetSocketAddress beaconTarget) {
        LoudSyncServer s = LoudSyncServer.builder().bindAddress("127.0.0.1").port(0).ioThreads(2)
                .lanDiscovery(LanAdvertising.builder().dnsSd(false).networkInterfaceAddress(LOOPBACK)
                        .beaconTarget(beaconTarget).beaconInterval(INTERVAL).build())
                .build();
        toClose.add(s);
        return s;
    }

    @Test
    void aSessionIsFoundWithAllFields_itsMemberCountFollowsJoins_andItIsLostOnceClosed() {
        DiscoveryTestSupport.Recorder recorder = new DiscoveryTestSupport.Recorder();
        LanDiscovery discovery = discovery(recorder, Duration.ofMillis(400));
        LoudSyncServer server = server(discovery.beaconAddress().orElseThrow());
        Session party = server.openSession(SessionConfig.builder().sessionId("abc-123").name("Quiz Night")
                .host("host-1", "Laptop").maxMembers(8).build());
        Instant before = Instant.now();
        server.start().join();

        DiscoveredSession found = recorder.next("found", s -> true, WAIT);
        assertThat(found.sessionId()).isEqualTo("abc-123");
        assertThat(found.sessionName()).isEqualTo("Quiz Night");
        assertThat(found.hostId()).isEqualTo("host-1");
        assertThat(found.hostName()).isEqualTo("Laptop");
        assertThat(found.address()).isEqualTo(new InetSocketAddress(LOOPBACK, server.port()));
        assertThat(found.memberCount()).isEqualTo(1);
        assertThat(found.maxMembers()).isEqualTo(8);
        assertThat(found.pinRequired()).isFalse();
        assertThat(found.loudSyncNative()).isTrue();
        assertThat(found.seenBy()).containsExactly(Source.BEACON);
        assertThat(found.lastSeen()).isBetween(before.minusMillis(1), Instant.now().plusMillis(1));
        assertThat(discovery.sessions()).extracting(DiscoveredSession::sessionId).containsExactly("abc-123");
        assertThat(DiscoveryTestSupport.threadNames()).noneMatch(n -> n.contains("JmDNS") || n.contains("dnssd"));

        WebSocket guest = DiscoveryTestSupport.join(server.port(), "ABC123", "phone-1");
        try {
            DiscoveredSession updated = recorder.next("updated", s -> s.memberCount() == 2, WAIT);
            assertThat(updated.sessionId()).isEqualTo("abc-123");
            assertThat(discovery.sessions()).singleElement().extracting(DiscoveredSession::memberCount).isEqualTo(2);

            party.close().join();
            DiscoveredSession lost = recorder.next("lost", s -> true, WAIT);
            assertThat(lost.sessionId()).isEqualTo("abc-123");
            assertThat(discovery.sessions()).isEmpty();
        } finally {
            guest.abort();
        }
    }

    @Test
    void aSessionOpenedAfterStart_isAdvertisedToo_andStoppingTheServer_endsAllBeacons() {
        DiscoveryTestSupport.Recorder recorder = new DiscoveryTestSupport.Recorder();
        LanDiscovery discovery = discovery(recorder, Duration.ofMillis(400));
        LoudSyncServer server = server(discovery.beaconAddress().orElseThrow());
        server.openSession(SessionConfig.builder().sessionId("AAA111").host("h", "Host").build());
        server.start().join();
        recorder.next("found", s -> s.sessionId().equals("AAA111"), WAIT);

        server.openSession(SessionConfig.builder().sessionId("BBB222").name("Later").host("h", "Host").pin("42")
                .build());
        DiscoveredSession later = recorder.next("found", s -> s.sessionId().equals("BBB222"), WAIT);
        assertThat(later.pinRequired()).isTrue();
        assertThat(later.sessionName()).isEqualTo("Later");

        server.stop().join();
        await("both sessions lost", WAIT, () -> discovery.sessions().isEmpty());
        discovery.close();
        await("discovery threads to end", WAIT, () -> !discoveryThreadsAlive());
    }

    @Test
    void theDatagram_isOneJsonObjectWithExactlyTheProtocolFields() throws Exception {
        try (DatagramSocket raw = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            raw.setSoTimeout(2_000);
            LoudSyncServer server = server(loopback(raw.getLocalPort()));
            server.openSession(SessionConfig.builder().sessionId("K7M-2QX").name("Fête \"à\" la plage")
                    .host("device-123", "Anna's phone").maxMembers(12).pin("0000").build());
            server.start().join();

            byte[] buffer = new byte[4096];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            raw.receive(packet);

            assertThat(packet.getLength()).isLessThanOrEqualTo(2048);
            assertThat(packet.getAddress()).isEqualTo(LOOPBACK);
            String text = new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8);
            JsonNode json = new ObjectMapper().readTree(text);
            List<String> names = new ArrayList<>();
            json.fieldNames().forEachRemaining(names::add);
            assertThat(names).containsExactly("sessionId", "sessionName", "hostId", "hostName", "hostAddress", "port",
                    "memberCount", "maxMembers", "protocolVersion", "pinRequired");
            assertThat(json.get("sessionId").isTextual()).isTrue();
            assertThat(json.get("sessionId").asText()).isEqualTo("K7M-2QX");
            assertThat(json.get("sessionName").asText()).isEqualTo("Fête \"à\" la plage");
            assertThat(json.get("hostId").asText()).isEqualTo("device-123");
            assertThat(json.get("hostName").asText()).isEqualTo("Anna's phone");
            assertThat(json.get("hostAddress").asText()).isEqualTo("127.0.0.1");
            assertThat(json.get("port").isInt()).isTrue();
            assertThat(json.get("port").asInt()).isEqualTo(server.port());
            assertThat(json.get("memberCount").isInt()).isTrue();
            assertThat(json.get("memberCount").asInt()).isEqualTo(1);
            assertThat(json.get("maxMembers").asInt()).isEqualTo(12);
            assertThat(json.get("protocolVersion").isInt()).isTrue();
            assertThat(json.get("protocolVersion").asInt()).isEqualTo(1);
            assertThat(json.get("pinRequired").isBoolean()).isTrue();
            assertThat(json.get("pinRequired").asBoolean()).isTrue();
            assertThat(text).doesNotContain("\n").startsWith("{").endsWith("}");

            // And again one interval later: a timer, not a one-off.
            raw.receive(packet);
            assertThat(new ObjectMapper().readTree(new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8))
                    .get("sessionId").asText()).isEqualTo("K7M-2QX");
        }
    }

    @Test
    void malformedDatagrams_areIgnored_andDoNotBreakLaterValidOnes() throws Exception {
        DiscoveryTestSupport.Recorder recorder = new DiscoveryTestSupport.Recorder();
        LanDiscovery discovery = discovery(recorder, Duration.ofSeconds(5));
        InetSocketAddress target = discovery.beaconAddress().orElseThrow();
        String valid = "{\"sessionId\":\"ABC123\",\"sessionName\":\"Party\",\"hostId\":\"h\",\"hostName\":\"Host\","
                + "\"hostAddress\":\"127.0.0.1\",\"port\":8080,\"memberCount\":1,\"maxMembers\":8,"
                + "\"protocolVersion\":1,\"pinRequired\":false}";
        List<byte[]> bad = new ArrayList<>();
        bad.add(new byte[0]);
        bad.add(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, 3});
        bad.add("not json at all".getBytes(StandardCharsets.UTF_8));
        bad.add("[]".getBytes(StandardCharsets.UTF_8));
        bad.add(valid.replace("\"port\":8080", "\"port\":\"8080\"").getBytes(StandardCharsets.UTF_8));
        bad.add(valid.replace("\"pinRequired\":false", "\"pinRequired\":\"false\"").getBytes(StandardCharsets.UTF_8));
        bad.add(valid.replace("\"memberCount\":1", "\"memberCount\":1.0").getBytes(StandardCharsets.UTF_8));
        bad.add(valid.replace("{", "{\"sessionId\":\"ZZZ999\",").getBytes(StandardCharsets.UTF_8)); // duplicate
        bad.add((valid + "{}").getBytes(StandardCharsets.UTF_8)); // trailing data
        bad.add(valid.replace("127.0.0.1", "example.invalid").getBytes(StandardCharsets.UTF_8)); // never looked up
        bad.add(valid.replace("\"protocolVersion\":1", "\"protocolVersion\":2").getBytes(StandardCharsets.UTF_8));
        bad.add(("{\"pad\":\"" + "x".repeat(3000) + "\"," + valid.substring(1)).getBytes(StandardCharsets.UTF_8));
        bad.add(valid.replace("{", "{\"deep\":[[[[1]]]],").getBytes(StandardCharsets.UTF_8));

        try (DatagramSocket sender = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            for (byte[] b : bad) {
                sender.send(new DatagramPacket(b, b.length, target));
            }
            byte[] ok = valid.replace("{", "{\"future\":{\"x\":[1]},").getBytes(StandardCharsets.UTF_8);
            sender.send(new DatagramPacket(ok, ok.length, target));

            // Datagrams are handled in order: once the valid one is in, every bad one was seen and dropped.
            DiscoveredSession found = recorder.next("found", s -> true, WAIT);
            assertThat(found.sessionId()).isEqualTo("ABC123");
            assertThat(found.address()).isEqualTo(new InetSocketAddress(LOOPBACK, 8080));
            assertThat(recorder.events).isEmpty();
            assertThat(discovery.sessions()).hasSize(1);
        }
    }

    @Test
    void aHostBuiltToTheOriginalDesign_isListedAsVersion1WithoutPin_andNotNative() throws Exception {
        DiscoveryTestSupport.Recorder recorder = new DiscoveryTestSupport.Recorder();
        LanDiscovery discovery = discovery(recorder, Duration.ofSeconds(5));
        // The original design's beacon: eight fields, no protocolVersion, no pinRequired.
        byte[] seed = ("{\"sessionId\":\"SEED42\",\"sessionName\":\"Old party\",\"hostId\":\"old-host\","
                + "\"hostName\":\"Old phone\",\"hostAddress\":\"127.0.0.1\",\"port\":8090,\"memberCount\":2,"
                + "\"maxMembers\":6}").getBytes(StandardCharsets.UTF_8);
        try (DatagramSocket sender = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            sender.send(new DatagramPacket(seed, seed.length, discovery.beaconAddress().orElseThrow()));
            byte[] ours = beacon("NEW777", LOOPBACK, 8091);
            sender.send(new DatagramPacket(ours, ours.length, discovery.beaconAddress().orElseThrow()));

            DiscoveredSession old = recorder.next("found", s -> s.sessionId().equals("SEED42"), WAIT);
            assertThat(old.sessionName()).isEqualTo("Old party");
            assertThat(old.hostName()).isEqualTo("Old phone");
            assertThat(old.address()).isEqualTo(new InetSocketAddress(LOOPBACK, 8090));
            assertThat(old.memberCount()).isEqualTo(2);
            assertThat(old.maxMembers()).isEqualTo(6);
            assertThat(old.pinRequired()).isFalse();
            assertThat(old.loudSyncNative()).isFalse();
            DiscoveredSession ourHost = recorder.next("found", s -> s.sessionId().equals("NEW777"), WAIT);
            assertThat(ourHost.loudSyncNative()).isTrue();
            assertThat(discovery.sessions()).extracting(DiscoveredSession::sessionId)
                    .containsExactly("SEED42", "NEW777");
        }
    }

    @Test
    void aFloodOfSessions_isCappedAt256() throws Exception {
        DiscoveryTestSupport.Recorder recorder = new DiscoveryTestSupport.Recorder();
        LanDiscovery discovery = discovery(recorder, Duration.ofSeconds(5));
        InetSocketAddress target = discovery.beaconAddress().orElseThrow();
        try (DatagramSocket sender = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            // Rounds of 300 distinct sessions, paced so the kernel keeps most, until the list is full.
            while (discovery.sessions().size() < LanDiscovery.MAX_SESSIONS && System.nanoTime() < deadline) {
                for (int i = 0; i < 300; i++) {
                    byte[] b = beacon("S" + i, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 8080);
                    sender.send(new DatagramPacket(b, b.length, target));
                    if (i % 50 == 49) {
                        Thread.sleep(5);
                    }
                }
            }
            assertThat(discovery.sessions()).hasSize(LanDiscovery.MAX_SESSIONS);
            Set<String> ids = new java.util.HashSet<>();
            discovery.sessions().forEach(s -> ids.add(s.sessionId()));
            assertThat(ids).hasSize(LanDiscovery.MAX_SESSIONS);
        }
    }

    private static byte[] beacon(String id, InetAddress address, int port) {
        return ("{\"sessionId\":\"" + id + "\",\"sessionName\":\"Party\",\"hostId\":\"h\",\"hostName\":\"Host\","
                + "\"hostAddress\":\"" + address.getHostAddress() + "\",\"port\":" + port + ",\"memberCount\":1,"
                + "\"maxMembers\":8,\"protocolVersion\":1,\"pinRequired\":false}").getBytes(StandardCharsets.UTF_8);
    }
}
