package dev.loudsync.core;

import dev.loudsync.core.protocol.ProtocolRules;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link JoinAuthenticator}'s decision: accept, optionally with the display name the member gets
 * (instead of the one it asked for) and as a cohost; or refuse, with the message the guest sees.
 * Immutable.
 */
public final class AuthDecision {

    private static final AuthDecision ACCEPT = new AuthDecision(true, null, false, null);

    private final boolean accepted;
    private final String displayName;
    private final boolean cohost;
    private final String refusal;

    private AuthDecision(boolean accepted, String displayName, boolean cohost, String refusal) {
        this.accepted = accepted;
        this.displayName = displayName;
        this.cohost = cohost;
        this.refusal = refusal;
    }

    /** Accepts the join as asked. */
    public static AuthDecision accept() {
        return ACCEPT;
    }

    /**
     * Refuses the join: {@code ERROR UNAUTHORIZED} with {@code message}, close 4501.
     *
     * @throws IllegalArgumentException if {@code message} is empty or longer than 200 characters
     */
    public static AuthDecision refuse(String message) {
        Objects.requireNonNull(message, "message");
        if (message.isEmpty() || message.length() > 200) {
            throw new IllegalArgumentException("message: length " + message.length() + " (expected: 1-200)");
        }
        return new AuthDecision(false, null, false, message);
    }

    /**
     * The accepted member shows {@code name} instead of the name it asked for.
     *
     * @throws IllegalArgumentException if {@code name} is not a display name (1 to 64 characters,
     *                                  no control characters)
     * @throws IllegalStateException    on a refusal
     */
    public AuthDecision withName(String name) {
        requireAccepted("withName");
        if (!ProtocolRules.isDisplayName(name)) {
            throw new IllegalArgumentException("name: '" + name + "' (expected: 1-"
                    + ProtocolRules.MAX_DISPLAY_NAME_CHARS + " characters, no control characters)");
        }
        return new AuthDecision(true, name, cohost, null);
    }

    /**
     * The accepted member joins as a cohost (unless it becomes the host of a server-hosted
     * session, as its first member).
     *
     * @throws IllegalStateException on a refusal
     */
    public AuthDecision asCohost() {
        requireAccepted("asCohost");
        return new AuthDecision(true, displayName, true, null);
    }

    public boolean isAccepted() {
        return accepted;
    }

    /** The display name to use instead of the requested one, if any. */
    public Optional<String> displayName() {
        return Optional.ofNullable(displayName);
    }

    /** Whether the member joins as a cohost. */
    public boolean isCohost() {
        return cohost;
    }

    /** The message of a refusal; empty for an acceptance. */
    public Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    private void requireAccepted(String method) {
        if (!accepted) {
            throw new IllegalStateException(method + ": the decision is a refusal");
        }
    }

    @Override
    public String toString() {
        return accepted ? "accept" + (displayName != null ? " as '" + displayName + "'" : "") + (cohost ? " (cohost)" : "")
                : "refuse: " + refusal;
    }
}
