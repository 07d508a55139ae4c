package dev.loudsync.core.internal;

import dev.loudsync.core.Delivery;
import dev.loudsync.core.JoinRequest;
import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.MemberStatus;
import dev.loudsync.core.MessageHandler;
import dev.loudsync.core.PayloadHandler;
import dev.loudsync.core.RequestHandler;
import dev.loudsync.core.SerialExecutor;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.SessionListener;
import dev.loudsync.core.TimeSource;
import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.transport.Broadcaster;
import dev.loudsync.core.transport.PayloadBinder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One session: the {@link Session} API, and the wiring of the parts that run it, each owning its
 * own state: the {@link Roster} (members and their order), {@link Admission} (join checks,
 * authentication, approval, bans, resume), {@link Hosting} (roles, the host and its succession,
 * control messages), the {@link Inbox} (what connections say), {@link Requests} (answers to
 * messages with an id), the {@link Announcer} (what members are told, batched or not),
 * {@link SharedState}, {@link Latency} and {@link Liveness} (the periodic tick).
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
 * order, within one task ({@link Membership}).
 */
public final class DefaultSession implements Session {

    enum State { OPEN, CLOSED }

    private final SessionConfig config;
    private final String key;
    private final SerialExecutor executor;
    private final TimeSource time;
    private final Consumer<DefaultSession> onClosed;
    private final long createdAtMillis;
    private final Listeners listeners = new Listeners(this);
    private final Roster roster;
    private final Announcer announcer;
    private final Membership membership;
    private final SharedState sharedState;
    private final Hosting hosting;
    private final Admission admission;
    private final Requests requests;
    private final Handlers handlers;
    private final Inbox inbox;
    private final Liveness liveness;
    private volatile State state = State.OPEN;

