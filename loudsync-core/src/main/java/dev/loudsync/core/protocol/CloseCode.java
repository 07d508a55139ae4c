package dev.loudsync.core.protocol;

/**
 * WebSocket close codes used by LoudSync, with the reason text sent in the close frame.
 *
 * <p>Codes 4000–4499 are worth a reconnect (with backoff); 4500–4999 are final and a client must
 * not retry automatically. The close reason carries the protocol error code name where the close
 * follows an {@code ERROR} (for example {@code SESSION_FULL}), and otherwise the name of the cause.
 */
public enum CloseCode {
    /** After {@code LEAVE} and after {@code SESSION_CLOSED}. */
    NORMAL(1000, ""),
    /** The server is stopping; sent to connections that had not joined a session yet. */
    GOING_AWAY(1001, "GOING_AWAY"),
    /** A WebSocket protocol violation. */
    PROTOCOL_ERROR(1002, "PROTOCOL_ERROR"),
    /** A binary frame: LoudSync speaks text frames only. */
    UNSUPPORTED_DATA(1003, "UNSUPPORTED_DATA"),
    /** A text frame that is not valid UTF-8. */
    INVALID_PAYLOAD(1007, "INVALID_PAYLOAD"),
    /** A frame over the size limit. */
    MESSAGE_TOO_BIG(1009, "MESSAGE_TOO_BIG"),
    /** The member was silent for longer than the heartbeat timeout. */
    HEARTBEAT_TIMEOUT(4000, "HEARTBEAT_TIMEOUT"),
    /** The connection did not send a {@code JOIN} within the join timeout. */
    JOIN_TIMEOUT(4001, "JOIN_TIMEOUT"),
    /** The session has {@code maxMembers} members. */
    SESSION_FULL(4002, "SESSION_FULL"),
    /** The connection kept sending faster than its rate limit. */
    RATE_LIMITED(4003, "RATE_LIMITED"),
    /** The connection could not keep up with its outbound traffic. */
    SLOW_CONSUMER(4004, "SLOW_CONSUMER"),
    /** No open session has the requested id. */
    SESSION_NOT_FOUND(4500, "SESSION_NOT_FOUND"),
    /** Wrong PIN, join denied by the host, or device banned. */
    UNAUTHORIZED(4501, "UNAUTHORIZED"),
    /** The guest speaks another major protocol version. */
    VERSION_MISMATCH(4502, "VERSION_MISMATCH"),
    /** An invalid {@code JOIN}, or repeated protocol violations. */
    INVALID_JOIN(4503, "INVALID_MESSAGE"),
    /** The device is already a member and presented no valid resume token. */
    ALREADY_JOINED(4504, "ALREADY_JOINED"),
    /** The host kicked the member. */
    KICKED(4505, "KICKED"),
    /** A newer connection of the same member resumed the membership. */
    REPLACED(4506, "REPLACED");

    private final int code;
    private final String reason;

    CloseCode(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    /** The numeric WebSocket close code. */
    public int code() {
        return code;
    }

    /** The reason text of the close frame. */
    public String reason() {
        return reason;
    }

    /**
     * Whether a client may reconnect on its own after this close: true for 4000–4499, false for
     * 4500–4999 and for the standard codes below 4000 (a client decides about those itself).
     */
    public boolean reconnectable() {
        return isReconnectable(code);
    }

    /** Whether a close with this numeric code is worth an automatic reconnect (4000–4499). */
    public static boolean isReconnectable(int code) {
        return code >= 4000 && code <= 4499;
    }

    /** Whether a close with this numeric code is final: a client must not retry (4500–4999). */
    public static boolean isFinal(int code) {
        return code >= 4500 && code <= 4999;
    }

    /** The constant for a numeric code; empty when LoudSync does not use it. */
    public static java.util.Optional<CloseCode> of(int code) {
        for (CloseCode c : values()) {
            if (c.code == code) {
                return java.util.Optional.of(c);
            }
        }
        return java.util.Optional.empty();
    }
}
