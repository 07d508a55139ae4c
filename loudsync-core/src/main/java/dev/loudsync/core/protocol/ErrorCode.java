package dev.loudsync.core.protocol;

/** The {@code code} of an {@code ERROR} message. The wire form is the constant's name. */
public enum ErrorCode {
    SESSION_NOT_FOUND,
    SESSION_FULL,
    ALREADY_JOINED,
    INVALID_MESSAGE,
    UNAUTHORIZED,
    VERSION_MISMATCH,
    /** Extension: the connection sends faster than its rate limit allows. */
    RATE_LIMITED
}
