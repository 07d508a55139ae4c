package dev.loudsync.core.internal;

import dev.loudsync.core.Member;
import dev.loudsync.core.protocol.Capability;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.protocol.ProtocolRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A member's state inside its session: what every member sees ({@link #member()}), and what only
 * the session needs to serve it. Confined to the session's executor, except
 * {@link #latencyMeasuredByHost()}, which a connection's transport thread also reads.
 *
 * <p>The host device of a LAN-hosted session has a state too, without a connection.
 */
final class MemberState {

    /** Members in {@link ProtocolRules#MEMBER_ORDER list order}. */
    static final Comparator<MemberState> LIST_ORDER = Comparator.comparing(m -> m.member, ProtocolRules.MEMBER_ORDER);

    /** What every member sees; replaced, never mutated. */
    private Member member;
    /** The open connection, or null: the host device, or a member waiting to resume. */
    private GuestConnection connection;
    /** The secret that lets a new connection take this membership over. */
    private String resumeToken;
    /** Whether the current connection gets {@code MEMBERS_CHANGED} instead of single messages. */
    private boolean batching;
    /** Whether the current connection keeps the shared state ({@code STATE}, {@code STATE_PATCH}). */
    private boolean keepsState;
    /** The protocol version the current connection is spoken to in (its {@code WELCOME}'s). */
    private String protocolVersion;
    /** Whether this newcomer's WELCOME and MEMBER_LIST wait for the batch window's flush. */
    private boolean awaitsWelcome;
    /** Messages sent to this member before its WELCOME, in order; null for none. */
    private List<HostMessage> held;
    /** Sequence number of the last membership change this member's view already contains. */
    private long baselineSeq;
    private volatile boolean latencyMeasuredByHost;
    /** A material latency measurement waiting for the session's latency budget; -1 for none. */
    private int pendingLatency = -1;
    /** While reconnecting: when the grace period ends, in {@code TimeSource.nanoTime()} units. */
    private long graceDeadlineNanos;
    /** The member's place in the liveness period (see {@link Liveness}); set once, on joining. */
    private int phase = -1;
    /** Whether the current connection asked for every member's latency changes. */
    private boolean wantsLatencies;

    MemberState(Member member) {
        this.member = member;
    }

    Member member() {
        return member;
    }

    String id() {
        return member.id();
    }

    /** Replaces what every member sees; the caller publishes the change. */
    void update(Member newState) {
        this.member = newState;
    }

    // ---- connection

    GuestConnection connection() {
        return connection;
    }

    boolean isConnected() {
        return connection != null;
    }

    /** A new connection carries the membership, with a fresh resume token and what its JOIN announced. */
    void connect(GuestConnection c, String token, GuestMessage.Join join) {
        this.connection = c;
        this.resumeToken = token;
        this.batching = join.capabilities().contains(Capability.MEMBERS_CHANGED);
        this.keepsState = join.capabilities().contains(Capability.STATE);
        this.protocolVersion = ProtocolRules.welcomeVersion(join.version());
        this.wantsLatencies = join.capabilities().contains(Capability.LATENCIES);
    }

    boolean wantsLatencies() {
        return wantsLatencies;
    }

    int phase() {
        return phase;
    }

    /** Gives the member its phase, unless it has one (a resumed member keeps its own). */
    void phaseIfNone(int newPhase) {
        if (phase < 0) {
            phase = newPhase;
        }
    }

    String protocolVersion() {
        return protocolVersion;
    }

    /** Connected, and its welcome went out: it gets what happens from now on. */
    boolean isWelcomed() {
        return connection != null && !awaitsWelcome;
    }

    /** {@code c} no longer carries the membership (if it still did). */
    void connectionGone(GuestConnection c) {
        if (connection == c) {
            connection = null;
        }
    }

    String resumeToken() {
        return resumeToken;
    }

    boolean isBatching() {
        return batching;
    }

    boolean keepsState() {
        return keepsState;
    }

    // ---- reconnect grace

    void awaitResume(long deadlineNanos) {
        this.graceDeadlineNanos = deadlineNanos;
    }

    boolean graceOver(long nowNanos) {
        return nowNanos - graceDeadlineNanos >= 0;
    }

    // ---- welcome and what waits for it

    boolean awaitsWelcome() {
        return awaitsWelcome;
    }

    void holdWelcome() {
        awaitsWelcome = true;
    }

    /** Keeps {@code message} until the member's welcome. */
    void hold(HostMessage message) {
        if (held == null) {
            held = new ArrayList<>();
        }
        held.add(message);
    }

    /**
     * The welcome went out (or the member is gone before it): returns what was held for it (null
     * for nothing), which it then no longer holds.
     */
    List<HostMessage> welcomed() {
        awaitsWelcome = false;
        List<HostMessage> h = held;
        held = null;
        return h;
    }

    long baselineSeq() {
        return baselineSeq;
    }

    void baseline(long seq) {
        this.baselineSeq = seq;
    }

    // ---- latency

    /** Whether the host measured this member's latency (then {@code HEARTBEAT.latency} is ignored). */
    boolean latencyMeasuredByHost() {
        return latencyMeasuredByHost;
    }

    void measuredByHost() {
        latencyMeasuredByHost = true;
    }

    int pendingLatency() {
        return pendingLatency;
    }

    void pendingLatency(int millis) {
        this.pendingLatency = millis;
    }
}
