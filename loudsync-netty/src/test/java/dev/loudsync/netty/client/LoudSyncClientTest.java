package dev.loudsync.netty.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.MemberStatus;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.SessionListener;
import dev.loudsync.core.TimeSource;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.netty.LoudSyncServer;
import dev.loudsync.netty.testing.TcpProxy;
import dev.loudsync.testing.Await;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoudSyncClientTest {

    /** Room for the 68 guests of the latency test, all from 127.0.0.1. */
    private final LoudSyncServer server = LoudSyncServer.builder().bindAddress("127.0.0.1").port(0).ioThreads(2)
            .maxConnectionsPerAddress(100).build();
    private URI url;

    private Session open(UnaryOperator<SessionConfig.Builder> customize) {
        Session s = server.openSession(customize.apply(SessionConfig.builder().sessionId("ABC123")
                .host("host-1", "Host")).build());
        server.start().join();
        url = URI.create("ws://127.0.0.1:" + server.port() + "/");
        return s;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Records listener events as lines. */
    private static final class Recorder implements ClientListener {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        @Override
        public void memberJoined(Member member) {
            events.add("joined " + member.id());
        }

        @Override
        public void memberLeft(String deviceId, LeaveReason reason) {
            events.add("left " + deviceId + " " + reason);
        }

        @Override
        public void kicked(String reason) {
            events.add("kicked " + reason);
        }

        @Override
        public void sessionClosed(String reason) {
            events.add("sessionClosed " + reason);
        }

        @Override
        public void message(String type, Map<String, Object> payload) {
            events.add("message " + type + " " + payload);
        }

        @Override
        public void stateChanged(ClientState from, ClientState to) {
            events.add("state " + to);
        }

        String next() throws InterruptedException {
            String e = events.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("an event within 10 s").isNotNull();
            return e;
        }

        String poll(long millis) throws InterruptedException {
            return events.poll(millis, TimeUnit.MILLISECONDS);
        }

        String nextMatching(String prefix) throws InterruptedException {
            String e;
            do {
                e = next();
            } while (!e.startsWith(prefix));
            return e;
        }
    }

    private LoudSyncClient client(String id, ClientListener listener, UnaryOperator<LoudSyncClient.Builder> more) {
        return more.apply(LoudSyncClient.builder().url(url).sessionId("abc-123").device(id, "Device " + id)
                .listener(listener)).build();
    }

    private static void await(BooleanSupplier condition, String what) {
        Await.until(what, condition);
    }

    @Test
    void builder_refusesASecondSetting_likeEveryBuilderOfTheLibrary() {
        LoudSyncClient.Builder b = LoudSyncClient.builder().sessionId("ABC123").latencies(false);
        assertThatThrownBy(() -> b.sessionId("XYZ789")).isInstanceOf(IllegalStateException.class)
                .hasMessage("sessionId was already set");
        assertThatThrownBy(() -> b.latencies(true)).isInstanceOf(IllegalStateException.class)
                .hasMessage("latencies was already set");
    }

    @Test
    void close_keepsTheCallersInterruptFlag_andStillCloses() throws Exception {
        Session s = open(b -> b);
        LoudSyncClient a = client("a", new Recorder(), b -> b);
        a.connect().get(10, TimeUnit.SECONDS);
        Thread.currentThread().interrupt();
        try {
            a.close();
            assertThat(Thread.currentThread().isInterrupted()).as("interrupt flag after close()").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(a.connectionState()).isNotEqualTo(ClientState.CONNECTED);
        await(() -> s.members().size() == 1, "the host sees the client gone");
    }

    @Test
    void twoClients_seeTheSameMemberListAsTheHost() throws Exception {
        Session s = open(b -> b);
        try (LoudSyncClient a = client("a", new Recorder(), b -> b);
                LoudSyncClient b = client("b", new Recorder(), x -> x.membersChanged(false))) {
            HostMessage.Welcome w = a.connect().get(10, TimeUnit.SECONDS);
            assertThat(w.yourDeviceId()).isEqualTo("a");
            b.connect().get(10, TimeUnit.SECONDS);
            await(() -> a.members().size() == 3 && b.members().size() == 3, "both see three members");
            assertThat(a.members()).isEqualTo(s.members());
            assertThat(b.members()).isEqualTo(s.members());
            assertThat(a.connectionState()).isEqualTo(ClientState.CONNECTED);
        }
    }

    @Test
    void pastSixtyFourMembers_aClientFollowsEveryLatencyByDefault_andOneThatOptsOutDoesNot() throws Exception {
        // Latencies come only from the guests' heartbeats here, each member's first one after
        // its join: those of the last joiners come when the session is past 64 members, where a
        // host sends latency-only changes only to the guests that ask for them.
        Session s = open(b -> b.maxMembers(80).latencyProbes(false).heartbeatInterval(Duration.ofMillis(200))
                .heartbeatTimeout(Duration.ofSeconds(10)));
        io.netty.channel.EventLoopGroup group = new io.netty.channel.nio.NioEventLoopGroup(2);
        List<LoudSyncClient> all = new ArrayList<>();
        try {
            LoudSyncClient watcher = client("watcher", new Recorder(), b -> b.eventLoopGroup(group));
            LoudSyncClient quiet = client("quiet", new Recorder(), b -> b.eventLoopGroup(group).latencies(false));
            all.add(watcher);
            all.add(quiet);
            watcher.connect().get(10, TimeUnit.SECONDS);
            quiet.connect().get(10, TimeUnit.SECONDS);
            List<java.util.concurrent.CompletableFuture<?>> joins = new ArrayList<>();
            for (int i = 0; i < 66; i++) {
                LoudSyncClient filler = client("f" + i, new Recorder(), b -> b.eventLoopGroup(group).latencies(false));
                all.add(filler);
                joins.add(filler.connect());
            }
            java.util.concurrent.CompletableFuture.allOf(joins.toArray(new java.util.concurrent.CompletableFuture<?>[0]))
                    .get(30, TimeUnit.SECONDS);
            await(() -> s.members().size() == 69
                    && s.members().stream().skip(1).allMatch(m -> m.latencyMillis().isPresent()),
                    "the host knows every guest's latency");
            await(() -> watcher.members().equals(s.members()), "the watcher's list equals the host's");
            Member lastJoiner = s.members().get(68); // joined when the session was past 64
            assertThat(quiet.members().stream().filter(m -> m.id().equals(lastJoiner.id())).findFirst()
                    .orElseThrow().latencyMillis()).as("a latency the quiet client never asked for").isEmpty();
        } finally {
            all.forEach(LoudSyncClient::close);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void heartbeatsCarryTheMeasuredLatency_andApplicationMessagesFlowBothWays() throws Exception {
        Session s = open(b -> b.latencyProbes(false).heartbeatInterval(Duration.ofMillis(200))
                .heartbeatTimeout(Duration.ofSeconds(5)));
        s.handle("ECHO", (session, sender, m) -> session.send(sender.id(), "ECHO", m.payload()));
        Recorder events = new Recorder();
        try (LoudSyncClient a = client("a", events, b -> b)) {
            a.connect().get(10, TimeUnit.SECONDS);
            // only the client's HEARTBEAT.latency can tell the host a latency here
            await(() -> s.members().size() == 2 && s.members().get(1).latencyMillis().isPresent(),
                    "the host learns the latency from heartbeats");
            assertThat(a.latencyMillis()).isPresent();
            a.send("ECHO", Map.of("n", 1)).get(10, TimeUnit.SECONDS);
            assertThat(events.nextMatching("message")).isEqualTo("message ECHO {n=1}");
        }
    }

    @Test
    void aDroppedSocket_isResumed_andTheOthersSeeNoOneLeave() throws Exception {
        Session s = open(b -> b.reconnectGrace(Duration.ofSeconds(10)).latencyProbes(false));
        SessionEvents hostSide = new SessionEvents();
        s.addListener(hostSide);
        try (TcpProxy proxy = new TcpProxy(server.port())) {
            URI viaProxy = URI.create("ws://127.0.0.1:" + proxy.port() + "/");
            Recorder watcherEvents = new Recorder();
            Recorder phoneEvents = new Recorder();
            try (LoudSyncClient watcher = client("watcher", watcherEvents, b -> b);
                    LoudSyncClient phone = LoudSyncClient.builder().url(viaProxy).sessionId("ABC123")
                            .device("phone", "Phone").listener(phoneEvents)
                            .reconnect(new ReconnectPolicy(Duration.ofMillis(20), Duration.ofMillis(200), 50)).build()) {
                watcher.connect().get(10, TimeUnit.SECONDS);
                phone.connect().get(10, TimeUnit.SECONDS);
                await(() -> watcher.members().size() == 3, "watcher sees the phone");
                long joinedAt = s.members().get(2).joinedAt();
                await(() -> watcherEvents.events.contains("joined phone"), "the watcher was told of the phone");
                watcherEvents.events.clear();

                proxy.cutAll();
                assertThat(phoneEvents.nextMatching("state RECONNECTING")).isEqualTo("state RECONNECTING");
                assertThat(phoneEvents.nextMatching("state CONNECTED")).isEqualTo("state CONNECTED");
                await(() -> s.members().stream().allMatch(m -> m.status() == MemberStatus.CONNECTED),
                        "everyone connected again");
                await(() -> watcher.members().equals(s.members()), "the watcher's view converges");
                assertThat(proxy.accepted.get()).isEqualTo(2);
                assertThat(s.members().stream().filter(m -> m.id().equals("phone")).findFirst().orElseThrow()
                        .joinedAt()).isEqualTo(joinedAt);
                assertThat(watcherEvents.events).noneMatch(e -> e.startsWith("left") || e.startsWith("joined phone"));
                assertThat(hostSide.lines).noneMatch(l -> l.startsWith("left"));
            }
        }
    }

    /** Host-side listener lines. */
    private static final class SessionEvents implements SessionListener {
        final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void memberLeft(Session session, Member member, LeaveReason reason) {
            lines.add("left " + member.id() + " " + reason);
        }
    }

    @Test
    void aFinalRefusal_failsTheConnect_andIsNeverRetried() throws Exception {
        open(b -> b);
        try (TcpProxy proxy = new TcpProxy(server.port())) {
            Recorder events = new Recorder();
            try (LoudSyncClient c = LoudSyncClient.builder().url(URI.create("ws://127.0.0.1:" + proxy.port() + "/"))
                    .sessionId("WRONG1").device("d", "D").listener(events)
                    .reconnect(new ReconnectPolicy(Duration.ofMillis(10), Duration.ofMillis(10), 100)).build()) {
                assertThatThrownBy(() -> c.connect().get(10, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(JoinRefusedException.class);
                assertThat(c.connectionState()).isEqualTo(ClientState.FAILED);
                assertThat(events.nextMatching("state FAILED")).isEqualTo("state FAILED");
                // a retry would have come after 10 ms
                assertThat(events.poll(300)).isNull();
                assertThat(proxy.accepted.get()).isEqualTo(1);
            }
        }
    }

    @Test
    void kickedOrSessionClosed_endsWithoutReconnecting() throws Exception {
        Session s = open(b -> b);
        Recorder kickedEvents = new Recorder();
        Recorder stayingEvents = new Recorder();
        try (LoudSyncClient kicked = client("k", kickedEvents, b -> b);
                LoudSyncClient staying = client("s", stayingEvents, b -> b)) {
            kicked.connect().get(10, TimeUnit.SECONDS);
            staying.connect().get(10, TimeUnit.SECONDS);
            s.kick("k", "Be nice").join();
            assertThat(kickedEvents.nextMatching("kicked")).isEqualTo("kicked Be nice");
            assertThat(kickedEvents.nextMatching("state")).isEqualTo("state DISCONNECTED");
            s.close().join();
            assertThat(stayingEvents.nextMatching("sessionClosed")).isEqualTo("sessionClosed Host closed session");
            assertThat(stayingEvents.nextMatching("state")).isEqualTo("state DISCONNECTED");
            assertThat(kickedEvents.poll(300)).isNull();
        }
    }

    @Test
    void theHostsClock_isRecovered_withinOneMillisecond_whenTheLocalClockIsOffByAKnownAmount() throws Exception {
        open(b -> b);
        long offset = 5_000; // this device's clock runs 5 s ahead of the host's
        TimeSource skewed = new TimeSource() {
            @Override
            public long currentTimeMillis() {
                return System.currentTimeMillis() + offset;
            }

            @Override
            public long nanoTime() {
                return System.nanoTime();
            }
        };
        try (LoudSyncClient c = client("clocky", new Recorder(), b -> b.timeSource(skewed))) {
            c.connect().get(10, TimeUnit.SECONDS);
            await(() -> c.clockEstimate().map(e -> e.samples() >= 8).orElse(false), "eight samples");
            ClockEstimate e = c.clockEstimate().orElseThrow();
            assertThat(e.offsetMillis()).isCloseTo(-offset, org.assertj.core.data.Offset.offset(1.0));
            assertThat(e.uncertaintyMillis()).isLessThan(5.0);
            assertThat(c.hostTimeNow()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(2L));
        }
    }

    @Test
    void aHostThatIsNotThere_failsTheConnect() {
        open(b -> b);
        int port = server.port();
        server.close();
        try (LoudSyncClient c = LoudSyncClient.builder().url(URI.create("ws://127.0.0.1:" + port + "/"))
                .sessionId("ABC123").device("d", "D").connectTimeout(Duration.ofSeconds(2)).build()) {
            assertThatThrownBy(() -> c.connect().join()).isInstanceOf(CompletionException.class);
            assertThat(c.connectionState()).isEqualTo(ClientState.FAILED);
        }
    }
}
