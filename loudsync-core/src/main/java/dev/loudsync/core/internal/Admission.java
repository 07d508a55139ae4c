package dev.loudsync.core.internal;

import dev.loudsync.core.AuthDecision;
import dev.loudsync.core.JoinRequest;
import dev.loudsync.core.Member;
import dev.loudsync.core.MemberStatus;
import dev.loudsync.core.SerialExecutor;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.TimeSource;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Who may become a member: the session's part of the join checks (PROTOCOL.md, "Joining"; the
 * checks that need no session ran before, on the transport's thread), in the protocol's order:
 * the session is open, the authenticator accepts (1.1, see {@link Authentication}), the PIN, the
 * ban list, already a member (or a valid resume token), capacity, then approval. Also the join
 * requests waiting for approval, and resume tokens.
 *
 * <p>Invariants: a device id is at most one of a member or a waiting request; a waiting request's
 * connection is {@link GuestConnection.State#PENDING_APPROVAL}; approvers hear of each request as
 * it comes ({@code JOIN_REQUESTED}) and as it ends ({@code JOIN_REQUEST_ENDED}). Requests do not
 * count against {@code maxMembers}: capacity is checked again on approval. A resume rotates the
 * member's token (the new one is in the new {@code WELCOME}) and takes the new display name (the
 * authenticator's, if it gave one). A plain join for a member whose connection fell silent probes
 * that connection and takes the membership over if it stays silent (see
 * {@link SessionConfig#takeoverProbe()}). The first member of a server-hosted session is admitted
 * without approval, since nobody could give it. Confined to the session's executor, but
 * {@link #requests()}, which any thread may read.
 */
final class Admission {

    private static final SecureRandom TOKENS = new SecureRandom();

    private final DefaultSession session;
    private final SessionConfig config;
    private final TimeSource time;
    private final Roster roster;
    private final Announcer announcer;
    private final Listeners listeners;
    private final Hosting hosting;
    /** Null when the session has no authenticator. */
    private final Authentication authentication;
    /** Plain joins waiting for the probe of a silent member's connection; null when takeovers are off. */
    private final Deadlines<Takeover> takeovers;
    private final LinkedHashMap<String, PendingJoin> waiting = new LinkedHashMap<>();

    private record Takeover(GuestConnection connection, GuestMessage.Join join, AuthDecision decision,
            MemberState member, long probedAtNanos) {
    }
    private final Set<String> banned = new HashSet<>();
    private volatile List<JoinRequest> requests = List.of();

    Admission(DefaultSession session, SerialExecutor executor, Duration joinTimeout, Roster roster,
            Announcer announcer, Hosting hosting, Listeners listeners) {
        this.session = session;
        this.config = session.config();
        this.time = session.time();
        this.roster = roster;
        this.announcer = announcer;
        this.hosting = hosting;
        this.listeners = listeners;
        this.authentication = config.authenticator()
                .map(a -> new Authentication(config.sessionId(), a, executor, time, joinTimeout, this::decided))
                .orElse(null);
        this.takeovers = config.takeoverProbe().isZero() ? null
                : new Deadlines<>(executor, time, config.takeoverProbe(), t -> t.connection().isFinished(), this::probed);
    }

    /**
     * The session closes: refuses the joins still waiting for their authenticator, as if they had
     * come after the close.
     */
    void stop() {
        if (authentication != null) {
            for (GuestConnection c : authentication.stop()) {
                refuse(c, ErrorCode.SESSION_NOT_FOUND, "Session not found");
            }
        }
        if (takeovers != null) {
            for (Takeover t : takeovers.stop()) {
                refuse(t.connection(), ErrorCode.SESSION_NOT_FOUND, "Session not found");
            }
        }
    }

    /** The join requests waiting for approval, oldest first. */
    List<JoinRequest> requests() {
        return requests;
    }

    /** The connections of the waiting requests, oldest first: a copy, safe to change the requests while iterating. */
    List<GuestConnection> waitingConnections() {
        List<GuestConnection> list = new ArrayList<>(waiting.size());
        for (PendingJoin p : waiting.values()) {
            list.add(p.connection());
        }
        return list;
    }

    void onJoin(GuestConnection c, GuestMessage.Join join) {
        if (c.isFinished()) {
            return;
        }
        if (!session.isOpen()) {
            refuse(c, ErrorCode.SESSION_NOT_FOUND, "Session not found");
            return;
        }
        c.touch(time.nanoTime());
        if (authentication != null) {
            authentication.start(c, join);
        } else {
            check(c, join, AuthDecision.accept());
        }
    }

    /** The authenticator decided (or there is none): the remaining checks. */
    private void decided(GuestConnection c, GuestMessage.Join join, AuthDecision decision) {
        if (c.isFinished()) {
            return;
        }
        if (!session.isOpen()) {
            refuse(c, ErrorCode.SESSION_NOT_FOUND, "Session not found");
        } else if (!decision.isAccepted()) {
            refuse(c, ErrorCode.UNAUTHORIZED, decision.refusal().orElse("Unauthorized"));
        } else {
            check(c, join, decision);
        }
    }

    private void check(GuestConnection c, GuestMessage.Join join, AuthDecision decision) {
        String pin = config.pin().orElse(null);
        if (pin != null && !secretEquals(pin, join.pin())) {
            refuse(c, ErrorCode.UNAUTHORIZED, join.pin() == null ? "PIN required" : "Wrong PIN");
            return;
        }
        if (banned.contains(join.deviceId())) {
            refuse(c, ErrorCode.UNAUTHORIZED, "Device is banned from this session");
            return;
        }
        if (roster.isMember(join.deviceId())) {
            MemberState existing = roster.guest(join.deviceId());
            if (existing != null && secretEquals(existing.resumeToken(), join.resumeToken())) {
                resume(c, existing, join, decision);
            } else if (existing != null && takeovers != null && !existing.isConnected()) {
                resume(c, existing, join, decision); // nothing to probe: its connection is gone
            } else if (existing != null && takeovers != null && silentForAnInterval(existing)) {
                // The probe's time is read before it is sent: its answer, on another thread, may
                // come back before this thread reads the clock again.
                long probedAt = time.nanoTime();
                existing.connection().connection().sendKeepAlive();
                takeovers.add(new Takeover(c, join, decision, existing, probedAt));
            } else {
                refuse(c, ErrorCode.ALREADY_JOINED, "Already joined");
            }
            return;
        }
        if (waiting.containsKey(join.deviceId())) {
            refuse(c, ErrorCode.ALREADY_JOINED, "Already joined");
            return;
        }
        if (isFull()) {
            refuseFull(c);
            return;
        }
        // The first member of a server-hosted session has nobody to ask: it is admitted, as the host.
        if (config.requireApproval() && roster.host() != null) {
            JoinRequest request = new JoinRequest(join.deviceId(), join.deviceName(), c.remoteAddress(),
                    time.currentTimeMillis());
            PendingJoin p = new PendingJoin(c, join, request, decision);
            waiting.put(join.deviceId(), p);
            c.awaitApproval(p);
            publishRequests();
            c.send(new HostMessage.JoinPending("Waiting for the host to approve"));
            hosting.tellApprovers(new HostMessage.JoinRequested(join.deviceId(), join.deviceName()));
            listeners.joinRequested(request);
            return;
        }
        admit(c, join, decision);
    }

    private boolean silentForAnInterval(MemberState m) {
        return time.nanoTime() - m.connection().lastSeenNanos() >= config.heartbeatInterval().toNanos();
    }

    /**
     * The probe of a silent member's connection had its time: a sign of life since means the member
     * is still there, and the plain join is refused; none means the new connection takes over.
     */
    private void probed(Takeover t) {
        GuestConnection c = t.connection();
        if (c.isFinished() || !session.isOpen()) {
            return;
        }
        MemberState m = t.member();
        if (!roster.contains(m)) {
            check(c, t.join(), t.decision()); // it left meanwhile: an ordinary join now
        } else if (m.isConnected() && m.connection().lastSeenNanos() - t.probedAtNanos() >= 0) {
            refuse(c, ErrorCode.ALREADY_JOINED, "Already joined");
        } else {
            resume(c, m, t.join(), t.decision());
        }
    }

    /** Admits a waiting request, if capacity allows; false if there was none or it was refused. */
    boolean approve(String deviceId) {
        PendingJoin p = waiting.remove(deviceId);
        if (p == null) {
            return false;
        }
        publishRequests();
        hosting.tellApprovers(new HostMessage.JoinRequestEnded(deviceId, HostMessage.Outcome.APPROVED));
        GuestConnection c = p.connection();
        if (c.isFinished()) {
            return false;
        }
        if (roster.guest(deviceId) != null) {
            refuse(c, ErrorCode.ALREADY_JOINED, "Already joined");
            return false;
        }
        if (isFull()) {
            refuseFull(c);
            return false;
        }
        admit(c, p.join(), p.decision());
        return true;
    }

    /** Refuses a waiting request: {@code UNAUTHORIZED "Join request denied"}; false if there was none. */
    boolean deny(String deviceId) {
        PendingJoin p = waiting.remove(deviceId);
        if (p == null) {
            return false;
        }
        publishRequests();
        hosting.tellApprovers(new HostMessage.JoinRequestEnded(deviceId, HostMessage.Outcome.DENIED));
        refuse(p.connection(), ErrorCode.UNAUTHORIZED, "Join request denied");
        return true;
    }

    /** Refuses every later join of {@code deviceId}. */
    void ban(String deviceId) {
        banned.add(deviceId);
    }

    /** The request's connection is finished: the request is withdrawn. */
    void withdraw(PendingJoin p) {
        if (waiting.get(p.join().deviceId()) == p) {
            waiting.remove(p.join().deviceId());
            publishRequests();
            hosting.tellApprovers(new HostMessage.JoinRequestEnded(p.join().deviceId(), HostMessage.Outcome.WITHDRAWN));
        }
    }

    private void admit(GuestConnection c, GuestMessage.Join join, AuthDecision decision) {
        String name = decision.displayName().orElse(join.deviceName());
        Member.Role role = hosting.roleOfNewcomer(decision.isCohost());
        MemberState m = new MemberState(new Member(join.deviceId(), name, role, MemberStatus.CONNECTED,
                time.currentTimeMillis(), OptionalInt.empty()));
        attach(m, c, join);
        roster.add(m);
        session.active();
        announcer.joined(m);
        if (Hosting.isApprover(m)) {
            hosting.becameApprover(m);
        }
        listeners.memberJoined(m.member());
    }

    private void resume(GuestConnection c, MemberState m, GuestMessage.Join join, AuthDecision decision) {
        GuestConnection old = m.connection();
        if (old != null) {
            session.membership().detach(old);
            old.close(CloseCode.REPLACED);
        }
        attach(m, c, join);
        Member before = m.member();
        Member after = before.withStatus(MemberStatus.CONNECTED)
                .withName(decision.displayName().orElse(join.deviceName()));
        if (!after.equals(before)) {
            m.update(after);
            roster.changed(m);
        }
        announcer.resumed(m);
        if (!after.equals(before)) {
            session.membership().announceUpdate(m);
        }
        if (Hosting.isApprover(m)) {
            hosting.becameApprover(m);
        }
    }

    private void attach(MemberState m, GuestConnection c, GuestMessage.Join join) {
        m.connect(c, newToken(), join);
        c.becomeMember(m, time.nanoTime());
    }

    private boolean isFull() {
        return roster.size() >= config.maxMembers();
    }

    private void refuseFull(GuestConnection c) {
        refuse(c, ErrorCode.SESSION_FULL, "Session is full (" + roster.size() + "/" + config.maxMembers() + ")");
    }

    private void refuse(GuestConnection c, ErrorCode code, String message) {
        session.membership().detach(c);
        c.refuse(code, message);
    }

    private void publishRequests() {
        List<JoinRequest> list = new ArrayList<>(waiting.size());
        for (PendingJoin p : waiting.values()) {
            list.add(p.request());
        }
        requests = List.copyOf(list);
    }

    private static boolean secretEquals(String expected, String given) {
        return expected != null && given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    private static String newToken() {
        byte[] bytes = new byte[18];
        TOKENS.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
