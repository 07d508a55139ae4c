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
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.protocol.MessageTypes;
import dev.loudsync.core.transport.Broadcaster;
import dev.loudsync.core.transport.Connection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One session: the {@link Session} API, and the wiring of the parts that run it, each owning its
 * own state: the {@link Roster} (members and their order), {@link Admission} (join checks,
 * approval, bans, resume), the {@link Inbox} (what connections say), the {@link Announcer} (what
 * members are told, batched or not), {@link Latency} and {@link Liveness} (the periodic tick).
 *
 * <h2>Threading</h2>
 * Everything but the API's entry points runs on the session's {@link SerialExecutor}, one task at a
 * time, so the parts need no locks and events come out in one total order. API calls queue a task
 * and return a future completed there; queries read volatile snapshots.
 *
 * <h2>Lifecycle</h2>
 * {@link State#OPEN} from creation until {@link #close()}, then {@link State#CLOSED} for good: the
 * members were told, the id is free, and later events change nothing.
 *
 * <h2>Invariants</h2>
 * A member's change is applied to the roster, then announced, then told to listeners, in that
 * order, within one task. A connection detached from the session ({@link #detach}) no longer
 * carries a membership or a request.
 */
public final class DefaultSession implements Session {

    enum State { OPEN, CLOSED }

    private final SessionConfig config;
    private final String key;
    private final SerialExecutor executor;
    private final TimeSource time;
    private final Broadcaster broadcaster;
    private final Consumer<DefaultSession> onClosed;
    private final long createdAtMillis;
    private final Listeners listeners = new Listeners(this);
    private final Roster roster;
    private final Announcer announcer;
    private final Admission admission;
    private final Latency latency;
    private final Inbox inbox;
    private final Liveness liveness;
    private volatile State state = State.OPEN;

    DefaultSession(SessionConfig config, String key, SerialExecutor executor, TimeSource time,
            Broadcaster broadcaster, Consumer<DefaultSession> onClosed) {
        this.config = config;
        this.key = key;
        this.executor = executor;
        this.time = time;
        this.broadcaster = broadcaster;
        this.onClosed = onClosed;
        this.createdAtMillis = time.currentTimeMillis();
        this.roster = new Roster(new Member(config.hostId(), config.hostName(), Member.Role.HOST,
                MemberStatus.CONNECTED, createdAtMillis, OptionalInt.empty()));
        this.announcer = new Announcer(config, time, executor, broadcaster, roster);
        this.admission = new Admission(this, roster, announcer, listeners);
        this.latency = new Latency(roster, Liveness.tickNanos(config),
                (m, millis) -> update(m, m.member().withLatencyMillis(OptionalInt.of(millis))));
        this.inbox = new Inbox(this, latency);
        this.liveness = new Liveness(this, executor, broadcaster, roster, admission, latency);
    }

    void start() {
        executor.execute(liveness::start);
    }

    // ------------------------------------------------------------------ Session, any thread

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
        return roster.snapshot();
    }

    @Override
    public boolean isOpen() {
        return state == State.OPEN;
    }

    @Override
    public void addListener(SessionListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(SessionListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void handle(String type, MessageHandler handler) {
        requireApplicationType(type);
        inbox.handle(type, handler);
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
        return call(() -> admission.approve(deviceId));
    }

    @Override
    public CompletableFuture<Boolean> deny(String deviceId) {
        Objects.requireNonNull(deviceId, "deviceId");
        return call(() -> admission.deny(deviceId));
    }

    @Override
    public List<JoinRequest> pendingRequests() {
        return admission.requests();
    }

    @Override
    public CompletableFuture<Void> broadcast(String type, Map<String, ?> payload) {
        ApplicationMessage message = applicationMessage(type, payload);
        return call(() -> {
            announcer.broadcast(message);
            return null;
        });
    }

    @Override
    public CompletableFuture<Boolean> send(String deviceId, String type, Map<String, ?> payload) {
        Objects.requireNonNull(deviceId, "deviceId");
        ApplicationMessage message = applicationMessage(type, payload);
        return call(() -> {
            MemberState m = roster.guest(deviceId);
            return m != null && announcer.send(m, message);
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
        return "Session{" + config.sessionId() + ", " + roster.snapshot().size() + "/" + config.maxMembers()
                + (isOpen() ? "" : ", closed") + '}';
    }

    // ------------------------------------------------------------------ for the parts

    String key() {
        return key;
    }

    TimeSource time() {
        return time;
    }

    long createdAtMillis() {
        return createdAtMillis;
    }

    Admission admission() {
        return admission;
    }

    Inbox inbox() {
        return inbox;
    }

    /** Runs {@code task} on the session's executor. */
    void execute(Runnable task) {
        executor.execute(task);
    }

    /**
     * Detaches a connection: later events of it are ignored, and a join request it had waiting is
     * withdrawn. The membership, if any, stays: callers remove it as they need.
     */
    void detach(GuestConnection c) {
        MemberState m = c.member();
        PendingJoin p = c.finish();
        if (p != null) {
            admission.withdraw(p);
        }
        if (m != null) {
            m.connectionGone(c);
        }
    }

    /** Removes a member and tells everyone; the caller closes its connection as it needs. */
    void remove(MemberState m, LeaveReason reason) {
        roster.remove(m);
        if (m.isConnected()) {
            detach(m.connection());
        }
        announcer.left(m.id(), reason);
        listeners.memberLeft(m.member(), reason);
    }

    /** A member's new state: applied, announced, told. */
    void update(MemberState m, Member newState) {
        m.update(newState);
        roster.changed();
        announceUpdate(m);
    }

    /** Announces and tells a member's state that is already on the roster. */
    void announceUpdate(MemberState m) {
        announcer.updated(m.member());
        listeners.memberUpdated(m.member());
    }

    // ------------------------------------------------------------------ executor-confined

    private CompletableFuture<Boolean> removeByHost(String deviceId, String reason, boolean ban) {
        Objects.requireNonNull(deviceId, "deviceId");
        if (deviceId.equals(config.hostId())) {
            throw new IllegalArgumentException("deviceId: " + deviceId + " is the host");
        }
        String text = reason == null ? "" : reason;
        return call(() -> {
            if (ban) {
                admission.ban(deviceId);
            }
            MemberState m = roster.guest(deviceId);
            if (m == null) {
                return admission.deny(deviceId);
            }
            GuestConnection c = m.connection();
            if (c != null) {
                detach(c);
                c.send(new HostMessage.Kicked(text));
                c.close(CloseCode.KICKED);
            }
            remove(m, LeaveReason.KICKED);
            return true;
        });
    }

    private void closeNow() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        liveness.stop();
        announcer.stop();
        List<Connection> to = roster.connections(null, false);
        for (MemberState m : roster.guests()) {
            if (m.awaitsWelcome() && m.isConnected()) {
                to.add(m.connection().connection()); // told, and closed, like the others
            }
        }
        for (GuestConnection c : admission.waitingConnections()) {
            to.add(c.connection());
            detach(c);
        }
        if (!to.isEmpty()) {
            broadcaster.broadcast(new HostMessage.SessionClosed(LeaveReason.SESSION_CLOSED.wireText()), to);
        }
        for (Connection c : to) {
            c.close(CloseCode.NORMAL);
        }
        List<MemberState> gone = roster.clear();
        for (MemberState m : gone) {
            if (m.isConnected()) {
                detach(m.connection());
            }
        }
        onClosed.accept(this);
        for (MemberState m : gone) {
            listeners.memberLeft(m.member(), LeaveReason.SESSION_CLOSED);
        }
        listeners.sessionClosed();
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
}
