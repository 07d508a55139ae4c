package dev.loudsync.examples.chat;

import dev.loudsync.core.Session;
import dev.loudsync.core.SessionCodes;
import dev.loudsync.netty.LoudSyncServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event chat on one {@link LoudSyncServer}: rooms kept in a {@link ChatStore}, each served,
 * while anyone is in it, by a server-hosted session whose id is the room id.
 *
 * <h2>Rooms open on demand</h2>
 * A room's session is opened by the first {@code JOIN} that names it (the server's
 * {@link LoudSyncServer.Builder#sessionOpener session opener}), also after a restart or after the
 * session closed while empty (its empty timeout, 60 s). So any client that sends a plain
 * {@code JOIN} reaches a room that exists, with no HTTP call first. The opener runs on a network
 * thread and must not wait for the database: the rooms are kept in memory (all of them: a name and
 * an id each), read at start and added to as they are created.
 *
 * <p>Thread-safe.
 */
final class ChatApp implements AutoCloseable {

    /** The chat's timings; the defaults are the contract's, tests shorten them. */
    record Settings(Duration tokenTtl, Duration typingTimeout, Duration emptyTimeout) {
        static final Settings DEFAULTS = new Settings(ChatTokens.DEFAULT_TTL, Duration.ofSeconds(5), Duration.ofSeconds(60));
    }

    private static final Logger log = LoggerFactory.getLogger(ChatApp.class);

    private final ChatStore store;
    private final ChatTokens tokens;
    private final Settings settings;
    private final Clock clock;
    private final ScheduledExecutorService timers;
    /** Every room, by normalized id (ids compare as session ids do). */
    private final Map<String, ChatRoomInfo> rooms = new ConcurrentHashMap<>();
    /** The rooms whose session is open, by normalized id. */
    private final Map<String, ChatRoom> live = new ConcurrentHashMap<>();
    private final LoudSyncServer server;

    /**
     * Reads the token key (made up and stored at the first start) and the rooms, waiting for the
     * database, and builds the server (not started) with the chat's web API and page.
     */
    ChatApp(LoudSyncServer.Builder builder, ChatStore store, Settings settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        String key = store.setting("token-key", store.randomHex(32)).join();
        this.tokens = new ChatTokens(HexFormat.of().parseHex(key), settings.tokenTtl());
        for (ChatRoomInfo room : store.rooms().join()) {
            rooms.put(SessionCodes.normalize(room.roomId()), room);
        }
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chat-timers");
            t.setDaemon(true);
            return t;
        });
        this.server = builder
                .maxRequestBodyBytes(64 << 10)
                .asyncWebHandler(new ChatApi(this))
                .sessionOpener(this::openRoom)
                .build();
    }

    LoudSyncServer server() {
        return server;
    }

    ChatTokens tokens() {
        return tokens;
    }

    Clock clock() {
        return clock;
    }

    /**
     * The session of the room {@code roomId}, opened now if it is not open; null for no such room.
     * The server's session opener: runs on a network thread, from memory.
     */
    synchronized Session openRoom(String roomId) {
        String key = SessionCodes.normalize(roomId);
        ChatRoomInfo info = rooms.get(key);
        if (info == null) {
            return null;
        }
        Optional<Session> open = server.session(roomId);
        if (open.isPresent()) {
            return open.get();
        }
        ChatRoom room = ChatRoom.open(info, store, tokens, clock, timers, settings.typingTimeout(),
                settings.emptyTimeout(), server::openSession);
        live.put(key, room);
        room.session().addListener(new dev.loudsync.core.SessionListener() {
            @Override
            public void sessionClosed(Session s) {
                live.remove(key, room);
            }
        });
        log.info("Room {} ({}) open", info.roomId(), info.name());
        return room.session();
    }

    /** Creates a room; completes once it is stored. */
    CompletableFuture<ChatRoomInfo> createRoom(String name, ChatUser creator) {
        return store.addRoom(name, creator, clock.millis()).thenApply(room -> {
            rooms.put(SessionCodes.normalize(room.roomId()), room);
            return room;
        });
    }

    /** The room with this id (compared as session ids are), if it exists. */
    Optional<ChatRoomInfo> room(String roomId) {
        return Optional.ofNullable(rooms.get(SessionCodes.normalize(roomId)));
    }

    /** Every room, oldest first, with how many are in it now. */
    List<Map<String, Object>> roomList() {
        List<ChatRoomInfo> all = new ArrayList<>(rooms.values());
        all.sort((a, b) -> a.createdAt() != b.createdAt() ? Long.compare(a.createdAt(), b.createdAt())
                : a.roomId().compareTo(b.roomId()));
        List<Map<String, Object>> list = new ArrayList<>();
        for (ChatRoomInfo room : all) {
            list.add(roomView(room));
        }
        return list;
    }

    /** One room as the API shows it: {@code {roomId, name, createdAt, members}}. */
    Map<String, Object> roomView(ChatRoomInfo room) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("roomId", room.roomId());
        m.put("name", room.name());
        m.put("createdAt", room.createdAt());
        m.put("members", server.session(room.roomId()).map(s -> s.members().size()).orElse(0));
        return m;
    }

    /**
     * Posts into a room from the server side: stored, then sent to whoever is in the room.
     *
     * @return completes with the message once stored (and handed to the room's session, if open)
     */
    CompletableFuture<ChatMessage> post(ChatRoomInfo room, ChatUser user, String text) {
        String key = SessionCodes.normalize(room.roomId());
        return store.addMessage(room.roomId(), user, text, clock.millis()).thenCompose(m -> {
            ChatRoom open = live.get(key);
            return open != null ? open.publish(m) : CompletableFuture.completedFuture(m);
        });
    }

    /** Stops the server (members get {@code SESSION_CLOSED}), the timers and the store. */
    @Override
    public void close() {
        try {
            server.stop().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Stopping the server: {}", e.toString());
        }
        timers.shutdownNow();
        store.close();
    }
}
