package dev.loudsync.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One open session: its members (a host and guests), what they may do, and the state they share.
 * Obtained from {@link SessionRegistry#open(SessionConfig)} (or a server built on it).
 *
 * <p>A LAN-hosted session's host is its host device, the program running the server; a
 * server-hosted session (1.1, {@link SessionConfig.Builder#serverHosted()}) has none: its first
 * member is the host, and the role passes on when the host leaves.
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

    /** The member with the host role; empty only for a server-hosted session without members. */
    Optional<Member> host();

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
     * Routes application messages of {@code type} to {@code handler}, whose result answers a
     * message that carries an {@code id} with {@code ACK} (1.1; see {@link RequestHandler}).
     * Replaces any handler registered before for the type.
     *
     * @throws IllegalArgumentException if {@code type} is not an application type
     */
    void respond(String type, RequestHandler handler);

    /**
     * Like {@link #respond(String, RequestHandler)}, with the payload bound to
     * {@code payloadType} (a record, for example) by the transport's binder (the Netty server's
     * binds with Jackson).
     *
     * @throws IllegalArgumentException if {@code type} is not an application type
     * @throws IllegalStateException    if the session's registry has no payload binder
     */
    <T> void respond(String type, Class<T> payloadType, PayloadHandler<T> handler);

    /**
     * Lets only members with one of {@code roles} send application messages of {@code type}
     * (1.1); anyone else gets {@code ERROR UNAUTHORIZED} and the handler does not run. Replaces an
     * earlier restriction of the type.
     *
     * @throws IllegalArgumentException if {@code type} is not an application type, or no role is given
     */
    void restrict(String type, Member.Role... roles);

    /**
     * Makes a guest a {@link Member.Role#COHOST cohost} or a {@link Member.Role#CLIENT client} (1.1):
     * every member gets {@code MEMBER_UPDATED}.
     *
     * @return completes with whether a guest other than the host had that id
     * @throws IllegalArgumentException for {@link Member.Role#HOST}: see {@link #transferHost}
     */
    CompletableFuture<Boolean> setRole(String deviceId, Member.Role role);

    /**
     * Hands the host role of a server-hosted session to another member (1.1): everyone gets
     * {@code HOST_CHANGED} ({@code "Transferred"}); the old host stays, as a client.
     *
     * @return completes with whether a member other than the host had that id
     * @throws IllegalStateException if the session has a host device
     */
    CompletableFuture<Boolean> transferHost(String deviceId);

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
     * Sends an application message to the members {@code delivery} names (1.1): some of them,
     * all but some, and/or droppable where a connection cannot take it at once.
     *
     * @throws IllegalArgumentException if {@code type} is not an application type
     */
    CompletableFuture<Void> broadcast(String type, Map<String, ?> payload, Delivery delivery);

    /**
     * Sends an application message to one member.
     *
     * @return completes with whether the member was connected
     * @throws IllegalArgumentException if {@code type} is not an application type
     */
    CompletableFuture<Boolean> send(String deviceId, String type, Map<String, ?> payload);

    /**
     * The shared state (1.1): a JSON object as plain, unmodifiable values (see
     * {@link dev.loudsync.core.protocol.ApplicationMessage}), never holding {@code null}. Initially
     * empty.
     */
    Map<String, Object> state();

    /** The shared state's version: 0 initially, one more with each change. */
    long stateVersion();

    /**
     * Changes the shared state with a JSON Merge Patch (RFC 7386): objects merge key by key,
     * {@code null} removes a key, arrays and other values replace. Guests with the {@code state}
     * capability get it as {@code STATE_PATCH}, encoded once for all. A patch that changes nothing
     * sends nothing and keeps the version.
     *
     * @param mergePatch plain JSON values ({@code Map}, {@code List}, {@code String},
     *                   {@code Number}, {@code Boolean}, and {@code null} to remove a key)
     * @return completes with the version after the change; completes exceptionally with
     *         {@link IllegalArgumentException}, changing nothing, if the patch holds something else
     *         (a {@code null} inside an array included) or the state would outgrow
     *         {@link SessionConfig#maxStateBytes()}
     */
    CompletableFuture<Long> patchState(Map<String, ?> mergePatch);

    /**
     * Ends the session: every guest gets {@code SESSION_CLOSED {reason: "Host closed session"}} and
     * its connection closes with 1000. Idempotent.
     *
     * @return completes when the session is closed (the frames are handed to the transport; a server
     *         waits for them to be written when it stops)
     */
    CompletableFuture<Void> close();

    /**
     * Like {@link #close()}, with {@code reason} in {@code SESSION_CLOSED}.
     *
     * @throws IllegalArgumentException if {@code reason} is longer than 200 characters
     */
    CompletableFuture<Void> close(String reason);
}
