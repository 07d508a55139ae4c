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

    /** The host kicked this device; no reconnect follows. */
    default void kicked(String reason) {
    }

    /** The host ended the session; no reconnect follows. */
    default void sessionClosed(String reason) {
    }

    /** The host answered with {@code ERROR}. */
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
