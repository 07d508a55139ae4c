package dev.loudsync.core;

import dev.loudsync.core.protocol.ErrorCode;
import java.util.Objects;

/**
 * Thrown by a handler (or completing its stage) to refuse a guest's message with a code and text
 * of the application's choice: the guest gets {@code ERROR {code, message, replyTo}} as given. Not
 * logged, since it is an answer, not a failure.
 */
public class RequestRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ErrorCode code;

    /**
     * @param code    upper case {@code [A-Z][A-Z0-9_]*}, at most 32 characters, for example
     *                {@code "QUEUE_FULL"}; a protocol code such as {@code "UNAUTHORIZED"} may be used
     * @param message the text the guest sees
     * @throws IllegalArgumentException if {@code code} is not a valid error code
     */
    public RequestRejectedException(String code, String message) {
        this(ErrorCode.of(code), message);
    }

    public RequestRejectedException(ErrorCode code, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** The code the guest gets. */
    public ErrorCode code() {
        return code;
    }
}
