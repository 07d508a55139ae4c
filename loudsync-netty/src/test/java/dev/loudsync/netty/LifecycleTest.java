package dev.loudsync.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.testing.SocketGuest;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Start, stop and close: futures, idempotence, the port, the threads, and goodbyes to guests. */
class LifecycleTest {

    private static LoudSyncServer.Builder local() {
        return LoudSyncServer.builder().bindAddress("127.0.0.1").port(0).ioThreads(2);
    }

    private static SessionConfig party() {
        return SessionConfig.builder().sessionId("ABC123").host("host-1", "Host").build();
    }

    @Test
    void stop_sendsSessionClosedToEveryMember_closes1000_tellsUnjoinedGuestsGoingAway_andReleasesThePort()
            throws Exception {
        LoudSyncServer server = local().build();
        server.openSession(party());
        server.start().join();
        int port = server.port();
        URI uri = URI.create("ws://127.0.0.1:" + port + "/");
        SocketGuest a = SocketGuest.join(uri, "ABC123", "a");
        SocketGuest b = SocketGuest.join(uri, "ABC123", "b");
        SocketGuest early = SocketGuest.connect(uri);
        a.nextOf("MEMBER_JOINED");
        b.nextOf("MEMBER_LIST");

        server.stop().get(10, TimeUnit.SECONDS);

        for (SocketGuest g : new SocketGuest[] {a, b}) {
            JsonNode closed = g.next("SESSION_CLOSED");
            assertThat(closed.path("payload").path("reason").asText()).isEqualTo("Host closed session");
            assertThat(g.closeCode()).isEqualTo(1000);
        }
        assertThat(early.closeCode()).isEqualTo(1001);
        try (ServerSocket again = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
        dev.loudsync.netty.testing.Threads.awaitNoneNamed("loudsync-io");
        assertThat(server.sessions()).isEmpty();
    }

    @Test
    void startTwice_startsOnce_andTheFuturesHandedOut_cannotBeCompletedFromOutside() {
        LoudSyncServer server = local().build();
        CompletableFuture<Void> first = server.start();
        CompletableFuture<Void> second = server.start();
        assertThat(second).isNotSameAs(first);
        first.cancel(false); // a caller's own future: the server starts regardless
        second.join();
        assertThat(server.state()).isEqualTo(ServerState.RUNNING);
        assertThat(server.start()).succeedsWithin(java.time.Duration.ofSeconds(5));

        CompletableFuture<Void> stop = server.stop();
        stop.completeExceptionally(new IllegalStateException("not the server's"));
        server.stop().join();
        assertThat(server.state()).isEqualTo(ServerState.STOPPED);
        server.close();
    }

    @Test
    void closeOnANetworkThread_failsFast_andStopThereWorks() throws Exception {
        LoudSyncServer server = local().build();
        Session session = server.openSession(party());
        server.start().join();
        CompletableFuture<Throwable> fromClose = new CompletableFuture<>();
        CompletableFuture<CompletableFuture<Void>> fromStop = new CompletableFuture<>();
        session.addListener(new dev.loudsync.core.SessionListener() {
            @Override
            public void memberJoined(Session s, dev.loudsync.core.Member member) {
                try {
                    server.close();
                    fromClose.complete(null);
                } catch (RuntimeException e) {
                    fromClose.complete(e);
                }
                fromStop.complete(server.stop());
            }
        });
        SocketGuest.join(URI.create("ws://127.0.0.1:" + server.port() + "/"), "ABC123", "a");
        assertThat(fromClose.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stop()");
        fromStop.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        assertThat(server.state()).isEqualTo(ServerState.STOPPED);
    }

    @Test
    void stopBeforeStart_isFine_andAStoppedServerCannotStart() {
        LoudSyncServer server = local().build();
        server.stop().join();
        assertThatThrownBy(() -> server.start().join()).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> server.openSession(party())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void stoppingWhileStarting_endsStopped() {
        LoudSyncServer server = local().build();
        CompletableFuture<Void> start = server.start();
        CompletableFuture<Void> stop = server.stop();
        stop.join();
        assertThat(start).isDone();
        assertThatThrownBy(server::localAddress).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aPortInUse_failsTheStartFuture_andReleasesTheThreads() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            LoudSyncServer server = LoudSyncServer.builder().bindAddress("127.0.0.1").port(taken.getLocalPort())
                    .build();
            assertThatThrownBy(() -> server.start().join()).isInstanceOf(CompletionException.class);
            server.stop().get(10, TimeUnit.SECONDS);
            assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void localAddress_beforeStart_isACallerMistake_andAfterStartHasTheRealPort() {
        try (LoudSyncServer server = local().build()) {
            assertThatThrownBy(server::localAddress).isInstanceOf(IllegalStateException.class);
            server.start().join();
            assertThat(server.port()).isPositive();
            assertThat(server.localAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void theApplicationsOwnEventLoops_areUsed_withTheirTransport_andNotShutDown(String transport) {
        if (transport.equals("epoll")) {
            Assumptions.assumeTrue(Epoll.isAvailable(), "no native epoll on this platform");
        }
        EventLoopGroup group = transport.equals("epoll") ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        try {
            LoudSyncServer server = LoudSyncServer.builder().bindAddress("127.0.0.1").port(0)
                    .eventLoopGroups(group, group).build();
            Session s = server.openSession(party());
            server.start().join();
            try (SocketGuest g = SocketGuest.join(URI.create("ws://127.0.0.1:" + server.port() + "/"), "ABC123", "a")) {
                g.next("WELCOME");
                assertThat(s.members()).hasSize(2);
            }
            server.close();
            server.close();
            assertThat(group.isShuttingDown()).isFalse();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theServersOwnThreads_serveGuests_withOrWithoutTheNativeTransport(boolean nativeTransport) {
        try (LoudSyncServer server = local().nativeTransport(nativeTransport).build()) {
            Session s = server.openSession(party());
            server.start().join();
            try (SocketGuest g = SocketGuest.join(URI.create("ws://127.0.0.1:" + server.port() + "/"), "ABC123", "a")) {
                g.next("WELCOME");
                assertThat(s.members()).hasSize(2);
            }
        }
    }

    @Test
    void builderMistakes_failAtOnce() {
        assertThatThrownBy(() -> LoudSyncServer.builder().port(70_000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port: 70000 (expected: 0-65535)");
        assertThatThrownBy(() -> LoudSyncServer.builder().path("ws")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoudSyncServer.builder().port(1).port(2)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> LoudSyncServer.builder().maxFrameBytes(10)).isInstanceOf(IllegalArgumentException.class);
    }
}
