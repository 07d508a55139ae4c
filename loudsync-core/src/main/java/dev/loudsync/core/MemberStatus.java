package dev.loudsync.core;

/** The {@code connectionStatus} of a member. */
public enum MemberStatus {
    /** The member's connection is open. */
    CONNECTED("connected"),
    /**
     * Extension: the connection was lost and the session waits, for the reconnect grace period, for
     * the member to resume with its token.
     */
    RECONNECTING("reconnecting"),
    /** Waiting for the host's approval. */
    PENDING("pending");

    private final String wireName;

    MemberStatus(String wireName) {
        this.wireName = wireName;
    }

    /** The lower-case form used on the wire. */
    public String wireName() {
        return wireName;
    }
}
