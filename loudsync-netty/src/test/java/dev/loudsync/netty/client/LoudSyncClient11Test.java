package dev.loudsync.netty.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loudsync.core.AuthDecision;
import dev.loudsync.core.Member;
import dev.loudsync.core.RequestRejectedException;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.testing.Await;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Java client's 1.1: requests, control messages, shared state, host changes, join requests, auth. */
class LoudSyncClient11Test {

    private final dev.loudsync.netty.LoudSyncServer server = dev.loudsync.netty.LoudSyncServer.builder()
            .bindAddress("127.0.0.1").port(0).ioThreads(2).build();
    private final List<LoudSyncClient> clients = new ArrayList<>();
    private URI url;

    @AfterEach
    void stop() {
        clients.forEach(LoudSyncClient::close);
        server.close();
    }

    private Session open(UnaryOperator<SessionConfig.Builder> customize) {
        Session s = server.openSession(customize.apply(SessionConfig.builder().sessionId("ABC123")
                .latencyProbes(false)).build());
        server.start().join();
        url = URI.create("ws://127.0.0.1:" + server.port() + "/");
        return s;
    }

    private LoudSyncClient client(String id, ClientListener listener, UnaryOperator<LoudSyncClient.Builder> more) {
        LoudSyncClient c = more.apply(LoudSyncClient.builder().url(url).sessionId("ABC123").device(id, "Name " + id)
                .listener(listener)).build();
        clients.add(c);
        c.connect().orTimeout(10, TimeUnit.SECONDS).join();
        return c;
    }

    private LoudSyncClient client(String id, ClientListener listener) {
        return client(id, listener, UnaryOperator.identity());
    }

    /** Records 1.1 listener events as lines. */
    private static final class Recorder implements ClientListener {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        @Override
        public void hostChanged(Member host, String previousHostId) {
            events.add("host " + host.id() + " after " + previousHostId);
        }

        @Override
        public void sharedStateChanged(long version, Map<String, Object> state, @Nullable Map<String, Object> patch) {
            events.add("state " + version + " " + state + " patch " + patch);
        }

        @Override
        public void joinRequested(String deviceId, String deviceName) {
            events.add("requested " + deviceId + " " + deviceName);
        }

        @Override
        public void joinRequestEnded(String deviceId, HostMessage.Outcome outcome) {
            events.add("ended " + deviceId + " " + outcome);
        }

        @Override
        public void message(String type, Map<String, Object> payload) {
            events.add("message " + type + " " + payload);
        }

        String next() throws InterruptedException {
            String e = events.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("an event within 10 s").isNotNull();
            return e;
        }

        String nextStarting(String prefix) throws InterruptedException {
            while (true) {
                String e = next();
                if (e.startsWith(prefix)) {
                    return e;
                }
            }
        }
    }

    record Track(String title, int seconds) {
    }

    record Queued(int position, Track track) {
    }

