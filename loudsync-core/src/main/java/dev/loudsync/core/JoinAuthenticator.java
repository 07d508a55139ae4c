package dev.loudsync.core;

import java.util.concurrent.CompletionStage;

/**
 * Decides whether a {@code JOIN} may proceed (1.1), from its credential ({@code JOIN.auth}), the
 * device it names and the connection's upgrade request (address, headers, cookies, query).
 * Installed per session with {@link SessionConfig.Builder#authenticator}.
 *
 * <p>The check sits after {@code SESSION_NOT_FOUND} and before the PIN: a refusal answers
 * {@code ERROR UNAUTHORIZED} with the decision's message and closes with 4501; no decision within
 * the server's join timeout answers {@code "Authentication timed out"}, also 4501. An accepted
 * join goes on through the remaining checks (PIN, ban, already joined, capacity, approval).
 *
 * <p>Called on the session's executor, and must not block there: return a stage that completes
 * later (on any thread) for anything slow, such as a database or a remote service. Other joins
 * and the session carry on meanwhile. A stage that completes exceptionally, or an exception
 * thrown here, refuses the join with {@code "Authentication failed"} (the cause is logged, never
 * sent).
 *
 * <pre>{@code
 * SessionConfig.builder().serverHosted().authenticator(attempt -> {
 *     Optional<User> user = tokens.verify(attempt.credential());
 *     return CompletableFuture.completedFuture(user
 *             .map(u -> AuthDecision.accept().withName(u.name()))
 *             .orElse(AuthDecision.refuse("Sign in first")));
 * })
 * }</pre>
 */
@FunctionalInterface
public interface JoinAuthenticator {

    /** Decides about one join attempt. */
    CompletionStage<AuthDecision> authenticate(JoinAttempt attempt);
}
