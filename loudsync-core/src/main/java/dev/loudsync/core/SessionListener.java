package dev.loudsync.core;

/**
 * Receives a session's events. Every method has an empty default, so new events never break an
 * implementation.
 *
 * <p>Methods run on the session's executor, one at a time, in the order the events happened; they
 * must not block. They receive immutable snapshots. An exception thrown by a listener is caught and
 * logged, and neither other listeners nor the session are affected.
 */
public interface SessionListener {

    /** A guest became a member (after every member was told). */
    default void memberJoined(Session session, Member member) {
    }

    /**
     * A member is gone, for {@code reason}. {@code member} is its last state. When the session
     * closes, each remaining guest is reported with {@link LeaveReason#SESSION_CLOSED} before
     * {@link #sessionClosed}.
     */
    default void memberLeft(Session session, Member member, LeaveReason reason) {
    }

    /** A member's status, name, role or latency changed; {@code member} is its new state. */
    default void memberUpdated(Session session, Member member) {
    }

    /**
     * Another member has the host role now (1.1, server-hosted sessions): the host left, or
     * handed the role on. {@code previousHost} is the old host's last state.
     */
    default void hostChanged(Session session, Member host, Member previousHost) {
    }

    /** A guest asks to join a session that requires approval. */
    default void joinRequested(Session session, JoinRequest request) {
    }

    /** The session is closed; the last event of a session. */
    default void sessionClosed(Session session) {
    }
}
