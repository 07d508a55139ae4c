package dev.loudsync.core.internal;

import dev.loudsync.core.AuthDecision;
import dev.loudsync.core.JoinAttempt;
import dev.loudsync.core.JoinAuthenticator;
import dev.loudsync.core.SerialExecutor;
import dev.loudsync.core.TimeSource;
import dev.loudsync.core.protocol.GuestMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authenticator's step of the join checks (1.1): asks the session's {@link JoinAuthenticator}
 * and hands its decision back to {@link Admission} on the session's executor, without holding up
 * anything else meanwhile.
 *
 * <p>A decision that does not come within the join timeout refuses the join with
 * {@code "Authentication timed out"}; a failing authenticator with {@code "Authentication
 * failed"}. Every attempt is decided exactly once: whatever comes after the first decision (a late
 * answer, a timeout after an answer, the connection's end) changes nothing. One timer serves all
 * attempts ({@link Deadlines}). Confined to the session's executor.
 */
final class Authentication {

    /** What the join checks do with a decision. */
    interface Decided {
        void decided(GuestConnection c, GuestMessage.Join join, AuthDecision decision);
    }

    private static final Logger log = LoggerFactory.getLogger(Authentication.class);

    private final String sessionId;
    private final JoinAuthenticator authenticator;
    private final SerialExecutor executor;
    private final Decided next;
    private final Deadlines<Attempt> waiting;

    private static final class Attempt {
        final GuestConnection connection;
        final GuestMessage.Join join;
        boolean decided;

        Attempt(GuestConnection connection, GuestMessage.Join join) {
            this.connection = connection;
            this.join = join;
        }
    }

    Authentication(String sessionId, JoinAuthenticator authenticator, SerialExecutor executor, TimeSource time,
            Duration timeout, Decided next) {
        this.sessionId = sessionId;
        this.authenticator = authenticator;
        this.executor = executor;
        this.next = next;
        this.waiting = new Deadlines<>(executor, time, timeout, a -> a.decided,
                a -> decide(a, AuthDecision.refuse("Authentication timed out")));
    }

    void start(GuestConnection c, GuestMessage.Join join) {
        Attempt a = new Attempt(c, join);
        waiting.add(a);
        CompletionStage<AuthDecision> stage;
        try {
            stage = authenticator.authenticate(new JoinAttempt(sessionId, join.deviceId(), join.deviceName(),
                    join.auth(), c.connection().upgradeRequest()));
            if (stage == null) {
                throw new NullPointerException("the authenticator returned null");
            }
        } catch (RuntimeException e) {
            decide(a, failed(e));
            return;
        }
        stage.whenComplete((decision, error) -> executor.execute(() -> decide(a,
                error != null ? failed(error) : decision != null ? decision : failed(new NullPointerException(
                        "the authenticator's stage completed with null")))));
    }

    private AuthDecision failed(Throwable error) {
        log.warn("Authenticator of session {} failed", sessionId, error);
        return AuthDecision.refuse("Authentication failed");
    }

    private void decide(Attempt a, AuthDecision decision) {
        if (!a.decided) {
            a.decided = true;
            next.decided(a.connection, a.join, decision);
        }
    }

    /**
     * The session closes: nothing is due any more.
     *
     * @return the connections still waiting for a decision, which the caller refuses
     */
    List<GuestConnection> stop() {
        List<GuestConnection> undecided = new ArrayList<>();
        for (Attempt a : waiting.stop()) {
            a.decided = true;
            undecided.add(a.connection);
        }
        return undecided;
    }
}
