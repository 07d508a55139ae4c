package dev.loudsync.examples.chat;

import dev.loudsync.core.AuthDecision;
import dev.loudsync.core.Delivery;
import dev.loudsync.core.JoinAttempt;
import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.RequestRejectedException;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.SessionListener;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * One room's live session: who may join, messages, typing, and the history a newcomer gets.
 *
 * <h2>History without gaps or repeats</h2>
 * The room keeps its last {@value #HISTORY_SIZE} messages in memory (read from the database when
 * the session opens; a join waits for that). A newcomer's {@code HISTORY} is a snapshot of them,
 * and from that moment it is on the room's list of {@code ready} members, to which every later
 * {@code NEW_MESSAGE} (and typing news) goes, by name. Both steps happen under the room's lock, as
 * does adding a stored message to the memory and choosing its recipients, and the session runs
 * its tasks in the order they were given: so each message reaches a newcomer exactly once, in its
 * {@code HISTORY} or as {@code NEW_MESSAGE} after it, and nothing of the room comes between its
 * {@code MEMBER_LIST} and its {@code HISTORY}.
 *
 * <h2>Threads</h2>
 * Handlers and listeners run on the session's thread and never touch the database there: writes go
 * to {@link ChatStore}'s thread, which publishes what it stored. The lock guards {@link #recent}
 * and {@link #ready}.
 */
final class ChatRoom implements SessionListener {

    /** How many messages a newcomer's {@code HISTORY} holds at most. */
    static final int HISTORY_SIZE = 50;
    /** The longest message, in characters (code points) after trimming. */
    static final int MAX_TEXT_CHARS = 1000;

    /** {@code SEND_MESSAGE}'s payload. */
    record SendMessage(String text) {
    }

    private final ChatRoomInfo info;
    private final ChatStore store;
    private final ChatTokens tokens;
    private final Clock clock;
    private final Typing typing;
    private final CompletableFuture<Void> loaded;
    private final ArrayDeque<ChatMessage> recent = new ArrayDeque<>();
    private final Set<String> ready = new LinkedHashSet<>();
    private Session session;

    private ChatRoom(ChatRoomInfo info, ChatStore store, ChatTokens tokens, Clock clock, ScheduledExecutorService timers,
            Duration typingTimeout) {
        this.info = info;
        this.store = store;
        this.tokens = tokens;
        this.clock = clock;
        this.typing = new Typing(typingTimeout, timers, System::nanoTime, this::clearTyping);
        this.loaded = store.recentMessages(info.roomId(), HISTORY_SIZE).thenAccept(this::remember);
    }

    /**
     * Opens the room's session with {@code open} (the server's {@code openSession}) and installs
     * its handlers; the history starts loading at once.
     *
     * @param emptyTimeout how long the session stays open without members
     */
    static ChatRoom open(ChatRoomInfo info, ChatStore store, ChatTokens tokens, Clock clock, ScheduledExecutorService timers,
            Duration typingTimeout, Duration emptyTimeout, Function<SessionConfig, Session> open) {
        ChatRoom room = new ChatRoom(info, store, tokens, clock, timers, typingTimeout);
        Session s = open.apply(SessionConfig.builder()
                .sessionId(info.roomId())
                .name(info.name())
                .serverHosted()
                .maxMembers(1000)
                .emptyTimeout(emptyTimeout)
                .authenticator(room::authenticate)
                .build());
        room.session = s;
        s.addListener(room);
        s.respond("SEND_MESSAGE", SendMessage.class, (session, sender, p) -> room.send(sender, p));
        s.respond("TYPING", (session, sender, m) -> room.typing(sender));
        s.respond("STOP_TYPING", (session, sender, m) -> room.stopTyping(sender));
        return room;
    }

    ChatRoomInfo info() {
        return info;
    }

    Session session() {
        return session;
    }

    /**
     * Adds a stored message to the room's memory and sends it to every ready member. Called on
     * the store's thread, in the order messages were stored.
     *
     * @return completes when the session has sent it
     */
    CompletableFuture<ChatMessage> publish(ChatMessage m) {
        Delivery to;
        synchronized (this) {
            if (!add(m)) {
                return CompletableFuture.completedFuture(m);
            }
            to = Delivery.to(List.copyOf(ready));
        }
        return session.broadcast("NEW_MESSAGE", m.toPayload(), to).thenApply(v -> m);
    }

    /** The token check: a valid token, for the device's user; then the name is the token's. */
    private CompletionStage<AuthDecision> authenticate(JoinAttempt attempt) {
        Optional<ChatUser> user = attempt.credentialIfAny().flatMap(tokens::verify);
        if (attempt.credential() == null) {
            return CompletableFuture.completedFuture(AuthDecision.refuse("Sign in first: JOIN.auth carries the token"));
        }
        if (user.isEmpty()) {
            return CompletableFuture.completedFuture(AuthDecision.refuse("Invalid or expired token"));
        }
        if (!ChatUsers.ownsDevice(user.get().userId(), attempt.deviceId())) {
            return CompletableFuture.completedFuture(
                    AuthDecision.refuse("deviceId must be the token's userId, or start with it and ':'"));
        }
        return loaded.thenApply(v -> AuthDecision.accept().withName(user.get().name()));
    }

    @Override
    public void memberJoined(Session s, Member member) {
        List<Map<String, Object>> history = new ArrayList<>();
        synchronized (this) {
            for (ChatMessage m : recent) {
                history.add(m.toPayload());
            }
            s.send(member.id(), "HISTORY", Map.of("messages", history));
            ready.add(member.id());
        }
    }

    @Override
    public void memberLeft(Session s, Member member, LeaveReason reason) {
        synchronized (this) {
            ready.remove(member.id());
        }
        if (typing.stopped(member.id())) {
            announceStopped(member.id());
        }
    }

    @Override
    public void sessionClosed(Session s) {
        typing.close();
    }

    /**
     * A message's text, trimmed.
     *
     * @throws RequestRejectedException {@code INVALID_MESSAGE} unless it has 1 to
     *                                  {@value #MAX_TEXT_CHARS} characters after trimming
     */
    static String text(String typed) {
        String text = typed == null ? "" : typed.strip();
        int chars = text.codePointCount(0, text.length());
        if (chars < 1 || chars > MAX_TEXT_CHARS) {
            throw new RequestRejectedException("INVALID_MESSAGE",
                    "text: " + chars + " characters after trimming (expected: 1-" + MAX_TEXT_CHARS + ")");
        }
        return text;
    }

    private Object send(Member sender, SendMessage p) {
        String text = text(p.text());
        if (typing.stopped(sender.id())) {
            announceStopped(sender.id());
        }
        return store.addMessage(info.roomId(), ChatUsers.of(sender), text, clock.millis())
                .thenCompose(this::publish)
                .thenApply(m -> Map.of("messageId", m.id()));
    }

    private Object typing(Member sender) {
        typing.typing(sender.id());
        ChatUser user = ChatUsers.of(sender);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("userId", user.userId());
        payload.put("userName", user.name());
        session.broadcast("USER_TYPING", payload, toOthers(sender.id()));
        return null;
    }

    private Object stopTyping(Member sender) {
        if (typing.stopped(sender.id())) {
            announceStopped(sender.id());
        }
        return null;
    }

    private void clearTyping(String deviceId) {
        announceStopped(deviceId);
    }

    private void announceStopped(String deviceId) {
        int colon = deviceId.indexOf(':');
        String userId = colon < 0 ? deviceId : deviceId.substring(0, colon);
        session.broadcast("USER_STOPPED_TYPING", Map.of("userId", userId), toOthers(deviceId));
    }

    /** The ready members but {@code deviceId}, droppable: typing news is stale a moment later. */
    private synchronized Delivery toOthers(String deviceId) {
        return Delivery.to(List.copyOf(ready)).excluding(deviceId).droppable();
    }

    /** Takes the stored history, keeping what was published meanwhile and is newer. */
    private synchronized void remember(List<ChatMessage> stored) {
        List<ChatMessage> published = new ArrayList<>(recent);
        recent.clear();
        stored.forEach(this::add);
        published.forEach(this::add);
    }

    /** Adds {@code m} unless the memory has it already (a message stored while the room opened). */
    private boolean add(ChatMessage m) {
        ChatMessage last = recent.peekLast();
        if (last != null && m.id() <= last.id()) {
            return false;
        }
        recent.addLast(m);
        while (recent.size() > HISTORY_SIZE) {
            recent.removeFirst();
        }
        return true;
    }
}
