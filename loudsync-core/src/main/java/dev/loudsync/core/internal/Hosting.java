package dev.loudsync.core.internal;

import dev.loudsync.core.JoinRequest;
import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.Member.Role;
import dev.loudsync.core.RequestRejectedException;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Roles (1.1): who the host is, who may do what, and how the host role passes on.
 *
 * <p>Invariants: exactly one member has the host role whenever the session has members (the host
 * device of a LAN-hosted session, else a guest); in a server-hosted session the first member
 * admitted is the host, and when the host leaves the role passes at once to the cohost who joined
 * first, else to the client who joined first. Host and cohost guests are the approvers: each got
 * {@code JOIN_REQUESTED} for every waiting request. Confined to the session's executor, but
 * {@link #restrict}, which any thread may call.
 */
final class Hosting {

    /** Longest reason of a {@code KICK} or {@code END_SESSION}, in characters. */
    static final int MAX_REASON_CHARS = 200;

    private final DefaultSession session;
    private final SessionConfig config;
    private final Roster roster;
    private final Announcer announcer;
    private final Listeners listeners;
    private final Map<String, Set<Role>> restricted = new ConcurrentHashMap<>();

    Hosting(DefaultSession session, Roster roster, Announcer announcer, Listeners listeners) {
        this.session = session;
        this.config = session.config();
        this.roster = roster;
        this.announcer = announcer;
        this.listeners = listeners;
    }

    /**
     * Only members with one of {@code roles} may send application messages of {@code type}.
     *
     * @throws IllegalArgumentException if {@code type} is not an application type, or no role is given
     */
    void restrict(String type, Role... roles) {
        Handlers.requireApplicationType(type);
        Set<Role> allowed = EnumSet.noneOf(Role.class);
        for (Role r : Objects.requireNonNull(roles, "roles")) {
            allowed.add(Objects.requireNonNull(r, "role"));
        }
        if (allowed.isEmpty()) {
            throw new IllegalArgumentException("roles: none (expected: at least one role)");
        }
        restricted.put(type, allowed);
    }

    boolean mayUse(MemberState sender, String type) {
        Set<Role> roles = restricted.get(type);
        return roles == null || roles.contains(sender.member().role());
    }

    /** The role a newcomer gets: host as the first member of a server-hosted session. */
    Role roleOfNewcomer(boolean cohost) {
        if (config.isServerHosted() && roster.host() == null) {
            return Role.HOST;
        }
        return cohost ? Role.COHOST : Role.CLIENT;
    }

    static boolean isApprover(MemberState m) {
        return m.member().role() != Role.CLIENT;
    }

    /** Tells every approver (held for one awaiting its welcome). */
    void tellApprovers(HostMessage message) {
        for (MemberState m : roster.guests()) {
            if (isApprover(m)) {
                announcer.send(m, message);
            }
        }
    }

    /** {@code m} just became an approver: it learns of each waiting request. */
    void becameApprover(MemberState m) {
        for (JoinRequest r : session.pendingRequests()) {
            announcer.send(m, new HostMessage.JoinRequested(r.deviceId(), r.deviceName()));
        }
    }

    // ------------------------------------------------------------------ control messages

    /**
     * Carries out a guest's control message, or refuses it with a {@link RequestRejectedException}
     * ({@code UNAUTHORIZED} without the role, {@code INVALID_MESSAGE} for a field or a device that is
     * not there); nothing changes on a refusal. {@code END_SESSION} is answered before the session
     * ends, so its sender still gets the answer.
     */
    void control(MemberState sender, GuestMessage message, Requests requests) {
        Role role = sender.member().role();
        if (message instanceof GuestMessage.Kick) {
            GuestMessage.Kick kick = (GuestMessage.Kick) message;
            requireDevice(kick.deviceId(), "KICK");
            requireReason(kick.reason(), "KICK");
            require(role != Role.CLIENT, "Only the host and cohosts may kick");
            MemberState target = member(kick.deviceId());
            require(target != sender && (role == Role.HOST || target.member().role() == Role.CLIENT),
                    role == Role.HOST ? "The host cannot kick itself" : "Cohosts may kick clients only");
            kick(kick.deviceId(), kick.reason(), kick.ban());
        } else if (message instanceof GuestMessage.SetRole) {
            GuestMessage.SetRole set = (GuestMessage.SetRole) message;
            requireDevice(set.deviceId(), "SET_ROLE");
            Role newRole = Role.ofWireName(set.role()).filter(r -> r != Role.HOST).orElseThrow(
                    () -> invalid("Invalid SET_ROLE: role must be \"cohost\" or \"client\""));
            require(role == Role.HOST, "Only the host may set roles");
            MemberState target = member(set.deviceId());
            if (target == sender) {
                throw invalid("The host role passes with TRANSFER_HOST");
            }
            setRole(target, newRole);
        } else if (message instanceof GuestMessage.Approve || message instanceof GuestMessage.Deny) {
            boolean approve = message instanceof GuestMessage.Approve;
            String deviceId = approve ? ((GuestMessage.Approve) message).deviceId() : ((GuestMessage.Deny) message).deviceId();
            requireDevice(deviceId, message.type());
            require(role != Role.CLIENT, "Only the host and cohosts may approve joins");
            if (session.pendingRequests().stream().noneMatch(r -> r.deviceId().equals(deviceId))) {
                throw invalid("No join request from " + deviceId);
            }
            if (approve) {
                session.admission().approve(deviceId);
            } else {
                session.admission().deny(deviceId);
            }
        } else if (message instanceof GuestMessage.TransferHost) {
            String deviceId = ((GuestMessage.TransferHost) message).deviceId();
            requireDevice(deviceId, "TRANSFER_HOST");
            require(role == Role.HOST && config.isServerHosted(),
                    "Only the host of a server-hosted session may transfer the host role");
            MemberState target = member(deviceId);
            if (target == sender) {
                throw invalid(deviceId + " is the host already");
            }
            transfer(target);
        } else if (message instanceof GuestMessage.EndSession) {
            String reason = ((GuestMessage.EndSession) message).reason();
            requireReason(reason, "END_SESSION");
            require(role == Role.HOST && config.isServerHosted(),
                    "Only the host of a server-hosted session may end it");
            requests.acknowledgeNow(sender, message.id());
            session.end(reason != null ? reason : LeaveReason.SESSION_CLOSED.wireText());
        } else {
            throw new IllegalArgumentException("not a control message: " + message.type());
        }
    }

    private MemberState member(String deviceId) {
        MemberState m = roster.guest(deviceId);
        if (m == null) {
            if (roster.isMember(deviceId)) {
                throw new RequestRejectedException(ErrorCode.UNAUTHORIZED, "The host device cannot be changed");
            }
            throw invalid("No member " + deviceId);
        }
        return m;
    }

    private static void require(boolean allowed, String refusal) {
        if (!allowed) {
            throw new RequestRejectedException(ErrorCode.UNAUTHORIZED, refusal);
        }
    }

    private static void requireDevice(String deviceId, String type) {
        if (deviceId == null || deviceId.isEmpty()) {
            throw invalid("Invalid " + type + ": deviceId must be a non-empty string");
        }
    }

    private static void requireReason(String reason, String type) {
        if (reason != null && reason.length() > MAX_REASON_CHARS) {
            throw invalid("Invalid " + type + ": reason must be at most " + MAX_REASON_CHARS + " characters");
        }
    }

    private static RequestRejectedException invalid(String message) {
        return new RequestRejectedException(ErrorCode.INVALID_MESSAGE, message);
    }

    // ------------------------------------------------------------------ changes

    /**
     * Kicks (and maybe bans) a guest, or denies its waiting request: the host API's and the
     * {@code KICK} message's effect.
     *
     * @return whether a member or request of that id existed
     */
    boolean kick(String deviceId, String reason, boolean ban) {
        if (ban) {
            session.admission().ban(deviceId);
        }
        MemberState m = roster.guest(deviceId);
        if (m == null) {
            return session.admission().deny(deviceId);
        }
        GuestConnection c = m.connection();
        if (c != null) {
            session.membership().detach(c);
            c.send(new HostMessage.Kicked(reason == null ? "" : reason));
            c.close(CloseCode.KICKED);
        }
        session.membership().remove(m, LeaveReason.KICKED);
        return true;
    }


    /**
     * Makes a guest a cohost or a client; false if it is not a guest or is the host.
     *
     * @throws IllegalArgumentException for {@link Role#HOST}
     */
    boolean setRole(String deviceId, Role newRole) {
        MemberState m = roster.guest(deviceId);
        if (m == null || m.member().isHost()) {
            return false;
        }
        setRole(m, newRole);
        return true;
    }

    private void setRole(MemberState m, Role newRole) {
        if (newRole == Role.HOST) {
            throw new IllegalArgumentException("role: HOST (expected: COHOST or CLIENT; use transferHost)");
        }
        if (m.member().role() == newRole) {
            return;
        }
        boolean wasApprover = isApprover(m);
        session.membership().update(m, m.member().withRole(newRole));
        if (!wasApprover && isApprover(m)) {
            becameApprover(m);
        }
    }

    /**
     * Hands the host role of a server-hosted session to {@code deviceId}; the old host stays, as a
     * client. False if it is not a guest or is the host already.
     */
    boolean transferHost(String deviceId) {
        MemberState m = roster.guest(deviceId);
        if (m == null || m.member().isHost()) {
            return false;
        }
        transfer(m);
        return true;
    }

    private void transfer(MemberState next) {
        MemberState old = roster.host();
        roster.replace(old, old.member().withRole(Role.CLIENT));
        promote(next, old, HostMessage.HostChanged.TRANSFERRED);
    }

    /** The host of a server-hosted session left: the role passes on, if anyone is left. */
    void hostLeft(MemberState old) {
        MemberState next = null;
        for (MemberState m : roster.guests()) {
            if (m.member().role() == Role.COHOST) {
                next = m;
                break;
            }
            if (next == null) {
                next = m;
            }
        }
        if (next != null) {
            promote(next, old, HostMessage.HostChanged.HOST_LEFT);
        }
    }

    private void promote(MemberState next, MemberState old, String reason) {
        boolean wasApprover = isApprover(next);
        roster.replace(next, next.member().withRole(Role.HOST));
        announcer.hostChanged(new HostMessage.HostChanged(next.id(), next.member().name(), old.id(), reason));
        session.membership().announceUpdate(next);
        if (roster.contains(old)) {
            session.membership().announceUpdate(old);
        }
        if (!wasApprover) {
            becameApprover(next);
        }
        Member previous = old.member();
        listeners.hostChanged(next.member(), previous);
    }
}
