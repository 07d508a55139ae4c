package dev.loudsync.tests.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.AuthDecision;
import dev.loudsync.core.JoinAttempt;
import dev.loudsync.core.JoinAuthenticator;
import dev.loudsync.core.Member.Role;
import dev.loudsync.core.Member;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.UpgradeRequest;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.testing.InMemoryGuest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md, "Version 1.1 extensions", "Join authentication". */
class AuthenticationTest {

    private final Harness h = new Harness(b -> b.joinTimeout(Duration.ofSeconds(10)));
    private final List<JoinAttempt> attempts = new ArrayList<>();
    private final List<CompletableFuture<AuthDecision>> pending = new ArrayList<>();

    /** An authenticator that answers only when the test completes its future. */
    private final JoinAuthenticator slow = attempt -> {
        attempts.add(attempt);
        CompletableFuture<AuthDecision> f = new CompletableFuture<>();
        pending.add(f);
        return f;
    };

    /** Accepts the credential "good" (as "Verified", a cohost when it is "good-cohost"). */
    private final JoinAuthenticator tokens = attempt -> {
        attempts.add(attempt);
        if ("good".equals(attempt.credential())) {
            return CompletableFuture.completedFuture(AuthDecision.accept().withName("Verified"));
        }
        if ("good-cohost".equals(attempt.credential())) {
            return CompletableFuture.completedFuture(AuthDecision.accept().asCohost());
        }
        return CompletableFuture.completedFuture(AuthDecision.refuse("Token expired"));
    };

    private InMemoryGuest join(Session s, String id, String credential) {
        InMemoryGuest c = h.connect().withUpgradeRequest(new UpgradeRequest("10.0.0.9:4000", "/?ticket=t-1",
                Map.of("Cookie", List.of("sid=abc; theme=dark"), "User-Agent", List.of("phone"))));
        c.send(GuestMessage.Join.of(s.id(), id, "Guest " + id).withAuth(credential));
        return c;
    }

    @Test
    void refusal_isUnauthorizedWithTheAuthenticatorsMessage_andClose4501() {
        Session s = h.open(b -> b.authenticator(tokens));
        InMemoryGuest c = join(s, "a", "forged");
        HostMessage.Error e = c.nextError();
        assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(e.message()).isEqualTo("Token expired");
        assertThat(c.closeCode()).isEqualTo(CloseCode.UNAUTHORIZED);
        assertThat(s.members()).hasSize(1);
    }

    @Test
    void acceptance_mayNameTheMember_andTheAttemptShowsCredentialAndUpgradeRequest() {
        Session s = h.open(b -> b.authenticator(tokens));
        InMemoryGuest c = join(s, "a", "good");
        c.next(HostMessage.Welcome.class);
        Member a = c.next(HostMessage.MemberList.class).members().get(1);
        assertThat(a.name()).isEqualTo("Verified");
        JoinAttempt attempt = attempts.get(0);
        assertThat(attempt.deviceId()).isEqualTo("a");
        assertThat(attempt.deviceName()).isEqualTo("Guest a");
        assertThat(attempt.credential()).isEqualTo("good");
        assertThat(attempt.request().remoteAddress()).isEqualTo("10.0.0.9:4000");
        assertThat(attempt.request().cookie("theme")).contains("dark");
        assertThat(attempt.request().queryParameter("ticket")).contains("t-1");
        assertThat(attempt.request().header("user-agent")).contains("phone");
    }

    @Test
    void acceptance_asCohost_makesTheMemberACohost() {
        Session s = h.open(b -> b.authenticator(tokens));
        join(s, "a", "good-cohost");
        assertThat(s.members().get(1).role()).isEqualTo(Role.COHOST);
    }

    @Test
    void authentication_comesAfterSessionNotFound_andBeforeThePin() {
        Session s = h.open(b -> b.authenticator(tokens).pin("1234"));
        InMemoryGuest lost = h.join(GuestMessage.Join.of("NOPE99", "a", "A").withAuth("forged"));
        assertThat(lost.nextError().code()).isEqualTo(ErrorCode.SESSION_NOT_FOUND);
        assertThat(attempts).isEmpty();

        InMemoryGuest badBoth = join(s, "a", "forged"); // no PIN either: the authenticator answers first
        assertThat(badBoth.nextError().message()).isEqualTo("Token expired");
        InMemoryGuest noPin = join(s, "b", "good");
        assertThat(noPin.nextError().message()).isEqualTo("PIN required");
        assertThat(noPin.closeCode()).isEqualTo(CloseCode.UNAUTHORIZED);
    }