    /**
     * @param joinTimeout how long a join may wait for the session's authenticator: the server's
     *                    join timeout
     * @param binder      binds payloads for typed handlers; null if the transport has none
     */
    DefaultSession(SessionConfig config, String key, SerialExecutor executor, TimeSource time,
            Broadcaster broadcaster, Duration joinTimeout, PayloadBinder binder, Consumer<DefaultSession> onClosed) {
        this.config = config;
        this.key = key;
        this.executor = executor;
        this.time = time;
        this.onClosed = onClosed;
        this.createdAtMillis = time.currentTimeMillis();
        this.roster = new Roster(config.isServerHosted() ? null : new Member(config.hostId(), config.hostName(),
                Member.Role.HOST, MemberStatus.CONNECTED, createdAtMillis, OptionalInt.empty()));
        this.sharedState = new SharedState(config.maxStateBytes());
        this.announcer = new Announcer(config, time, executor, broadcaster, roster, sharedState::current);
        this.membership = new Membership(roster, announcer, listeners);
        this.hosting = new Hosting(this, roster, announcer, listeners);
        this.admission = new Admission(this, executor, joinTimeout, roster, announcer, hosting, listeners);
        Latency latency = new Latency(roster, Liveness.periodNanos(config), (m, millis, everyone) ->
                membership.latencyChanged(m, m.member().withLatencyMillis(OptionalInt.of(millis)), everyone));
        this.requests = new Requests(config.sessionId(), executor, time, announcer);
        this.handlers = new Handlers(this, binder);
        this.inbox = new Inbox(this, latency, hosting, requests, handlers);
        this.liveness = new Liveness(this, executor, broadcaster, roster, admission, latency);
        membership.wire(admission, hosting, liveness);
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
    public Optional<Member> host() {
        List<Member> members = roster.snapshot();
        return members.isEmpty() || !members.get(0).isHost() ? Optional.empty() : Optional.of(members.get(0));
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
        handlers.handle(type, handler);
    }

    @Override
    public void respond(String type, RequestHandler handler) {
        handlers.respond(type, handler);
    }

    @Override
    public <T> void respond(String type, Class<T> payloadType, PayloadHandler<T> handler) {
        handlers.respond(type, payloadType, handler);
    }

    @Override
    public void restrict(String type, Member.Role... roles) {
        hosting.restrict(type, roles);
    }

    @Override
    public CompletableFuture<Boolean> setRole(String deviceId, Member.Role role) {
        Objects.requireNonNull(deviceId, "deviceId");
        if (Objects.requireNonNull(role, "role") == Member.Role.HOST) {
            throw new IllegalArgumentException("role: HOST (expected: COHOST or CLIENT; use transferHost)");
        }
        return call(() -> hosting.setRole(deviceId, role));
    }

    @Override
    public CompletableFuture<Boolean> transferHost(String deviceId) {
        Objects.requireNonNull(deviceId, "deviceId");
        if (!config.isServerHosted()) {
            throw new IllegalStateException("transferHost: the session's host is its host device");
        }
        return call(() -> hosting.transferHost(deviceId));
    }

    @Override
    public CompletableFuture<Boolean> kick(String deviceId, String reason) {
        return kick(deviceId, reason, false);
    }

    @Override
    public CompletableFuture<Boolean> ban(String deviceId, String reason) {
        return kick(deviceId, reason, true);
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
        return broadcast(type, payload, Delivery.everyone());
    }

    @Override
    public CompletableFuture<Void> broadcast(String type, Map<String, ?> payload, Delivery delivery) {
        ApplicationMessage message = Handlers.applicationMessage(type, payload);
        Objects.requireNonNull(delivery, "delivery");
        return call(() -> {
            announcer.broadcast(message, delivery);
            return null;
        });
    }

    @Override
    public Map<String, Object> state() {
        return sharedState.current().state();
    }

    @Override
    public long stateVersion() {
        return sharedState.current().version();
    }

    @Override
    public CompletableFuture<Long> patchState(Map<String, ?> mergePatch) {
        Objects.requireNonNull(mergePatch, "mergePatch");
        return call(() -> {
            HostMessage.StatePatch patch = sharedState.patch(mergePatch);
            if (patch != null) {
                announcer.statePatched(patch);
            }
            return sharedState.version();
        });
    }

    @Override
    public CompletableFuture<Boolean> send(String deviceId, String type, Map<String, ?> payload) {
        Objects.requireNonNull(deviceId, "deviceId");
        ApplicationMessage message = Handlers.applicationMessage(type, payload);
        return call(() -> {
            MemberState m = roster.guest(deviceId);
            return m != null && announcer.send(m, message);
        });
    }

    @Override
    public CompletableFuture<Void> close() {
        return close(LeaveReason.SESSION_CLOSED.wireText());
    }

    @Override
    public CompletableFuture<Void> close(String reason) {
        Objects.requireNonNull(reason, "reason");
        if (reason.length() > Hosting.MAX_REASON_CHARS) {
            throw new IllegalArgumentException("reason: length " + reason.length() + " (expected: at most "
                    + Hosting.MAX_REASON_CHARS + ")");
        }
        return call(() -> {
            end(reason);
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

    /** An application message arrived, or a member joined: the idle timeout starts again. */
    void active() {
        liveness.active();
    }

    Inbox inbox() {
        return inbox;
    }

    /** Runs {@code task} on the session's executor. */
    void execute(Runnable task) {
        executor.execute(task);
    }

    Membership membership() {
        return membership;
    }

    private CompletableFuture<Boolean> kick(String deviceId, String reason, boolean ban) {
        Objects.requireNonNull(deviceId, "deviceId");
        if (deviceId.equals(config.hostId())) {
            throw new IllegalArgumentException("deviceId: " + deviceId + " is the host");
        }
        return call(() -> hosting.kick(deviceId, reason, ban));
    }

    /** Ends the session: members get {@code SESSION_CLOSED {reason}}, and it is closed for good. */
    void end(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        liveness.stop();
        announcer.stop();
        requests.stop();
        admission.stop();
        List<GuestConnection> waiting = admission.waitingConnections();
        waiting.forEach(membership::detach);
        announcer.sessionClosed(reason, waiting);
        List<MemberState> gone = roster.clear();
        gone.stream().filter(MemberState::isConnected).forEach(m -> membership.detach(m.connection()));
        onClosed.accept(this);
        listeners.sessionClosed(gone);
    }

    private <T> CompletableFuture<T> call(Supplier<T> action) {
        return CompletableFuture.supplyAsync(action, executor);
    }
}
