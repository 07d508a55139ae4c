package dev.loudsync.core.internal;

import dev.loudsync.core.JoinRequest;
import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.MemberStatus;
import dev.loudsync.core.MessageHandler;
import dev.loudsync.core.SerialExecutor;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.SessionListener;
import dev.loudsync.core.TimeSource;
import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.Capability;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.protocol.MessageTypes;
import dev.loudsync.core.protocol.ProtocolRules;
import dev.loudsync.core.transport.Broadcaster;
import dev.loudsync.core.transport.Connection;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The membership state machine of one session.
 *
 * <p>Everything below the "executor-confined" line is touched only by tasks on {@link #executor}, so
 * there are no locks; the public methods queue tasks. Liveness is checked by one periodic task per
 * session (never a timer per member), which also sends the keep-alive probes and latency pings.
 *
 * <p>Decisions where the protocol leaves room (each keeps existing clients working):
 * <ul>
 *   <li>{@code MEMBER_UPDATED} goes to every connected member, the subject included, so that every
 *       view, the subject's own entry included, equals the host's list.</li>
 *   <li>A latency change is published only when it is material (from unknown, or by at least 10 ms
 *       and a quarter of the published value); {@link #members()} shows the published value, so
 *       views still equal the host's list exactly while jitter causes no traffic. Latency-only
 *       updates also share a budget of {@value #LATENCY_FRAMES_PER_SECOND} frames per second
 *       (each goes to every member): a session of up to about 70 members publishes at once,
 *       a larger one spreads the changes over the following ticks, oldest first, so that
 *       thousands of first measurements never turn into millions of frames. A session where one
 *       update costs more than a tick's budget (5,000 members at the default 5 s check interval)
 *       publishes only in the tick, beside the keep-alive pings, so that each member gets both
 *       in one write. Status changes
 *       (reconnecting) are never delayed. Past {@value #MAX_PROBES_PER_TICK} members, each tick's
 *       latency {@code PING} goes to a rotating share of them, not to everyone.</li>
 *   <li>A resume rotates the resume token (the new one is in the new {@code WELCOME}) and takes
 *       the new display name, announced with {@code MEMBER_UPDATED} if it changed.</li>
 *   <li>A guest with the {@code membersChanged} capability that joins while a batch window is
 *       open gets its {@code WELCOME} and {@code MEMBER_LIST} when the window flushes (at most the
 *       window later, 20 ms by default): all newcomers of the window share one list, encoded once,
 *       that already holds the whole window, instead of each getting its own list plus its own
 *       tail of the window's changes, which made a burst of N such joins cost O(N²) encodes.
 *       Application messages for it wait and follow its list, in order; a lone join is welcomed
 *       at once, as before.</li>
 *   <li>The same holds for guests without the capability in a join storm: past
 *       {@value #STORM_JOINS} joins inside one batch window, later newcomers are welcomed at its
 *       flush with the shared list. They still get {@code WELCOME}, {@code MEMBER_LIST} and then
 *       individual messages, as PROTOCOL.md describes; the list already holds the window's other
 *       newcomers, so they get no {@code MEMBER_JOINED} for them, and everyone else gets one per
 *       join as always. Without this, N guests joining at once made the host encode and queue N
 *       lists of up to N members (1.9 GB for 5,000), faster than any network drains them.</li>
 *   <li>A member closed for repeated protocol violations leaves with "Connection closed".</li>
 *   <li>Join requests waiting for approval do not count against {@code maxMembers}; capacity is
 *       checked again on approval.</li>
 * </ul>
 */
public final class DefaultSession implements Session {

    private static final Logger log = LoggerFactory.getLogger(DefaultSession.class);

    /** Joins in one batch window past which guests without the batching capability are held too. */
    static final int STORM_JOINS = 32;

    /**
     * Frames per second that latency-only {@code MEMBER_UPDATED}s may cost a session: each update
     * goes to every member, so at 1,000 members one round of first measurements alone would be
     * a million frames.
     */
    static final int LATENCY_FRAMES_PER_SECOND = 1_000;

    /**
     * Latency probes ({@code PING}) per tick at most: a larger session probes a rotating share of
     * its members each tick, since its latency budget could not publish more changes anyway.
     */
    static final int MAX_PROBES_PER_TICK = 1_000;
    private static final SecureRandom TOKENS = new SecureRandom();

    private final SessionConfig config;
    private final String key;
    private final SerialExecutor executor;
    private final TimeSource time;
    private final Broadcaster broadcaster;
    private final Consumer<DefaultSession> onClosed;
    private final BiConsumer<Connection, ErrorCode> onJoinRefused;
    private final CopyOnWriteArrayList<SessionListener> listeners = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, MessageHandler> handlers = new ConcurrentHashMap<>();
    private final long tickNanos;
    private volatile List<Member> snapshot;
    private volatile List<JoinRequest> pendingSnapshot = List.of();
    private volatile boolean open = true;

    // ---- executor-confined ----
    private final MemberState host;
    private final Map<String, MemberState> guestsById = new HashMap<>();
    /** Guests in list order; kept sorted (a join nearly always lands at the end). */
    private final ArrayList<MemberState> guests = new ArrayList<>();
    private final LinkedHashMap<String, PendingJoin> pending = new LinkedHashMap<>();
    private final Set<String> banned = new HashSet<>();
    private final MembershipBatcher batcher;
    /** Members with a material latency change waiting for the latency budget, oldest first. */
    private final ArrayDeque<MemberState> latencyQueue = new ArrayDeque<>();
    /** Frames that latency-only updates may still cost before the next tick. */
    private long latencyFrames;
    /** Ticks so far: which share of the members the latency probes go to. */
    private long probeRound;
    private Future<?> tick;
    private Future<?> flush;
    private long lastFlushNanos;
    private int joinsSinceFlush;
    private boolean closed;

    DefaultSession(SessionConfig config, String key, SerialExecutor executor, TimeSource time,
            Broadcaster broadcaster, Consumer<DefaultSession> onClosed,
            BiConsumer<Connection, ErrorCode> onJoinRefused) {
        this.config = config;
        this.key = key;
        this.executor = executor;
        this.time = time;
        this.broadcaster = broadcaster;
        this.onClosed = onClosed;
        this.onJoinRefused = onJoinRefused;
        this.host = new MemberState(new Member(config.hostId(), config.hostName(), Member.Role.HOST,
                MemberStatus.CONNECTED, time.currentTimeMillis(), OptionalInt.empty()));
        this.batcher = new MembershipBatcher();
        Duration third = config.heartbeatTimeout().dividedBy(3);
        Duration check = config.heartbeatCheckInterval();
        this.tickNanos = (check.compareTo(third) < 0 ? check : third).toNanos();
        this.lastFlushNanos = time.nanoTime() - config.batchWindow().toNanos();
        this.snapshot = List.of(host.member);
        this.latencyFrames = latencyFramesPerTick();
    }

    String key() {
        return key;
    }

    void start() {
        executor.execute(this::scheduleTick);
    }

    // ------------------------------------------------------------------ public API, any thread

    @Override
    public String id() {
        return config.sessionId();
    }

    @Override
    public SessionConfig config() {
        return config;
    }

    @Override
    public List<Member> members() {
        return snapshot;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void addListener(SessionListener listener) {
        listeners.addIfAbsent(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeListener(SessionListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void handle(String type, MessageHandler handler) {
        requireApplicationType(type);
        handlers.put(type, Objects.requireNonNull(handler, "handler"));
    }

    @Override
    public CompletableFuture<Boolean> kick(String deviceId, String reason) {
        return removeByHost(deviceId, reason, false);
    }

    @Override
    public CompletableFuture<Boolean> ban(String deviceId, String reason) {
        return removeByHost(deviceId, reason, true);
    }

    @Override
    public CompletableFuture<Boolean> approve(String deviceId) {
        Objects.requireNonNull(deviceId, "deviceId");
        return call(() -> {
            PendingJoin p = takePending(deviceId);
            if (p == null || p.connection().finished) {
                return false;
            }
            p.connection().pending = null;
            if (guestsById.containsKey(deviceId)) {
                refuse(p.connection(), ErrorCode.ALREADY_JOINED, "Already joined", CloseCode.ALREADY_JOINED);
                return false;
            }
            if (isFull()) {
                refuseFull(p.connection());
                return false;
            }
            admit(p.connection(), p.join());
            return true;
        });
    }

    @Override
    public CompletableFuture<Boolean> deny(String deviceId) {
        Objects.requireNonNull(deviceId, "deviceId");
        return call(() -> denyPending(deviceId));
    }

    @Override
    public List<JoinRequest> pendingRequests() {
        return pendingSnapshot;
    }

    @Override
    public CompletableFuture<Void> broadcast(String type, Map<String, ?> payload) {
        ApplicationMessage message = applicationMessage(type, payload);
        return call(() -> {
            List<Connection> to = connections(null, false);
            if (!to.isEmpty()) {
                broadcaster.broadcast(message, to);
            }
            for (MemberState m : guests) {
                if (m.welcomePending) {
                    m.holdUntilWelcome(message);
                }
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Boolean> send(String deviceId, String type, Map<String, ?> payload) {
        Objects.requireNonNull(deviceId, "deviceId");
        ApplicationMessage message = applicationMessage(type, payload);
        return call(() -> {
            MemberState m = guestsById.get(deviceId);
            if (m == null || m.connection == null) {
                return false;
            }
            if (m.welcomePending) {
                m.holdUntilWelcome(message);
            } else {
                m.connection.connection.send(message);
            }
            return true;
        });
    }

    @Override
    public CompletableFuture<Void> close() {
        return call(() -> {
            closeNow();
            return null;
        });
    }

    @Override
    public String toString() {
        return "Session{" + config.sessionId() + ", " + snapshot.size() + "/" + config.maxMembers()
                + (open ? "" : ", closed") + '}';
    }

    // ------------------------------------------------------------------ from GuestConnection

    void dispatchJoin(GuestConnection c, GuestMessage.Join join) {
        executor.execute(() -> onJoin(c, join));
    }

    /** {@code clearStrikes}: a heartbeat taken on the transport's thread came before this message. */
    void dispatchMessage(GuestConnection c, GuestMessage message, boolean clearStrikes) {
        executor.execute(() -> {
            if (clearStrikes) {
                c.strikes = 0;
            }
            onMessage(c, message);
        });
    }

    void dispatchInvalid(GuestConnection c, String type, String detail, boolean clearStrikes) {
        executor.execute(() -> {
            if (clearStrikes) {
                c.strikes = 0;
            }
            if (!c.finished) {
                c.lastSeenNanos = time.nanoTime();
                violation(c, ErrorCode.INVALID_MESSAGE, detail);
            }
        });
    }

    void dispatchSlow(GuestConnection c) {
        executor.execute(() -> {
            if (c.finished) {
                return;
            }
            MemberState m = c.member;
            drop(c);
            if (m != null) {
                remove(m, LeaveReason.SLOW);
            }
            c.connection.close(CloseCode.SLOW_CONSUMER);
        });
    }

    void dispatchClosed(GuestConnection c) {
        executor.execute(() -> onConnectionClosed(c));
    }

    // ------------------------------------------------------------------ executor-confined

    private void onJoin(GuestConnection c, GuestMessage.Join join) {
        if (c.finished) {
            return;
        }
        if (closed) {
            refuse(c, ErrorCode.SESSION_NOT_FOUND, "Session not found", CloseCode.SESSION_NOT_FOUND);
            return;
        }
        c.lastSeenNanos = time.nanoTime();
        String pin = config.pin().orElse(null);
        if (pin != null && !secretEquals(pin, join.pin())) {
            refuse(c, ErrorCode.UNAUTHORIZED, join.pin() == null ? "PIN required" : "Wrong PIN",
                    CloseCode.UNAUTHORIZED);
            return;
        }
        if (banned.contains(join.deviceId())) {
            refuse(c, ErrorCode.UNAUTHORIZED, "Device is banned from this session", CloseCode.UNAUTHORIZED);
            return;
        }
        MemberState existing = join.deviceId().equals(host.id()) ? host : guestsById.get(join.deviceId());
        if (existing != null) {
            if (existing != host && existing.resumeToken != null
                    && secretEquals(existing.resumeToken, join.resumeToken())) {
                resume(c, existing, join);
            } else {
                refuse(c, ErrorCode.ALREADY_JOINED, "Already joined", CloseCode.ALREADY_JOINED);
            }
            return;
        }
        if (pending.containsKey(join.deviceId())) {
            refuse(c, ErrorCode.ALREADY_JOINED, "Already joined", CloseCode.ALREADY_JOINED);
            return;
        }
        if (isFull()) {
            refuseFull(c);
            return;
        }
        if (config.requireApproval()) {
            JoinRequest request = new JoinRequest(join.deviceId(), join.deviceName(),
                    c.connection.remoteAddress(), time.currentTimeMillis());
            PendingJoin p = new PendingJoin(c, join, request);
            pending.put(join.deviceId(), p);
            c.pending = p;
            pendingSnapshot = pendingRequestList();
            c.connection.send(new HostMessage.JoinPending("Waiting for the host to approve"));
            for (SessionListener l : listeners) {
                notify(l, "joinRequested", () -> l.joinRequested(this, request));
            }
            return;
        }
        admit(c, join);
    }

    private void admit(GuestConnection c, GuestMessage.Join join) {
        long now = time.currentTimeMillis();
        MemberState m = new MemberState(new Member(join.deviceId(), join.deviceName(), Member.Role.CLIENT,
                MemberStatus.CONNECTED, now, OptionalInt.empty()));
        attach(m, c, join);
        guestsById.put(m.id(), m);
        int at = Collections.binarySearch(guests, m, MemberState.LIST_ORDER);
        guests.add(at < 0 ? -at - 1 : at, m);
        refreshSnapshot();
        joinsSinceFlush++;
        if (batchWindowOpen() && (m.batching || joinsSinceFlush > STORM_JOINS)) {
            m.welcomePending = true; // welcomed by the flush, with the window's other newcomers
        } else {
            welcome(m);
        }
        long seq = batcher.record(MembershipBatcher.Change.joined(m.member));
        m.baselineSeq = seq;
        sendIndividually(new HostMessage.MemberJoined(m.member), m);
        publishBatched();
        for (SessionListener l : listeners) {
            notify(l, "memberJoined", () -> l.memberJoined(this, m.member));
        }
    }

    private void resume(GuestConnection c, MemberState m, GuestMessage.Join join) {
        GuestConnection old = m.connection;
        if (old != null) {
            drop(old);
            old.connection.close(CloseCode.REPLACED);
        }
        attach(m, c, join);
        Member before = m.member;
        Member after = before.withStatus(MemberStatus.CONNECTED).withName(join.deviceName());
        if (!after.equals(before)) {
            m.member = after;
            refreshSnapshot();
        }
        welcome(m);
        m.baselineSeq = batcher.seq();
        if (!after.equals(before)) {
            publishUpdate(m);
        }
    }

    private void attach(MemberState m, GuestConnection c, GuestMessage.Join join) {
        m.connection = c;
        m.resumeToken = newToken();
        m.batching = join.capabilities().contains(Capability.MEMBERS_CHANGED);
        c.member = m;
        c.pending = null;
        c.strikes = 0;
        c.lastSeenNanos = time.nanoTime();
    }

    private void welcome(MemberState m) {
        sendWelcome(m);
        m.connection.connection.send(new HostMessage.MemberList(snapshot));
    }

    private void sendWelcome(MemberState m) {
        m.connection.connection.send(new HostMessage.Welcome(config.sessionId(), config.name(), host.id(),
                host.member.name(), m.id(), ProtocolRules.MAJOR_VERSION, time.currentTimeMillis(),
                config.heartbeatInterval().toMillis(), config.heartbeatTimeout().toMillis(), config.maxMembers(),
                m.resumeToken));
    }

    private void onMessage(GuestConnection c, GuestMessage message) {
        if (c.finished) {
            return;
        }
        if (c.pending != null) {
            onPendingMessage(c, message);
            return;
        }
        MemberState m = c.member;
        if (m == null) {
            return;
        }
        if (message instanceof GuestMessage.Heartbeat) {
            onHeartbeat(c, m, (GuestMessage.Heartbeat) message);
            return;
        }
        c.lastSeenNanos = time.nanoTime();
        if (message instanceof GuestMessage.Ping) {
            c.strikes = 0;
            c.connection.send(new HostMessage.Pong(((GuestMessage.Ping) message).timestamp(),
                    time.currentTimeMillis()));
        } else if (message instanceof GuestMessage.Pong) {
            c.strikes = 0;
            onPong(m, (GuestMessage.Pong) message);
        } else if (message instanceof GuestMessage.Leave) {
            drop(c);
            remove(m, LeaveReason.LEFT);
            c.connection.close(CloseCode.NORMAL);
        } else if (message instanceof GuestMessage.Join) {
            violation(c, ErrorCode.ALREADY_JOINED, "Already joined");
        } else if (message instanceof ApplicationMessage) {
            onApplicationMessage(c, m, (ApplicationMessage) message);
        }
    }

    private void onPendingMessage(GuestConnection c, GuestMessage message) {
        c.lastSeenNanos = time.nanoTime();
        if (message instanceof GuestMessage.Ping) {
            c.connection.send(new HostMessage.Pong(((GuestMessage.Ping) message).timestamp(),
                    time.currentTimeMillis()));
        } else if (message instanceof GuestMessage.Leave) {
            drop(c);
            c.connection.close(CloseCode.NORMAL);
        } else if (message instanceof GuestMessage.Join) {
            violation(c, ErrorCode.ALREADY_JOINED, "Already joined");
        } else {
            violation(c, ErrorCode.UNAUTHORIZED, "Join the session first");
        }
    }

    private void onHeartbeat(GuestConnection c, MemberState m, GuestMessage.Heartbeat heartbeat) {
        if (!m.id().equals(heartbeat.deviceId())) {
            violation(c, ErrorCode.UNAUTHORIZED, "Heartbeat for another device");
            return;
        }
        c.lastSeenNanos = time.nanoTime();
        c.strikes = 0;
        Long latency = heartbeat.latencyMillis();
        if (latency != null && !m.latencyMeasuredByHost && ProtocolRules.isLatency(latency)) {
            updateLatency(m, latency.intValue());
        }
    }

    private void onPong(MemberState m, GuestMessage.Pong pong) {
        Long sent = pong.pingTimestamp();
        if (sent == null) {
            return;
        }
        long rtt = time.currentTimeMillis() - sent;
        if (ProtocolRules.isLatency(rtt) && sent >= host.member.joinedAt()) {
            m.latencyMeasuredByHost = true;
            updateLatency(m, (int) rtt);
        }
    }

    private void updateLatency(MemberState m, int latency) {
        OptionalInt published = m.member.latencyMillis();
        if (published.isPresent()) {
            int old = published.getAsInt();
            int delta = Math.abs(latency - old);
            if (delta < 10 || delta * 4 < old) {
                m.pendingLatency = -1; // back near the published value: nothing to announce
                return;
            }
        }
        if (latencyAffordable() && latencyUpdateCost() <= latencyFramesPerTick()) {
            publishLatency(m, latency);
        } else {
            if (m.pendingLatency < 0) {
                latencyQueue.add(m);
            }
            m.pendingLatency = latency;
        }
    }

    private boolean latencyAffordable() {
        return latencyFrames >= latencyUpdateCost();
    }

    private void publishLatency(MemberState m, int latency) {
        latencyFrames -= latencyUpdateCost();
        m.pendingLatency = -1;
        m.member = m.member.withLatencyMillis(OptionalInt.of(latency));
        refreshSnapshot();
        publishUpdate(m);
    }

    /**
     * Adds a tick's worth to the latency budget ({@link #LATENCY_FRAMES_PER_SECOND} times the tick
     * interval; an update costs one frame per member) and spends it on the changes that waited
     * longest. Unspent budget is kept up to one tick's worth, or one update when that costs more,
     * so that a session too large for one update per tick still gets one every few ticks.
     */
    private void renewLatencyBudget() {
        long perTick = latencyFramesPerTick();
        latencyFrames = Math.min(latencyFrames + perTick, Math.max(perTick, latencyUpdateCost()));
        while (!latencyQueue.isEmpty() && latencyAffordable()) {
            MemberState m = latencyQueue.poll();
            if (m.pendingLatency >= 0 && guestsById.get(m.id()) == m) {
                publishLatency(m, m.pendingLatency);
            }
        }
    }

    /** Frames one latency update is counted as: one per member, the host included. */
    private int latencyUpdateCost() {
        return guests.size() + 1;
    }

    private long latencyFramesPerTick() {
        return LATENCY_FRAMES_PER_SECOND * tickNanos / 1_000_000_000L;
    }

    private void onApplicationMessage(GuestConnection c, MemberState m, ApplicationMessage message) {
        MessageHandler handler = handlers.get(message.type());
        if (handler == null) {
            violation(c, ErrorCode.INVALID_MESSAGE, "Unknown message type: " + message.type());
            return;
        }
        c.strikes = 0;
        try {
            handler.onMessage(this, m.member, message);
        } catch (RuntimeException e) {
            log.warn("Handler for {} in session {} failed", message.type(), config.sessionId(), e);
        }
    }

    private void onConnectionClosed(GuestConnection c) {
        if (c.finished) {
            return;
        }
        MemberState m = c.member;
        drop(c);
        if (m == null) {
            return;
        }
        if (config.reconnectGrace().isZero()) {
            remove(m, LeaveReason.CONNECTION_LOST);
            return;
        }
        m.connection = null;
        m.graceDeadlineNanos = time.nanoTime() + config.reconnectGrace().toNanos();
        m.member = m.member.withStatus(MemberStatus.RECONNECTING);
        refreshSnapshot();
        publishUpdate(m);
    }

    private CompletableFuture<Boolean> removeByHost(String deviceId, String reason, boolean ban) {
        Objects.requireNonNull(deviceId, "deviceId");
        if (deviceId.equals(config.hostId())) {
            throw new IllegalArgumentException("deviceId: " + deviceId + " is the host");
        }
        String text = reason == null ? "" : reason;
        return call(() -> {
            if (ban) {
                banned.add(deviceId);
            }
            MemberState m = guestsById.get(deviceId);
            if (m == null) {
                return denyPending(deviceId);
            }
            GuestConnection c = m.connection;
            if (c != null) {
                drop(c);
                c.connection.send(new HostMessage.Kicked(text));
                c.connection.close(CloseCode.KICKED);
            }
            remove(m, LeaveReason.KICKED);
            return true;
        });
    }

    private boolean denyPending(String deviceId) {
        PendingJoin p = takePending(deviceId);
        if (p == null) {
            return false;
        }
        p.connection().pending = null;
        refuse(p.connection(), ErrorCode.UNAUTHORIZED, "Join request denied", CloseCode.UNAUTHORIZED);
        return true;
    }

    private PendingJoin takePending(String deviceId) {
        PendingJoin p = pending.remove(deviceId);
        if (p != null) {
            pendingSnapshot = pendingRequestList();
        }
        return p;
    }

    private List<JoinRequest> pendingRequestList() {
        List<JoinRequest> list = new ArrayList<>(pending.size());
        for (PendingJoin p : pending.values()) {
            list.add(p.request());
        }
        return List.copyOf(list);
    }

    /** Removes a member and tells the others; the caller closes the connection as it needs. */
    private void remove(MemberState m, LeaveReason reason) {
        guestsById.remove(m.id());
        int at = Collections.binarySearch(guests, m, MemberState.LIST_ORDER);
        if (at >= 0) {
            guests.remove(at);
        }
        if (m.connection != null) {
            drop(m.connection);
        }
        refreshSnapshot();
        batcher.record(MembershipBatcher.Change.left(m.id(), reason));
        sendIndividually(new HostMessage.MemberLeft(m.id(), reason), null);
        publishBatched();
        for (SessionListener l : listeners) {
            notify(l, "memberLeft", () -> l.memberLeft(this, m.member, reason));
        }
    }

    private void publishUpdate(MemberState m) {
        batcher.record(MembershipBatcher.Change.updated(m.member));
        sendIndividually(new HostMessage.MemberUpdated(m.member), null);
        publishBatched();
        for (SessionListener l : listeners) {
            notify(l, "memberUpdated", () -> l.memberUpdated(this, m.member));
        }
    }

    /**
     * Detaches a connection from the session: later events of it are ignored, and a join request it
     * had waiting is withdrawn. The membership, if any, stays: callers remove it as they need.
     */
    private void drop(GuestConnection c) {
        c.finished = true;
        PendingJoin p = c.pending;
        if (p != null) {
            c.pending = null;
            if (pending.get(p.join().deviceId()) == p) {
                takePending(p.join().deviceId());
            }
        }
        MemberState m = c.member;
        if (m != null && m.connection == c) {
            m.connection = null;
        }
        c.member = null;
    }

    private void refuse(GuestConnection c, ErrorCode code, String message, CloseCode close) {
        drop(c);
        c.connection.send(new HostMessage.Error(code, message));
        c.connection.close(close);
        onJoinRefused.accept(c.connection, code);
    }

    private void refuseFull(GuestConnection c) {
        refuse(c, ErrorCode.SESSION_FULL, "Session is full (" + (guests.size() + 1) + "/"
                + config.maxMembers() + ")", CloseCode.SESSION_FULL);
    }

    private void violation(GuestConnection c, ErrorCode code, String message) {
        c.connection.send(new HostMessage.Error(code, message));
        if (++c.strikes >= GuestConnection.MAX_STRIKES) {
            MemberState m = c.member;
            drop(c);
            if (m != null) {
                remove(m, LeaveReason.CONNECTION_LOST);
            }
            c.connection.close(CloseCode.INVALID_JOIN);
        }
    }

    private boolean isFull() {
        return guests.size() + 1 >= config.maxMembers();
    }

    // ---- delivery

    /** Sends to every connected guest that does not batch, except {@code except}. */
    private void sendIndividually(HostMessage message, MemberState except) {
        List<Connection> to = connections(except, true);
        if (!to.isEmpty()) {
            broadcaster.broadcast(message, to);
        }
    }

    /** Connected guests, except {@code except} and those whose WELCOME waits for the batch flush. */
    private List<Connection> connections(MemberState except, boolean nonBatchingOnly) {
        List<Connection> to = new ArrayList<>(guests.size());
        for (MemberState m : guests) {
            if (m != except && m.connection != null && !m.welcomePending && !(nonBatchingOnly && m.batching)) {
                to.add(m.connection.connection);
            }
        }
        return to;
    }

    /** Whether a change recorded now would be held for the window rather than sent at once. */
    private boolean batchWindowOpen() {
        return flush != null || lastFlushNanos + config.batchWindow().toNanos() - time.nanoTime() > 0;
    }

    /**
     * Sends recorded changes to batching guests: at once when the batcher was quiet for a window
     * (a lone change), otherwise when the window that is open ends.
     */
    private void publishBatched() {
        if (flush != null) {
            return;
        }
        long now = time.nanoTime();
        long window = config.batchWindow().toNanos();
        long due = lastFlushNanos + window - now;
        if (due <= 0) {
            flushBatch();
        } else {
            flush = executor.schedule(() -> {
                flush = null;
                flushBatch();
            }, Duration.ofNanos(due));
        }
    }

    private void flushBatch() {
        joinsSinceFlush = 0;
        if (!batcher.hasChanges()) {
            return;
        }
        lastFlushNanos = time.nanoTime();
        // Newcomers of the window: their WELCOME, one MEMBER_LIST for all (encoded once), then
        // what was held for each.
        List<MemberState> newcomers = null;
        for (MemberState m : guests) {
            if (m.welcomePending) {
                m.welcomePending = false;
                m.baselineSeq = batcher.seq();
                if (m.connection != null) {
                    sendWelcome(m);
                    newcomers = add(newcomers, m);
                } else {
                    m.takeHeld(); // gone before its welcome: nothing to deliver
                }
            }
        }
        if (newcomers != null) {
            List<Connection> to = new ArrayList<>(newcomers.size());
            for (MemberState m : newcomers) {
                to.add(m.connection.connection);
            }
            broadcaster.broadcast(new HostMessage.MemberList(snapshot), to);
            for (MemberState m : newcomers) {
                List<HostMessage> held = m.takeHeld();
                if (held != null) {
                    held.forEach(m.connection.connection::send);
                }
            }
        }
        Map<Long, List<Connection>> byBaseline = new HashMap<>();
        for (MemberState m : guests) {
            if (m.batching && m.connection != null && batcher.hasChangesAfter(m.baselineSeq)) {
                byBaseline.computeIfAbsent(batcher.effectiveBaseline(m.baselineSeq), k -> new ArrayList<>())
                        .add(m.connection.connection);
            }
        }
        for (Map.Entry<Long, List<Connection>> e : byBaseline.entrySet()) {
            broadcaster.broadcast(batcher.changesAfter(e.getKey()), e.getValue());
        }
        batcher.clear();
    }

    // ---- liveness

    private void scheduleTick() {
        if (!closed) {
            tick = executor.schedule(this::tick, Duration.ofNanos(tickNanos));
        }
    }

    private void tick() {
        if (closed) {
            return;
        }
        long now = time.nanoTime();
        long timeout = config.heartbeatTimeout().toNanos();
        List<MemberState> silent = null;
        List<MemberState> graceOver = null;
        for (MemberState m : guests) {
            if (m.connection != null) {
                if (now - m.connection.lastSeenNanos >= timeout) {
                    silent = add(silent, m);
                }
            } else if (now - m.graceDeadlineNanos >= 0) {
                graceOver = add(graceOver, m);
            }
        }
        if (silent != null) {
            for (MemberState m : silent) {
                GuestConnection c = m.connection;
                drop(c);
                remove(m, LeaveReason.TIMED_OUT);
                c.connection.close(CloseCode.HEARTBEAT_TIMEOUT);
            }
        }
        if (graceOver != null) {
            for (MemberState m : graceOver) {
                remove(m, LeaveReason.CONNECTION_LOST);
            }
        }
        List<PendingJoin> silentPending = null;
        for (PendingJoin p : pending.values()) {
            if (now - p.connection().lastSeenNanos >= timeout) {
                silentPending = add(silentPending, p);
            } else {
                p.connection().connection.sendKeepAlive();
            }
        }
        if (silentPending != null) {
            for (PendingJoin p : silentPending) {
                drop(p.connection());
                p.connection().connection.close(CloseCode.HEARTBEAT_TIMEOUT);
            }
        }
        renewLatencyBudget();
        List<Connection> connected = connections(null, false);
        for (Connection c : connected) {
            c.sendKeepAlive();
        }
        if (config.latencyProbes() && !connected.isEmpty()) {
            broadcaster.broadcast(HostMessage.Ping.INSTANCE, probed(connected));
        }
        scheduleTick();
    }

    /** All of {@code connected}, or this tick's share of it when there are too many to probe. */
    private List<Connection> probed(List<Connection> connected) {
        int shares = (connected.size() + MAX_PROBES_PER_TICK - 1) / MAX_PROBES_PER_TICK;
        if (shares <= 1) {
            return connected;
        }
        int share = (int) (probeRound++ % shares);
        List<Connection> some = new ArrayList<>(MAX_PROBES_PER_TICK);
        for (int i = share; i < connected.size(); i += shares) {
            some.add(connected.get(i));
        }
        return some;
    }

    private static <T> List<T> add(List<T> list, T item) {
        List<T> l = list != null ? list : new ArrayList<>();
        l.add(item);
        return l;
    }

    private void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        open = false;
        if (tick != null) {
            tick.cancel(false);
        }
        if (flush != null) {
            flush.cancel(false);
            flush = null;
        }
        List<Connection> to = connections(null, false);
        for (MemberState m : guests) {
            if (m.welcomePending && m.connection != null) {
                to.add(m.connection.connection); // told, and closed, like the others
            }
        }
        for (PendingJoin p : new ArrayList<>(pending.values())) {
            to.add(p.connection().connection);
            drop(p.connection());
        }
        if (!to.isEmpty()) {
            broadcaster.broadcast(new HostMessage.SessionClosed(LeaveReason.SESSION_CLOSED.wireText()), to);
        }
        for (Connection c : to) {
            c.close(CloseCode.NORMAL);
        }
        List<MemberState> gone = new ArrayList<>(guests);
        for (MemberState m : gone) {
            if (m.connection != null) {
                drop(m.connection);
            }
        }
        guests.clear();
        guestsById.clear();
        refreshSnapshot();
        onClosed.accept(this);
        for (MemberState m : gone) {
            for (SessionListener l : listeners) {
                notify(l, "memberLeft", () -> l.memberLeft(this, m.member, LeaveReason.SESSION_CLOSED));
            }
        }
        for (SessionListener l : listeners) {
            notify(l, "sessionClosed", () -> l.sessionClosed(this));
        }
    }

    // ---- helpers

    private void refreshSnapshot() {
        Member[] list = new Member[guests.size() + 1];
        list[0] = host.member;
        for (int i = 0; i < guests.size(); i++) {
            list[i + 1] = guests.get(i).member;
        }
        snapshot = Collections.unmodifiableList(Arrays.asList(list));
    }

    private <T> CompletableFuture<T> call(Supplier<T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                result.complete(action.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private void notify(SessionListener listener, String event, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("Listener {} failed on {} in session {}", listener, event, config.sessionId(), e);
        }
    }

    private static ApplicationMessage applicationMessage(String type, Map<String, ?> payload) {
        requireApplicationType(type);
        @SuppressWarnings("unchecked")
        Map<String, Object> body = payload == null ? Map.of() : (Map<String, Object>) payload;
        return new ApplicationMessage(type, body);
    }

    private static void requireApplicationType(String type) {
        Objects.requireNonNull(type, "type");
        if (!MessageTypes.isApplicationType(type)) {
            throw new IllegalArgumentException("type: " + type
                    + " (expected: upper case [A-Z][A-Z0-9_]*, not a protocol type)");
        }
    }

    private static boolean secretEquals(String expected, String given) {
        if (given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                given.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String newToken() {
        byte[] bytes = new byte[18];
        TOKENS.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
