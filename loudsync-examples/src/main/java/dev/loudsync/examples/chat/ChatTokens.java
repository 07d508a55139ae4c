package dev.loudsync.examples.chat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import dev.loudsync.core.protocol.ProtocolRules;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Sign-in tokens: JWTs signed with HMAC-SHA256 (Auth0's {@code java-jwt}, rather than signing by
 * hand), carrying the user id ({@code sub}) and display name ({@code name}), valid for a fixed time
 * (12 h by default).
 *
 * <p>The key is the caller's: the chat keeps it in its database, made up at the first start, so
 * tokens outlive a restart of the host and stop working with the database they belong to (a new
 * database, a new key). Anyone who can read the database can make tokens; it is an event chat,
 * not a bank. Thread-safe.
 */
final class ChatTokens {

    /** How long a token is valid by default. */
    static final Duration DEFAULT_TTL = Duration.ofHours(12);

    private static final String ISSUER = "loudsync-chat";

    private final Algorithm algorithm;
    private final JWTVerifier verifier;
    private final Duration ttl;

    /**
     * @param key the HMAC key, at least 32 bytes
     * @throws IllegalArgumentException if the key is shorter, or {@code ttl} is not positive
     */
    ChatTokens(byte[] key, Duration ttl) {
        if (key.length < 32) {
            throw new IllegalArgumentException("token key: " + key.length + " bytes (expected: >= 32)");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("token ttl: " + ttl + " (expected: > 0)");
        }
        this.algorithm = Algorithm.HMAC256(key);
        this.verifier = JWT.require(algorithm).withIssuer(ISSUER).build();
        this.ttl = ttl;
    }

    /** A token for {@code user}, issued at {@code now}. */
    String issue(ChatUser user, Instant now) {
        return JWT.create()
                .withIssuer(ISSUER)
                .withSubject(user.userId())
                .withClaim("name", user.name())
                .withIssuedAt(now)
                .withExpiresAt(now.plus(ttl))
                .sign(algorithm);
    }

    /** The user a token names; empty if it is not one of ours, was changed, or has expired. */
    Optional<ChatUser> verify(String token) {
        try {
            DecodedJWT jwt = verifier.verify(token);
            String userId = jwt.getSubject();
            String name = jwt.getClaim("name").asString();
            if (userId == null || !ChatUsers.isUserId(userId) || name == null || !ProtocolRules.isDisplayName(name)) {
                return Optional.empty();
            }
            return Optional.of(new ChatUser(userId, name));
        } catch (JWTVerificationException e) {
            return Optional.empty();
        }
    }
}
