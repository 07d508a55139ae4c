package dev.loudsync.netty.client;

import dev.loudsync.core.protocol.ErrorCode;
import java.util.Objects;

/**
 * The host answered a request of this client ({@link LoudSyncClient#request}, or a control message
 * such as {@link LoudSyncClient#kick}) with {@code ERROR}: it was refused or failed, and nothing
 * it asked for happened. {@link #code()} is the protocol's code ({@code UNAUTHORIZED},
 * {@code INVALID_MESSAGE}, {@code RATE_LIMITED}, {@code SERVER_ERROR}...) or one the host
 * application chose ({@code QUEUE_FULL}); {@link #getMessage()} is the host's text.
 */
public final class RequestFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ErrorCode code;

    public RequestFailedException(ErrorCode code, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** The {@code ERROR}'s code. */
    public ErrorCode code() {
        return code;
    }

    @Override
    public String toString() {
        return "RequestFailedException: " + code + " " + getMessage();
    }
}
