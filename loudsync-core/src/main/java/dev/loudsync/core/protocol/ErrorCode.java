package dev.loudsync.core.protocol;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code code} of an {@code ERROR} message: one of the protocol's codes (the constants), or,
 * since 1.1, a code an application handler chose for its own rejections. The wire form is
 * {@link #name()}.
 *
 * <p>Works like an enum that applications may extend: {@link #of(String)} returns the constant for
 * a protocol code, so protocol codes compare with {@code ==}; codes compare by name with
 * {@link #equals}. Immutable.
 */
public final class ErrorCode {

    /** Longest code, in characters. */
    public static final int MAX_CHARS = 32;

    public static final ErrorCode SESSION_NOT_FOUND = new ErrorCode("SESSION_NOT_FOUND");
    public static final ErrorCode SESSION_FULL = new ErrorCode("SESSION_FULL");
    public static final ErrorCode ALREADY_JOINED = new ErrorCode("ALREADY_JOINED");
    public static final ErrorCode INVALID_MESSAGE = new ErrorCode("INVALID_MESSAGE");
    public static final ErrorCode UNAUTHORIZED = new ErrorCode("UNAUTHORIZED");
    public static final ErrorCode VERSION_MISMATCH = new ErrorCode("VERSION_MISMATCH");
    /** Extension: the connection sends faster than its rate limit allows. */
    public static final ErrorCode RATE_LIMITED = new ErrorCode("RATE_LIMITED");
    /** 1.1: a handler failed unexpectedly or did not finish in time. */
    public static final ErrorCode SERVER_ERROR = new ErrorCode("SERVER_ERROR");

    private static final Map<String, ErrorCode> PROTOCOL = Map.of(
            SESSION_NOT_FOUND.name, SESSION_NOT_FOUND, SESSION_FULL.name, SESSION_FULL,
            ALREADY_JOINED.name, ALREADY_JOINED, INVALID_MESSAGE.name, INVALID_MESSAGE,
            UNAUTHORIZED.name, UNAUTHORIZED, VERSION_MISMATCH.name, VERSION_MISMATCH,
            RATE_LIMITED.name, RATE_LIMITED, SERVER_ERROR.name, SERVER_ERROR);

    private static final List<ErrorCode> PROTOCOL_CODES = List.of(SESSION_NOT_FOUND, SESSION_FULL, ALREADY_JOINED,
            INVALID_MESSAGE, UNAUTHORIZED, VERSION_MISMATCH, RATE_LIMITED, SERVER_ERROR);

    private final String name;

    private ErrorCode(String name) {
        this.name = name;
    }

    /**
     * The code named {@code name}: the constant for a protocol code, else an application code.
     *
     * @throws IllegalArgumentException unless {@code name} is upper case {@code [A-Z][A-Z0-9_]*} of at
     *                                  most {@value #MAX_CHARS} characters
     */
    public static ErrorCode of(String name) {
        Objects.requireNonNull(name, "name");
        ErrorCode known = PROTOCOL.get(name);
        if (known != null) {
            return known;
        }
        if (!isValid(name)) {
            throw new IllegalArgumentException("error code: '" + name + "' (expected: upper case [A-Z][A-Z0-9_]*, at most "
                    + MAX_CHARS + " characters)");
        }
        return new ErrorCode(name);
    }

    /** The protocol's own codes, in the order PROTOCOL.md lists them. */
    public static List<ErrorCode> protocolCodes() {
        return PROTOCOL_CODES;
    }

    /** Whether {@code name} may be an error code. */
    public static boolean isValid(String name) {
        return name != null && name.length() <= MAX_CHARS && ProtocolRules.isTypeSyntax(name);
    }

    /** Whether this is one of the protocol's own codes rather than an application's. */
    public boolean isProtocolCode() {
        return PROTOCOL.get(name) == this;
    }

    /** The wire form, for example {@code SESSION_FULL}. */
    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ErrorCode && ((ErrorCode) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
