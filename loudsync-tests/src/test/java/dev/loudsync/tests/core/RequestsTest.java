package dev.loudsync.tests.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loudsync.core.RequestRejectedException;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.transport.PayloadBinder;
import dev.loudsync.testing.InMemoryGuest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md, "Version 1.1 extensions", "Requests and acknowledgements". */
class RequestsTest {

    /** A payload of an application's own, bound by a test binder. */
    record Add(String trackId) {
    }

    private static final PayloadBinder BINDER = new PayloadBinder() {
        @Override
        public <T> T bind(Map<String, Object> payload, Class<T> type) {
            Object trackId = payload.get("trackId");
            if (!(trackId instanceof String)) {
                throw new IllegalArgumentException("trackId must be a string");
            }
            return type.cast(new Add((String) trackId));
        }
    };

    private final Harness h = new Harness(b -> b.payloadBinder(BINDER));
    private Session s;
    private InMemoryGuest a;
    private InMemoryGuest other;

    @BeforeEach
    void session() {
        s = h.open(b -> b.latencyProbes(false));
        a = h.join(s, "a");
        other = h.join(s, "other");
        a.drain();
        other.drain();
    }

    private static ApplicationMessage request(String type, String id, Map<String, Object> payload) {
        return new ApplicationMessage(type, payload, id);
    }

    @Test
    void aHandlersResult_comesBackInAnAckNamingTheRequest() {
        s.respond("ADD", (session, sender, m) -> Map.of("entryId", "e-" + m.payload().get("n")));
        a.send(request("ADD", "r1", Map.of("n", 7)));
        HostMessage.Ack ack = a.next(HostMessage.Ack.class);
        assertThat(ack.replyTo()).isEqualTo("r1");
        assertThat(ack.result()).isEqualTo(Map.of("entryId", "e-7"));
        a.assertNothingUnread();
        other.assertNothingUnread();
    }

    @Test
    void aVoidHandler_isAcknowledgedWithoutResult_andWithoutIdNothingIsSent() {
        s.handle("CHAT", (session, sender, m) -> { });
        a.send(request("CHAT", "r1", Map.of()));
        assertThat(a.next(HostMessage.Ack.class).result()).isNull();
        a.send(request("CHAT", null, Map.of()));
        a.assertNothingUnread();
    }

    @Test
    void aRejection_isAnErrorWithTheHandlersCodeAndText_withOrWithoutId() {
        s.respond("ADD", (session, sender, m) -> {
            throw new RequestRejectedException("QUEUE_FULL", "The queue holds 50 tracks");
        });
        a.send(request("ADD", "r1", Map.of()));
        HostMessage.Error e = a.nextError();
        assertThat(e.code()).isEqualTo(ErrorCode.of("QUEUE_FULL"));
        assertThat(e.message()).isEqualTo("The queue holds 50 tracks");
        assertThat(e.replyTo()).isEqualTo("r1");
        a.send(request("ADD", null, Map.of()));
        HostMessage.Error plain = a.nextError();
        assertThat(plain.code().name()).isEqualTo("QUEUE_FULL");
        assertThat(plain.replyTo()).isNull();
        assertThat(a.isOpen()).isTrue();
    }

    @Test
    void anUnexpectedFailure_isServerErrorInternalError_withId_andNothingWithout() {
        s.respond("ADD", (session, sender, m) -> {
            throw new IllegalStateException("bug at line 12");
        });
        a.send(request("ADD", "r1", Map.of()));
        HostMessage.Error e = a.nextError();
        assertThat(e.code()).isEqualTo(ErrorCode.SERVER_ERROR);
        assertThat(e.message()).isEqualTo("Internal error");
        assertThat(e.replyTo()).isEqualTo("r1");
        a.send(request("ADD", null, Map.of()));
        a.assertNothingUnread();
    }

    @Test
    void aStage_isAnsweredWhenItCompletes_onAnyThread() throws Exception {
        CompletableFuture<Object> later = new CompletableFuture<>();
        s.respond("ADD", (session, sender, m) -> later);
        a.send(request("ADD", "r1", Map.of()));
        a.assertNothingUnread();
        Thread t = new Thread(() -> later.complete(List.of(1, 2)));
        t.start();
        t.join(); // the manual clock's executor ran the answer on that thread, as a task of the session
        HostMessage.Ack ack = a.next(HostMessage.Ack.class);
        assertThat(ack.replyTo()).isEqualTo("r1");
        assertThat(ack.result()).isEqualTo(List.of(1, 2));
    }

