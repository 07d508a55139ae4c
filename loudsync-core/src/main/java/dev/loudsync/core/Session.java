package dev.loudsync.core;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One open session: a host device and the guests that joined it. Obtained from
 * {@link SessionRegistry#open(SessionConfig)} (or a server built on it).
 *
 * <h2>Threading</h2>
 * Every change to a session runs on its {@link SerialExecutor}, one at a time; listeners and message
 * handlers run there too. The methods below may be called from any thread: queries read an
 * immutable snapshot, and actions are queued to the executor and return a future that completes
 * there once the action is done (and its messages were handed to the transport).
 *
 * <h2>Lifecycle</h2>
 * A session is open from creation until {@link #close()}; then its guests got
 * {@code SESSION_CLOSED}, its id is free again, and actions complete with {@code false} or do
 * nothing.
 */
public interface Session {

    /** The session id as configured, for example {@code "K7M2QX"}. */
    String id();

    /** The configuration the session was opened with. */
    SessionConfig config();

    /**
     * The members, host first, then by {@code joinedAt}, then by id: an immutable snapshot of the
     * latest state, also exactly what a guest's view converges to.
     */
    List<Member> members();

    /** Whether {@link #close()} has not happened yet. */
    boolean isOpen();

    /** Adds a listener; adding the same one twice has no further effect. */
    void addListener(SessionListener listener);

    /** Removes a listener added before. */
    void removeListener(SessionListener listener);

    /**
     * Routes application messages of {@code type} from members to {@code handler}, replacing any
     * handler registered before. A type with no handler is answered with
     * {@code ERROR INVALID_MESSAGE}, and the connection stays open.
     *
     * @throws IllegalArgumentException if {@code type} is not an application type (upper case, not
     *                                  one of the protocol's types)
     */
    void handle(String type, MessageHandler handler);

    /**
     * Kicks a guest: it gets {@code KICKED {reason}} and its connection closes with 4505; the others
     * get {@code MEMBER_LEFT "Kicked"}. A pending join request of that device is denied instead.
     *
     * @return completes with whether a member or request of that id existed
     * @throws IllegalArgumentException if {@code deviceId} is the host's
     */
    CompletableFuture<Boolean> kick(String deviceId, @Nullable String reason);

    /**
     * Like {@link #kick}, and refuses every later join of {@code deviceId} with
     * {@code UNAUTHORIZED}. Device ids are chosen by guests, so a ban stops a casual re-join, not a
     * determined one.
     */
    CompletableFuture<Boolean> ban(String deviceId, @Nullable String reason);

    /**
     * Admits a guest waiting for approval: it gets the join sequence ({@code WELCOME},
     * {@code MEMBER_LIST}) and the others {@code MEMBER_JOINED}. If the session is full by now, the
     * guest gets {@code SESSION_FULL} instead.
     *
     * @return completes with whether the guest became a member
     */
    CompletableFuture<Boolean> approve(String deviceId);

    /**
     * Refuses a guest waiting for approval: {@code ERROR UNAUTHORIZED "Join request denied"}, close
     * 4501.
     *
     * @return completes with whether such a request was waiting
     */
    CompletableFuture<Boolean> deny(String deviceId);

    /** The join requests waiting for approval, oldest first. */
    List<JoinRequest> pendingRequests();

    /**
     * Sends an application message to every connected guest; encoded once by transports that can.
     *
     * @param payload a JSON object as plain values (see
     *                {@link dev.loudsync.core.protocol.ApplicationMessage})
     * @throws IllegalArgumentException if {@code type} is not an application type
     */
    CompletableFuture<Void> broadcast(String type, Map<String, ?> payload);

    /**
     * Sends an application message to one member.
     *
     * @return completes with whether the member was connected
     * @throws IllegalArgumentException if {@code type} is not an application type
     */
    CompletableFuture<Boolean> send(String deviceId, String type, Map<String, ?> payload);

    /**
     * Ends the session: every guest gets {@code SESSION_CLOSED {reason: "Host closed session"}} and
     * its connection closes with 1000. Idempotent.
     *
     * @return completes when the session is closed (the frames are handed to the transport; a server
     *         waits for them to be written when it stops)
     */
    CompletableFuture<Void> close();
}
