package dev.loudsync.netty;

import static dev.loudsync.netty.RecordingServerListener.awaitStats;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.testing.SocketGuest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link LoudSyncServer#state()} and {@link LoudSyncServer#stats()}, over real sockets. */
class ServerStatsTest {

    private static final String JOIN = "{\"type\":\"JOIN\",\"payload\":{\"sessionId\":\"ABC123\",\"deviceId\":\"%s\","
            + "\"deviceName\":\"Raw\"}}";

    private final RecordingServerListener events = new RecordingServerListener();
    private ServerTestSupport t;

    @AfterEach
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    @Test
    void state_goesNewRunningStoppingStopped() throws Exception {
        LoudSyncServer server = LoudSyncServer.builder().bindAddress("127.0.0.1").port(0).ioThreads(1).build();
        assertThat(server.state()).isEqualTo(ServerState.NEW);
        server.start().join();
        assertThat(server.state()).isEqualTo(ServerState.RUNNING);
        // A guest that never answers the close frame keeps the stop going for about a second.
        try (RawClient silent = RawClient.upgraded(server.port())) {
            // The client sees its upgrade answered before the server's side has counted it.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.stats().unjoinedConnections() < 1) {
                assertThat(System.nanoTime()).as("the server counts the connection").isLessThan(until);
                Thread.onSpinWait();
            }
            CompletableFuture<Void> stopped = server.stop();
            assertThat(server.state()).isEqualTo(ServerState.STOPPING);
            stopped.get(10, TimeUnit.SECONDS);
        }
        assertThat(server.state()).isEqualTo(ServerState.STOPPED);
        assertThat(server.stats().state()).isEqualTo(ServerState.STOPPED);
    }

    @Test
    void state_stoppedBeforeStart_andAfterAFailedBind() throws Exception {
        LoudSyncServer never = LoudSyncServer.builder().port(0).build();
        never.close();
        assertThat(never.state()).isEqualTo(ServerState.STOPPED);

        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            LoudSyncServer clash = LoudSyncServer.builder().bindAddress("127.0.0.1").port(taken.getLocalPort())
                    .ioThreads(1).build();
            Assertions.assertThatThrownBy(() -> clash.start().join()).isInstanceOf(CompletionException.class);
            assertThat(clash.state()).isEqualTo(ServerState.STOPPED);
        }
    }

    @Test
    void aNewServer_countsNothing_andEveryMapHasEveryKey() {
        t = new ServerTestSupport();
        ServerStats s = t.server.stats();
        assertThat(s.state()).isEqualTo(ServerState.RUNNING);
        assertThat(s.openSockets()).isZero();
        assertThat(s.connectionsOpened()).isZero();
        assertThat(s.framesReceived() + s.framesSent() + s.bytesReceived() + s.bytesSent()).isZero();
        assertThat(s.joinsRefused()).hasSize(ErrorCode.protocolCodes().size()).containsValue(0L).doesNotContainValue(1L);
        assertThat(s.leaves()).hasSize(LeaveReason.values().length);
        assertThat(s.closes()).hasSize(CloseCode.values().length);
        assertThat(s.abuse()).hasSize(Abuse.values().length);
        assertThat(s.joinsRefusedTotal() + s.abuseTotal()).isZero();
        assertThat(s.closes().keySet()).first().isEqualTo(CloseCode.values()[0]); // enum order
    }

    @Test
    void connectionsJoinedAndNot_sessionsMembers_andEventsOfOneConnection() throws Exception {
        t = new ServerTestSupport(b -> b.listener(events));
        t.open(b -> b.latencyProbes(false));
        try (RawClient raw = RawClient.upgraded(t.server.port());
                RawClient page = new RawClient(t.server.port())) {
            String address = "127.0.0.1:" + raw.socket.getLocalPort();
            assertThat(events.await("opened")).isEqualTo("opened " + address);
            ServerStats before = awaitStats(t.server, "a socket that sent nothing yet",
                    s -> s.openSockets() == 2);
            assertThat(before.unjoinedConnections()).isEqualTo(1);
            assertThat(before.joinedConnections()).isZero();
            assertThat(before.connectionsOpened()).isEqualTo(1);
            assertThat(before.sessions()).isEqualTo(1);
            assertThat(before.members()).isEqualTo(1); // the host

            raw.sendText(String.format(JOIN, "raw"));
            assertThat(raw.readFrame().text()).contains("\"WELCOME\"");
            ServerStats joined = awaitStats(t.server, "the join counted", s -> s.joinsAccepted() == 1);
            assertThat(joined.joinedConnections()).isEqualTo(1);
            assertThat(joined.unjoinedConnections()).isZero();
            assertThat(joined.members()).isEqualTo(2);

            raw.sendText("{\"type\":\"LEAVE\"}");
            assertThat(events.await("closed")).isEqualTo("closed " + address + " NORMAL");
            ServerStats left = awaitStats(t.server, "the leave counted", s -> s.leaves().get(LeaveReason.LEFT) == 1);
            assertThat(left.closes().get(CloseCode.NORMAL)).isEqualTo(1);
            assertThat(left.joinedConnections() + left.unjoinedConnections()).isZero();
            assertThat(left.members()).isEqualTo(1);
        }
    }

    @Test
    void framesAndPayloadBytes_countedBothWays_controlFramesNot() throws Exception {
        t = new ServerTestSupport();
        t.open(b -> b.latencyProbes(false));
        try (RawClient raw = RawClient.upgraded(t.server.port())) {
            String join = String.format(JOIN, "raw");
            raw.sendText(join);
            int welcome = raw.readFrame().payload().length;
            int list = raw.readFrame().payload().length;
            ServerStats afterJoin = awaitStats(t.server, "two frames sent", s -> s.framesSent() == 2);
            assertThat(afterJoin.framesReceived()).isEqualTo(1);
            assertThat(afterJoin.bytesReceived()).isEqualTo(join.getBytes(StandardCharsets.UTF_8).length);
            assertThat(afterJoin.bytesSent()).isEqualTo(welcome + list);

            String ping = "{\"type\":\"PING\",\"timestamp\":5}";
            raw.sendFrame(9, new byte[] {1, 2, 3}, true, true); // a WebSocket ping: answered, not counted
            assertThat(raw.readFrame().opcode()).isEqualTo(10);
            raw.sendText(ping);
            int pong = raw.readFrame().payload().length;
            ServerStats s = awaitStats(t.server, "the PONG counted", x -> x.framesSent() == 3);
            assertThat(s.framesReceived()).isEqualTo(2);
            assertThat(s.bytesReceived()).isEqualTo(afterJoin.bytesReceived() + ping.length());
            assertThat(s.bytesSent()).isEqualTo(afterJoin.bytesSent() + pong);
        }
    }

    @Test
    void aBroadcast_countsAFramePerRecipient_andAStopCountsSessionClosedLeaves() throws Exception {
        t = new ServerTestSupport();
        var session = t.open(b -> b.latencyProbes(false));
        try (SocketGuest a = SocketGuest.join(t.uri, "ABC123", "a"); SocketGuest b = SocketGuest.join(t.uri, "ABC123", "b")) {
            a.nextOf("MEMBER_JOINED");
            ServerStats before = awaitStats(t.server, "joins", s -> s.joinsAccepted() == 2);
            long sent = before.framesSent();
            session.broadcast("NEWS", java.util.Map.of("text", "hello")).join();
            a.nextOf("NEWS");
            b.nextOf("NEWS");
            awaitStats(t.server, "one frame per recipient", s -> s.framesSent() == sent + 2);

            t.server.stop().get(10, TimeUnit.SECONDS);
            ServerStats after = t.server.stats();
            assertThat(after.leaves().get(LeaveReason.SESSION_CLOSED)).isEqualTo(2);
            assertThat(after.sessions()).isZero();
            assertThat(after.members()).isZero();
            assertThat(after.openSockets()).isZero();
        }
    }

    @Test
    void aListenerThatThrows_changesNothing() throws Exception {
        ServerListener broken = new ServerListener() {
            @Override
            public void connectionOpened(String remoteAddress) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void joinRefused(String remoteAddress, ErrorCode code) {
                throw new IllegalStateException("listener bug");
            }
        };
        t = new ServerTestSupport(b -> b.listener(broken));
        t.open();
        try (SocketGuest wrong = SocketGuest.join(t.uri, "NOPE99", "w"); SocketGuest g = SocketGuest.join(t.uri, "ABC123", "g")) {
            assertThat(wrong.next("ERROR").path("payload").path("code").asText()).isEqualTo("SESSION_NOT_FOUND");
            assertThat(g.next("WELCOME").path("payload").path("sessionId").asText()).isEqualTo("ABC123");
            ServerStats s = awaitStats(t.server, "both counted", x -> x.joinsAccepted() == 1);
            assertThat(s.joinsRefused().get(ErrorCode.SESSION_NOT_FOUND)).isEqualTo(1);
        }
    }

    @Test
    void builder_listenerTwice_throws() {
        LoudSyncServer.Builder b = LoudSyncServer.builder().listener(new ServerListener() { });
        Assertions.assertThatThrownBy(() -> b.listener(new ServerListener() { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("listener");
    }

    static SessionConfig party() {
        return SessionConfig.builder().sessionId("ABC123").host("host-1", "Host").build();
    }
}