    @Test
    void noDecisionWithinTheJoinTimeout_isAuthenticationTimedOut_andALateDecisionChangesNothing() {
        Session s = h.open(b -> b.authenticator(slow));
        InMemoryGuest c = join(s, "a", "t");
        h.advance(Duration.ofMillis(9_999));
        assertThat(c.isOpen()).isTrue();
        h.advance(Duration.ofMillis(1));
        HostMessage.Error e = c.nextError();
        assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(e.message()).isEqualTo("Authentication timed out");
        assertThat(c.closeCode()).isEqualTo(CloseCode.UNAUTHORIZED);
        pending.get(0).complete(AuthDecision.accept());
        assertThat(s.members()).hasSize(1);
        c.assertNothingUnread();
    }

    @Test
    void aPendingAuthentication_holdsUpNeitherOtherJoinsNorTheSession() {
        Session s = h.open(b -> b.authenticator(slow));
        InMemoryGuest first = join(s, "a", "t");
        InMemoryGuest second = join(s, "b", "t");
        pending.get(1).complete(AuthDecision.accept());
        second.next(HostMessage.Welcome.class);
        assertThat(s.members()).extracting(Member::id).containsExactly("host-1", "b");
        s.broadcast("NEWS", Map.of()).join(); // the session still works
        assertThat(second.drain()).extracting(HostMessage::type).contains("NEWS");
        h.advanceMillis(1);
        pending.get(0).complete(AuthDecision.accept());
        first.next(HostMessage.Welcome.class);
        assertThat(s.members()).extracting(Member::id).containsExactly("host-1", "b", "a");
    }

    @Test
    void whileAuthenticating_aGuestMayPing_andLeave() {
        Session s = h.open(b -> b.authenticator(slow));
        InMemoryGuest c = join(s, "a", "t");
        c.send(new GuestMessage.Ping(5L));
        assertThat(c.next(HostMessage.Pong.class).pingTimestamp()).isEqualTo(5L);
        c.send(new GuestMessage.Heartbeat("a", null));
        assertThat(c.nextError().message()).isEqualTo("Join the session first");
        c.send(new GuestMessage.Leave(null));
        assertThat(c.closeCode()).isEqualTo(CloseCode.NORMAL);
        pending.get(0).complete(AuthDecision.accept());
        assertThat(s.members()).hasSize(1);
    }

    @Test
    void aFailingAuthenticator_refusesWithAuthenticationFailed_neverItsException() {
        Session s = h.open(b -> b.authenticator(attempt -> {
            throw new IllegalStateException("database down");
        }));
        InMemoryGuest c = join(s, "a", "t");
        assertThat(c.nextError().message()).isEqualTo("Authentication failed");
        Session t = h.registry.open(SessionConfig.builder().sessionId("T2").host("h", "H")
                .authenticator(attempt -> CompletableFuture.failedFuture(new RuntimeException("boom"))).build());
        InMemoryGuest d = join(t, "a", "t");
        assertThat(d.nextError().message()).isEqualTo("Authentication failed");
        assertThat(d.closeCode()).isEqualTo(CloseCode.UNAUTHORIZED);
    }

    @Test
    void closingTheSession_refusesJoinsStillAuthenticating_asSessionNotFound() {
        Session s = h.open(b -> b.authenticator(slow));
        InMemoryGuest c = join(s, "a", "t");
        s.close().join();
        assertThat(c.nextError().code()).isEqualTo(ErrorCode.SESSION_NOT_FOUND);
        assertThat(c.closeCode()).isEqualTo(CloseCode.SESSION_NOT_FOUND);
        pending.get(0).complete(AuthDecision.accept());
        c.assertNothingUnread();
    }

    @Test
    void aResumeIsAuthenticatedToo() {
        Session s = h.open(b -> b.authenticator(tokens));
        InMemoryGuest c = join(s, "a", "good");
        String token = c.next(HostMessage.Welcome.class).resumeToken();
        InMemoryGuest again = h.join(GuestMessage.Join.of(s.id(), "a", "A").withResumeToken(token).withAuth("forged"));
        assertThat(again.nextError().message()).isEqualTo("Token expired");
        assertThat(c.isOpen()).isTrue();
    }
}
