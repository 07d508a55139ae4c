package dev.loudsync.netty.client;

import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.HostMessage;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Receives a {@link LoudSyncClient}'s events. Every method has an empty default. Methods run on the
 * client's network thread, one at a time, in order; they must not block.
 */
public interface ClientListener {

    /** Joined (or resumed): the host's {@code WELCOME}. */
    default void connected(HostMessage.Welcome welcome) {
    }

    /** A full member list arrived; {@code members} is the new view. */
    default void memberList(List<Member> members) {
    }

    default void memberJoined(Member member) {
    }

    /** A member left; {@code reason} is null when the host sent a reason this client does not know. */
    default void memberLeft(String deviceId, @Nullable LeaveReason reason) {
    }

    default void memberUpdated(Member member) {
    }

    /**
     * Another member has the host role now (1.1: a server-hosted session's host left, or handed the
     * role on); {@code host} is its new state, first in {@code members()}. The previous host, if
     * still a member, is a client now.
     */
    default void hostChanged(Member host, String previousHostId) {
    }

    /**
     * The session's shared state changed (1.1; the client announces the {@code state} capability
     * unless {@link LoudSyncClient.Builder#sharedState(boolean) told not to}): {@code state} is the
     * whole new state at {@code version}, as {@link LoudSyncClient#state()} returns it from now on.
     * {@code patch} is the change as a JSON Merge Patch ({@code null} values removed keys), or null
     * when the host sent the whole state (after joining or resuming).
     */
    default void sharedStateChanged(long version, Map<String, Object> state,
            @Nullable Map<String, @Nullable Object> patch) {
    }

    /**
     * A device asks to join and waits for approval (1.1: told to the host and cohosts of a session
     * with approval on); answer with {@link LoudSyncClient#approve} or {@link LoudSyncClient#deny}.
     */
    default void joinRequested(String deviceId, String deviceName) {
    }

    /** A join request was settled, by this client or another approver, or withdrawn (1.1). */
    default void joinRequestEnded(String deviceId, HostMessage.Outcome outcome) {
    }

    /** The host kicked this device; no reconnect follows. */
    default void kicked(String reason) {
    }

    /** The host ended the session; no reconnect follows. */
    default void sessionClosed(String reason) {
    }

    /**
     * The host answered with {@code ERROR}; not for the answers to this client's requests, which
     * fail their futures instead.
     */
    default void error(ErrorCode code, String message) {
    }

    /**
     * An application message from the host. {@code payload} is unmodifiable and holds plain Java
     * values: maps, lists, strings, booleans, {@code null}, {@code Integer}, {@code Long} or
     * {@code BigInteger} for integers and {@code Double} for other numbers.
     */
    default void message(String type, Map<String, @Nullable Object> payload) {
    }

    default void stateChanged(ClientState from, ClientState to) {
    }
}