    @Test
    void aStageStillRunningAfter10s_isServerErrorTimedOut_once_andItsLateResultIsDropped() {
        CompletableFuture<Object> never = new CompletableFuture<>();
        s.respond("ADD", (session, sender, m) -> never);
        a.send(request("ADD", "r1", Map.of()));
        h.advance(Duration.ofMillis(9_999));
        a.assertNothingUnread();
        h.advance(Duration.ofMillis(1));
        HostMessage.Error e = a.nextError();
        assertThat(e.code()).isEqualTo(ErrorCode.SERVER_ERROR);
        assertThat(e.message()).isEqualTo("Timed out");
        assertThat(e.replyTo()).isEqualTo("r1");
        never.complete("late");
        s.broadcast("TICK", Map.of()).join();
        assertThat(a.drain()).extracting(HostMessage::type).containsExactly("TICK");
    }

    @Test
    void messagesTheHandlingSendsToTheSender_comeBeforeItsAck() {
        s.respond("ADD", (session, sender, m) -> {
            session.send(sender.id(), "ADDED", Map.of());
            session.broadcast("QUEUE", Map.of());
            return "ok";
        });
        a.send(request("ADD", "r1", Map.of()));
        assertThat(a.drain()).extracting(HostMessage::type).containsExactly("ADDED", "QUEUE", "ACK");
    }

    @Test
    void aTypedHandler_getsThePayloadBound_andAPayloadThatDoesNotBindIsInvalid() {
        s.respond("ADD", Add.class, (session, sender, add) -> Map.of("entryId", add.trackId() + "-1"));
        a.send(request("ADD", "r1", Map.of("trackId", "t9")));
        assertThat(a.next(HostMessage.Ack.class).result()).isEqualTo(Map.of("entryId", "t9-1"));
        a.send(request("ADD", "r2", Map.of("trackId", 5)));
        HostMessage.Error e = a.nextError();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(e.message()).isEqualTo("Invalid ADD payload: trackId must be a string");
        assertThat(e.replyTo()).isEqualTo("r2");
    }

    @Test
    void typedHandlers_needAPayloadBinder() {
        Harness plain = new Harness();
        Session t = plain.open();
        assertThatThrownBy(() -> t.respond("ADD", Add.class, (session, sender, add) -> null))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anUnknownType_withId_isInvalidMessageNamingTheRequest() {
        a.send(request("NOPE", "r1", Map.of()));
        HostMessage.Error e = a.nextError();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(e.replyTo()).isEqualTo("r1");
    }

    @Test
    void anInvalidFrame_withAReadableId_isAnsweredNamingIt() {
        a.sendInvalid("ADD", "r1", "Field 'payload' must be an object");
        HostMessage.Error e = a.nextError();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(e.replyTo()).isEqualTo("r1");
    }

    @Test
    void beforeJoining_aRequestIsRefusedNamingIt() {
        InMemoryGuest c = h.connect();
        c.send(request("ADD", "r1", Map.of()));
        HostMessage.Error e = c.nextError();
        assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(e.replyTo()).isEqualTo("r1");
    }

    @Test
    void aControlMessageWithId_isAcknowledged() {
        Session sh = h.registry.open(SessionConfig.builder().sessionId("SH1").serverHosted().latencyProbes(false).build());
        InMemoryGuest host = h.join(sh, "h");
        h.join(sh, "x");
        host.drain();
        host.send(new GuestMessage.SetRole("x", "cohost", "s1"));
        List<HostMessage> got = host.drain();
        assertThat(got).extracting(HostMessage::type).containsExactly("MEMBER_UPDATED", "ACK");
        assertThat(((HostMessage.Ack) got.get(1)).replyTo()).isEqualTo("s1");
    }

    @Test
    void rejections_areAnswersNotViolations_soTheyNeverCloseTheConnection() {
        s.respond("ADD", (session, sender, m) -> {
            throw new RequestRejectedException(ErrorCode.UNAUTHORIZED, "no");
        });
        for (int i = 0; i < 30; i++) {
            a.send(request("ADD", "r" + i, Map.of()));
        }
        assertThat(a.drain()).hasSize(30);
        assertThat(a.isOpen()).isTrue();
    }
}
