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

    private static final Set<String> RESERVED = Set.of(JOIN, LEAVE, HEARTBEAT, PING, PONG, WELCOME,
            MEMBER_LIST, MEMBER_JOINED, MEMBER_LEFT, MEMBER_UPDATED, KICKED, SESSION_CLOSED, ERROR,
            JOIN_PENDING, MEMBERS_CHANGED);

    private MessageTypes() {
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