    @Test
    void request_completesWithTheResult_afterTheHandlingsMessages_andFailsWithTheError() throws Exception {
        Session s = open(b -> b.host("host-1", "Host"));
        s.respond("QUEUE_ADD", Track.class, (session, sender, track) -> {
            session.send(sender.id(), "NOTE", Map.of("text", "queued " + track.title()));
            return new Queued(2, track);
        });
        s.respond("FULL", (session, sender, m) -> {
            throw new RequestRejectedException("QUEUE_FULL", "The queue is full");
        });
        Recorder r = new Recorder();
        LoudSyncClient c = client("a", r);
        CompletableFuture<Queued> queued = c.request("QUEUE_ADD", new Track("Song", 215), Queued.class);
        assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo(new Queued(2, new Track("Song", 215)));
        // the NOTE the handler sent reached the listener before the ACK completed the future
        assertThat(List.copyOf(r.events)).contains("message NOTE {text=queued Song}");
        assertThat(c.request("QUEUE_ADD", Map.of("title", "x", "seconds", 1)).get(10, TimeUnit.SECONDS))
                .isEqualTo(Map.of("position", 2, "track", Map.of("title", "x", "seconds", 1)));
        assertThatThrownBy(() -> c.request("FULL", Map.of()).join()).isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(RequestFailedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.of("QUEUE_FULL"));
                    assertThat(e.getMessage()).isEqualTo("The queue is full");
                });
        assertThatThrownBy(() -> c.request("NOBODY", Map.of()).join()).cause()
                .isInstanceOfSatisfying(RequestFailedException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MESSAGE));
    }

    @Test
    void aRequestWithoutAnswer_timesOut_andOneInFlightFailsWhenTheConnectionIsLost() throws Exception {
        Session s = open(b -> b.host("host-1", "Host"));
        BlockingQueue<String> handling = new LinkedBlockingQueue<>();
        s.respond("SLOW", (session, sender, m) -> {
            handling.add(sender.id());
            return new CompletableFuture<>();
        });
        LoudSyncClient c = client("a", new Recorder(), b -> b.requestTimeout(Duration.ofMillis(200))
                .reconnect(ReconnectPolicy.NEVER));
        assertThatThrownBy(() -> c.request("SLOW", Map.of()).join()).cause().isInstanceOf(TimeoutException.class);
        LoudSyncClient patient = client("b", new Recorder());
        CompletableFuture<Object> pending = patient.request("SLOW", Map.of());
        assertThat(handling.poll(10, TimeUnit.SECONDS)).isEqualTo("a");
        assertThat(handling.poll(10, TimeUnit.SECONDS)).isEqualTo("b");
        s.kick("b", "bye").join();
        assertThatThrownBy(() -> pending.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("connection lost");
        assertThatThrownBy(() -> patient.request("SLOW", Map.of()).join()).cause()
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void sharedState_followsTheHost_withEachPatchToTheListener() throws Exception {
        Session s = open(b -> b.host("host-1", "Host"));
        s.patchState(Map.of("queue", List.of("t-1"))).join();
        Recorder r = new Recorder();
        LoudSyncClient c = client("a", r);
        assertThat(r.nextStarting("state")).isEqualTo("state 1 {queue=[t-1]} patch null");
        assertThat(c.state()).isEqualTo(Map.of("queue", List.of("t-1")));
        Map<String, Object> patch = new HashMap<>();
        patch.put("queue", null);
        patch.put("playing", true);
        s.patchState(patch).join();
        assertThat(r.nextStarting("state")).startsWith("state 2 {playing=true} patch ");
        assertThat(c.state()).isEqualTo(Map.of("playing", true));
        assertThat(c.stateVersion()).isEqualTo(2);
        LoudSyncClient without = client("b", new Recorder(), b -> b.sharedState(false));
        assertThat(without.state()).isEmpty();
        assertThat(without.stateVersion()).isEqualTo(-1);
    }

    @Test
    void controlMessages_areAnswered_andTheHostChangeIsHeard() throws Exception {
        Session s = open(b -> b.serverHosted());
        Recorder ra = new Recorder();
        Recorder rb = new Recorder();
        LoudSyncClient a = client("a", ra);
        LoudSyncClient b = client("b", rb);
        LoudSyncClient c = client("c", new Recorder());
        Await.until("a sees c", () -> a.members().size() == 3);
        assertThat(a.members()).extracting(Member::id).containsExactly("a", "b", "c");
        a.setRole("b", Member.Role.COHOST).get(10, TimeUnit.SECONDS);
        Await.until("b is a cohost for c", () -> c.members().stream()
                .anyMatch(m -> m.id().equals("b") && m.role() == Member.Role.COHOST));
        assertThatThrownBy(() -> c.kick("b", null).join()).cause()
                .isInstanceOfSatisfying(RequestFailedException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED));
        b.kick("c", "Be nice").get(10, TimeUnit.SECONDS);
        assertThat(s.members()).extracting(Member::id).containsExactly("a", "b");
        a.transferHost("b").get(10, TimeUnit.SECONDS);
        assertThat(ra.nextStarting("host")).isEqualTo("host b after a");
        assertThat(rb.nextStarting("host")).isEqualTo("host b after a");
        assertThat(b.members().get(0).id()).isEqualTo("b");
        assertThat(b.members().get(0).isHost()).isTrue();
        assertThatThrownBy(() -> a.endSession("no").join()).cause().isInstanceOf(RequestFailedException.class);
        b.endSession("Good night").get(10, TimeUnit.SECONDS);
        Await.until("the session closed", () -> !s.isOpen());
        assertThatThrownBy(() -> a.setRole("b", Member.Role.HOST)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void approvers_hearOfRequests_andSettleThem_andTheCredentialReachesTheAuthenticator() throws Exception {
        BlockingQueue<String> credentials = new LinkedBlockingQueue<>();
        Session s = open(b -> b.host("host-1", "Host").requireApproval(true).authenticator(attempt -> {
            credentials.add(String.valueOf(attempt.credential()));
            return CompletableFuture.completedFuture("cohost-ticket".equals(attempt.credential())
                    ? AuthDecision.accept().asCohost() : AuthDecision.accept());
        }));
        Recorder approver = new Recorder();
        LoudSyncClient a = LoudSyncClient.builder().url(url).sessionId("ABC123").device("a", "A").listener(approver)
                .auth("cohost-ticket").build();
        clients.add(a);
        CompletableFuture<HostMessage.Welcome> joining = a.connect();
        Await.until("a waits for approval", () -> s.pendingRequests().size() == 1);
        s.approve("a").join();
        joining.get(10, TimeUnit.SECONDS);
        assertThat(credentials.poll(10, TimeUnit.SECONDS)).isEqualTo("cohost-ticket");
        assertThat(s.members().get(1).role()).isEqualTo(Member.Role.COHOST);

        LoudSyncClient d = LoudSyncClient.builder().url(url).sessionId("ABC123").device("d", "Dee").build();
        clients.add(d);
        CompletableFuture<HostMessage.Welcome> dJoining = d.connect();
        assertThat(approver.nextStarting("requested")).isEqualTo("requested d Dee");
        a.approve("d").get(10, TimeUnit.SECONDS);
        dJoining.get(10, TimeUnit.SECONDS);
        assertThat(approver.nextStarting("ended")).isEqualTo("ended d APPROVED");
        assertThat(credentials.poll(10, TimeUnit.SECONDS)).isEqualTo("null");
    }
}
