package dev.loudsync.core;

/** Why a member is no longer part of a session. */
public enum LeaveReason {
    /** The guest sent {@code LEAVE}. */
    LEFT("Left"),
    /** The connection closed or was lost without {@code LEAVE} (and any reconnect grace ended). */
    CONNECTION_LOST("Connection closed"),
    /** No sign of life within the heartbeat timeout. */
    TIMED_OUT("Heartbeat timeout"),
    /** The host kicked the member. */
    KICKED("Kicked"),
    /** The member could not keep up with its outbound traffic. */
    SLOW("Slow connection"),
    /** The host closed the session. */
    SESSION_CLOSED("Host closed session");

    private final String wireText;

    LeaveReason(String wireText) {
        this.wireText = wireText;
    }

    /** The {@code reason} text of {@code MEMBER_LEFT} (or of {@code SESSION_CLOSED}). */
    public String wireText() {
        return wireText;
    }

    /** The constant whose {@link #wireText()} is {@code text}; empty for any other text. */
    public static java.util.Optional<LeaveReason> fromWireText(String text) {
        for (LeaveReason r : values()) {
            if (r.wireText.equals(text)) {
                return java.util.Optional.of(r);
            }
        }
        return java.util.Optional.empty();
    }
}
