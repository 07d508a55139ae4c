package dev.loudsync.core.protocol;

import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A guest's view of a session's members, built from what the host sends: the last
 * {@code MEMBER_LIST} plus the deltas since ({@code MEMBER_JOINED}, {@code MEMBER_LEFT},
 * {@code MEMBER_UPDATED}, {@code MEMBERS_CHANGED}, and 1.1's {@code HOST_CHANGED}, which makes the
 * new host the host and the previous one, if still there, a client). Whenever the session is quiet
 * it equals the host's list, in {@link ProtocolRules#MEMBER_ORDER}.
 *
 * <p>A delta that makes no sense against the view (a join of a present member, a leave or update
 * of an absent one) is applied as far as it can be and reported to {@link Changes#inconsistent}:
 * a client carries on, a test fails. Deltas before the first list are ignored.
 *
 * <p>Not thread-safe: one thread applies messages; {@link #members()} returns an immutable
 * snapshot that may be handed to any thread.
 */
public final class MemberView {

    /** Told of each change a message makes, in the order of the message. All methods default to nothing. */
    public interface Changes {
        /** A full list replaced the view. */
        default void listed(List<Member> members) {
        }

        /** {@code member} joined. */
        default void joined(Member member) {
        }

        /** {@code deviceId} left; {@code reason} is null for a reason text this version does not know. */
        default void left(String deviceId, @Nullable LeaveReason reason) {
        }

        /** {@code member} is the new state of a member. */
        default void updated(Member member) {
        }

        /** {@code host} has the host role now (1.1), after {@code previousHostId}. */
        default void hostChanged(Member host, String previousHostId) {
        }

        /** A delta did not fit the view, described by {@code what}. */
        default void inconsistent(String what) {
        }
    }

    private static final Changes NONE = new Changes() {
    };

    private Map<String, Member> byId;
    private List<Member> snapshot = List.of();

    /** Whether a {@code MEMBER_LIST} arrived yet. */
    public boolean hasList() {
        return byId != null;
    }

    /** The members, in list order; empty before the first {@code MEMBER_LIST}. */
    public List<Member> members() {
        return snapshot;
    }

    /** Applies {@code message}; see {@link #apply(HostMessage, Changes)}. */
    public boolean apply(HostMessage message) {
        return apply(message, NONE);
    }

    /**
     * Applies {@code message} if it is about membership, telling {@code changes} of each change.
     *
     * @return whether the view changed
     */
    public boolean apply(HostMessage message, Changes changes) {
        if (message instanceof HostMessage.MemberList) {
            List<Member> list = ((HostMessage.MemberList) message).members();
            byId = new HashMap<>(list.size() * 2);
            for (Member m : list) {
                if (byId.put(m.id(), m) != null) {
                    changes.inconsistent("MEMBER_LIST lists " + m.id() + " twice");
                }
            }
            publish();
            changes.listed(snapshot);
            return true;
        }
        if (byId == null) {
            return false;
        }
        if (message instanceof HostMessage.MemberJoined) {
            join(((HostMessage.MemberJoined) message).member(), changes);
        } else if (message instanceof HostMessage.MemberLeft) {
            HostMessage.MemberLeft left = (HostMessage.MemberLeft) message;
            leave(left.deviceId(), left.reason(), changes);
        } else if (message instanceof HostMessage.MemberUpdated) {
            update(((HostMessage.MemberUpdated) message).member(), changes);
        } else if (message instanceof HostMessage.MembersChanged) {
            HostMessage.MembersChanged batch = (HostMessage.MembersChanged) message;
            for (HostMessage.Departure d : batch.left()) {
                leave(d.deviceId(), d.reason(), changes);
            }
            for (Member m : batch.joined()) {
                join(m, changes);
            }
            for (Member m : batch.updated()) {
                update(m, changes);
            }
        } else if (message instanceof HostMessage.HostChanged) {
            HostMessage.HostChanged h = (HostMessage.HostChanged) message;
            Member previous = byId.get(h.previousHostId());
            if (previous != null && previous.isHost()) {
                byId.put(previous.id(), previous.withRole(Member.Role.CLIENT));
            }
            Member host = byId.get(h.hostId());
            if (host == null) {
                changes.inconsistent("host changed to " + h.hostId() + ", not a member");
                return false;
            }
            host = host.withRole(Member.Role.HOST);
            byId.put(host.id(), host);
            publish();
            changes.hostChanged(host, h.previousHostId());
            return true;
        } else {
            return false;
        }
        publish();
        return true;
    }

    private void join(Member m, Changes changes) {
        if (byId.put(m.id(), m) != null) {
            changes.inconsistent("joined: " + m.id() + " is already a member");
        }
        changes.joined(m);
    }

    private void leave(String id, LeaveReason reason, Changes changes) {
        if (byId.remove(id) == null) {
            changes.inconsistent("left: " + id + " is not a member");
        }
        changes.left(id, reason);
    }

    private void update(Member m, Changes changes) {
        if (byId.put(m.id(), m) == null) {
            changes.inconsistent("updated: " + m.id() + " is not a member");
        }
        changes.updated(m);
    }

    private void publish() {
        List<Member> list = new ArrayList<>(byId.values());
        list.sort(ProtocolRules.MEMBER_ORDER);
        snapshot = List.copyOf(list);
    }
}
