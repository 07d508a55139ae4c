package dev.loudsync.netty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionListener;
import dev.loudsync.testing.Await;
import dev.loudsync.testing.SocketGuest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Faults on real sockets: races, resets, and a stop in the middle of traffic. */
class FaultsTest {

    private final ServerTestSupport t = new ServerTestSupport(b -> b.maxConnectionsPerAddress(1_000)
            .messageRate(1_000, 1_000));

    @AfterEach
    void stop() {
        t.close();
    }

    /** Host-side departures, in order. */
    private static final class Departures implements SessionListener {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void memberLeft(Session session, Member member, LeaveReason reason) {
            lines.add(member.id() + " " + reason);
        }
    }

    private static String join(String device) {
        return "{\"type\":\"JOIN\",\"payload\":{\"sessionId\":\"ABC123\",\"deviceId\":\"" + device
                + "\",\"deviceName\":\"N\"}}";
    }

    @Test
    void fiftyConcurrentJoinsForTheLastFivePlaces_admitExactlyFive_andEveryViewAgrees() throws Exception {
        Session s = t.open(b -> b.maxMembers(10).latencyProbes(false));
        List<SocketGuest> early = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            SocketGuest g = SocketGuest.join(t.uri, "ABC123", "early" + i);
            g.nextOf("MEMBER_LIST");
            early.add(g);
        }
        List<SocketGuest> racers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            racers.add(SocketGuest.connect(t.uri));
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < racers.size(); i++) {
            SocketGuest g = racers.get(i);
            String id = "racer" + i;
            sends.add(CompletableFuture.runAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                g.send(join(id));
            }, pool));
        }
        go.countDown();
        CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])).get(20, TimeUnit.SECONDS);
        pool.shutdown();

        int welcomed = 0;
        int full = 0;
        for (SocketGuest g : racers) {
            String type = g.next().path("type").asText();
            if (type.equals("WELCOME")) {
                welcomed++;
            } else {
                assertThat(type).isEqualTo("ERROR");
                assertThat(g.closeCode()).isEqualTo(4002);
                full++;
            }
        }
        assertThat(welcomed).isEqualTo(5);
        assertThat(full).isEqualTo(45);
        assertThat(s.members()).hasSize(10);
        // every early member saw exactly the five newcomers join
        for (SocketGuest g : early) {
            List<String> joined = new ArrayList<>();
            while (joined.size() < 5) {
                JsonNode m = g.next();
                if (m.path("type").asText().equals("MEMBER_JOINED")) {
                    joined.add(m.path("payload").path("member").path("id").asText());
                }
            }
            assertThat(joined).doesNotHaveDuplicates();
            assertThat(s.members().stream().map(Member::id)).containsAll(joined);
        }
        racers.forEach(SocketGuest::close);
        early.forEach(SocketGuest::close);
    }

    @Test
    void aResetInTheMiddleOfAFrame_isOneDeparture_andTheOthersCarryOn() throws Exception {
        Session s = t.open(b -> b.latencyProbes(false));
        Departures departures = new Departures();
        s.addListener(departures);
        try (SocketGuest other = SocketGuest.join(t.uri, "ABC123", "other")) {
            other.nextOf("MEMBER_LIST");
            RawClient victim = RawClient.upgraded(t.server.port());
            victim.sendText(join("victim"));
            other.nextOf("MEMBER_JOINED");
            // the header of a 1000-byte masked text frame, and only 10 bytes of it
            byte[] partial = new byte[] {(byte) 0x81, (byte) (0x80 | 126), 0x03, (byte) 0xE8, 1, 2, 3, 4, 5, 6, 7, 8,
                9, 10};
            victim.writeRaw(partial);
            victim.socket.setSoLinger(true, 0);
            victim.close(); // RST
            JsonNode left = other.nextOf("MEMBER_LEFT").path("payload");
            assertThat(left.path("deviceId").asText()).isEqualTo("victim");
            assertThat(left.path("reason").asText()).isEqualTo("Connection closed");
            other.send("{\"type\":\"PING\",\"timestamp\":9}");
            assertThat(other.nextOf("PONG").path("payload").path("pingTimestamp").asLong()).isEqualTo(9);
            assertThat(departures.lines).containsExactly("victim CONNECTION_LOST");
        }
    }

    @Test
    void aResetInTheMiddleOfAJoin_leavesNoTrace() throws Exception {
        Session s = t.open(b -> b.latencyProbes(false));
        try (SocketGuest other = SocketGuest.join(t.uri, "ABC123", "other")) {
            other.nextOf("MEMBER_LIST");
            RawClient half = RawClient.upgraded(t.server.port());
            byte[] join = join("half").getBytes(StandardCharsets.UTF_8);
            // a frame that announces the whole JOIN but carries half of it
            byte[] head = new byte[] {(byte) 0x81, (byte) (0x80 | join.length), 0, 0, 0, 0};
            half.writeRaw(head);
            half.writeRaw(java.util.Arrays.copyOf(join, join.length / 2));
            half.socket.setSoLinger(true, 0);
            half.close();
            // the next join goes through and is the only change the other member sees
            try (SocketGuest late = SocketGuest.join(t.uri, "ABC123", "late")) {
                late.nextOf("MEMBER_LIST");
                JsonNode next = other.next();
                assertThat(next.path("type").asText()).isEqualTo("MEMBER_JOINED");
                assertThat(next.path("payload").path("member").path("id").asText()).isEqualTo("late");
                assertThat(s.members()).extracting(Member::id).containsExactly("host-1", "other", "late");
            }
        }
    }

    @Test
    void stoppingWhileMembersJoinAndChat_givesEveryoneAGoodbyeOrARefusal_andReleasesEverything() throws Exception {
        Session s = t.open(b -> b.maxMembers(100).latencyProbes(false));
        s.handle("CHAT", (session, sender, m) -> session.broadcast("CHAT", Map.of("from", sender.id())));
        List<SocketGuest> members = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            SocketGuest g = SocketGuest.join(t.uri, "ABC123", "m" + i);
            g.nextOf("MEMBER_LIST");
            members.add(g);
        }
        List<SocketGuest> joining = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            joining.add(SocketGuest.connect(t.uri));
        }
        ExecutorService chatter = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 20; i++) {
            SocketGuest g = members.get(i);
            chatter.execute(() -> {
                for (int k = 0; k < 20 && !g.isClosed(); k++) {
                    try {
                        g.send("{\"type\":\"CHAT\",\"payload\":{\"text\":\"x\"}}");
                    } catch (RuntimeException e) {
                        return; // closed by the stop
                    }
                }
            });
        }
        for (int i = 0; i < 20; i++) {
            SocketGuest g = joining.get(i);
            String id = "j" + i;
            chatter.execute(() -> {
                try {
                    g.send(join(id));
                } catch (RuntimeException e) {
                    // closed by the stop
                }
            });
        }
        int port = t.server.port();
        t.server.stop().get(15, TimeUnit.SECONDS);
        chatter.shutdown();

        for (SocketGuest g : members) {
            assertThat(g.nextOf("SESSION_CLOSED").path("payload").path("reason").asText())
                    .isEqualTo("Host closed session");
            assertThat(g.closeCode()).isEqualTo(1000);
        }
        for (SocketGuest g : joining) {
            int code = g.closeCode();
            // joined in time and got the goodbye, refused as the session went away, or never joined
            assertThat(code).isIn(1000, 1001, 4500);
        }
        try (java.net.ServerSocket again = new java.net.ServerSocket(port, 50,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThat(again.isBound()).isTrue();
        }
        dev.loudsync.netty.testing.Threads.awaitNoneNamed("loudsync-io");
    }

    @Test
    void aReconnectStormOf200_resumesEveryMember_withoutChurn() throws Exception {
        Session s = t.open(b -> b.maxMembers(300).reconnectGrace(java.time.Duration.ofSeconds(10))
                .latencyProbes(false));
        Departures departures = new Departures();
        s.addListener(departures);
        io.netty.channel.EventLoopGroup clients = new io.netty.channel.nio.NioEventLoopGroup(2);
        try (dev.loudsync.netty.testing.TcpProxy proxy = new dev.loudsync.netty.testing.TcpProxy(
                t.server.port())) {
            URI viaProxy = URI.create("ws://127.0.0.1:" + proxy.port() + "/");
            List<dev.loudsync.netty.client.LoudSyncClient> guests = new ArrayList<>();
            List<CompletableFuture<?>> joined = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                dev.loudsync.netty.client.LoudSyncClient c = dev.loudsync.netty.client.LoudSyncClient.builder()
                        .url(viaProxy).sessionId("ABC123").device("g" + i, "G" + i).eventLoopGroup(clients)
                        .reconnect(new dev.loudsync.netty.client.ReconnectPolicy(java.time.Duration.ofMillis(50),
                                java.time.Duration.ofMillis(400), 100))
                        .build();
                guests.add(c);
                joined.add(c.connect());
            }
            CompletableFuture.allOf(joined.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
            assertThat(s.members()).hasSize(201);

            long cut = System.nanoTime();
            proxy.cutAll();
            awaitAll(() -> guests.stream().allMatch(
                    g -> g.connectionState() == dev.loudsync.netty.client.ClientState.CONNECTED)
                    && s.members().stream().allMatch(m -> m.status() == dev.loudsync.core.MemberStatus.CONNECTED));
            long resumedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cut);
            System.out.println("reconnect storm: 200 members resumed in " + resumedMillis + " ms");

            assertThat(s.members()).hasSize(201);
            assertThat(s.members().stream().map(Member::id).distinct()).hasSize(201);
            assertThat(departures.lines).isEmpty();
            for (dev.loudsync.netty.client.LoudSyncClient g : guests) {
                awaitAll(() -> g.members().equals(s.members()));
            }
            CompletableFuture.allOf(guests.stream().map(dev.loudsync.netty.client.LoudSyncClient::leave)
                    .toArray(CompletableFuture<?>[]::new)).get(20, TimeUnit.SECONDS);
            guests.forEach(dev.loudsync.netty.client.LoudSyncClient::close);
        } finally {
            clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void awaitAll(java.util.function.BooleanSupplier condition) {
        Await.until("condition within 20 s", Duration.ofSeconds(20), condition);
    }
}
