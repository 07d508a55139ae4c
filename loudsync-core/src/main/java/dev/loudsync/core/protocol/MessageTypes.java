package dev.loudsync.core.protocol;

import java.util.Set;

/** The {@code type} strings of the protocol, and the rule for application types. */
public final class MessageTypes {
    public static final String JOIN = "JOIN";
    public static final String LEAVE = "LEAVE";
    public static final String HEARTBEAT = "HEARTBEAT";
    public static final String PING = "PING";
    public static final String PONG = "PONG";
    public static final String WELCOME = "WELCOME";
    public static final String MEMBER_LIST = "MEMBER_LIST";
    public static final String MEMBER_JOINED = "MEMBER_JOINED";
    public static final String MEMBER_LEFT = "MEMBER_LEFT";
    public static final String MEMBER_UPDATED = "MEMBER_UPDATED";
    public static final String KICKED = "KICKED";
    public static final String SESSION_CLOSED = "SESSION_CLOSED";
    public static final String ERROR = "ERROR";
    public static final String JOIN_PENDING = "JOIN_PENDING";
    public static final String MEMBERS_CHANGED = "MEMBERS_CHANGED";
    public static final String KICK = "KICK";
    public static final String SET_ROLE = "SET_ROLE";
    public static final String APPROVE = "APPROVE";
    public static final String DENY = "DENY";
    public static final String TRANSFER_HOST = "TRANSFER_HOST";
    public static final String END_SESSION = "END_SESSION";
    public static final String ACK = "ACK";
    public static final String HOST_CHANGED = "HOST_CHANGED";
    public static final String JOIN_REQUESTED = "JOIN_REQUESTED";
    public static final String JOIN_REQUEST_ENDED = "JOIN_REQUEST_ENDED";
    public static final String STATE = "STATE";
    public static final String STATE_PATCH = "STATE_PATCH";

    private static final Set<String> RESERVED = Set.of(JOIN, LEAVE, HEARTBEAT, PING, PONG, WELCOME,
            MEMBER_LIST, MEMBER_JOINED, MEMBER_LEFT, MEMBER_UPDATED, KICKED, SESSION_CLOSED, ERROR,
            JOIN_PENDING, MEMBERS_CHANGED, KICK, SET_ROLE, APPROVE, DENY, TRANSFER_HOST, END_SESSION,
            ACK, HOST_CHANGED, JOIN_REQUESTED, JOIN_REQUEST_ENDED, STATE, STATE_PATCH);

    /** The guest-to-host types whose envelope {@code id} is ignored: they have answers of their own, or none. */
    private static final Set<String> WITHOUT_ID = Set.of(JOIN, LEAVE, HEARTBEAT, PING, PONG);

    private MessageTypes() {
    }

    /**
     * Whether a guest message of {@code type} may carry a request {@code id} (1.1): every type but
     * {@code JOIN}, {@code LEAVE}, {@code HEARTBEAT}, {@code PING} and {@code PONG}.
     */
    public static boolean takesRequestId(String type) {
        return !WITHOUT_ID.contains(type);
    }

    /** Whether {@code type} is one of the protocol's own types (guest or host side). */
    public static boolean isProtocolType(String type) {
        return RESERVED.contains(type);
    }

    /**
     * Whether {@code type} may name an application message: of the {@linkplain
     * ProtocolRules#isTypeSyntax type syntax} and not one of the protocol's own types.
     */
    public static boolean isApplicationType(String type) {
        return ProtocolRules.isTypeSyntax(type) && !RESERVED.contains(type);
    }
}
