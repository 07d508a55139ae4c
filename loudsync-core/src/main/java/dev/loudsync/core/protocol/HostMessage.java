package dev.loudsync.core.protocol;

import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A message from the host to a guest. The transport adds the envelope's {@code timestamp} (the
 * host's clock, in milliseconds since the epoch) when it encodes the message.
 */
public sealed interface HostMessage
        permits HostMessage.Welcome, HostMessage.MemberList, HostMessage.MemberJoined,
        HostMessage.MemberLeft, HostMessage.MemberUpdated, HostMessage.Kicked,
        HostMessage.SessionClosed, HostMessage.Error, HostMessage.Pong, HostMessage.Ping,
        HostMessage.JoinPending, HostMessage.MembersChanged, HostMessage.Ack, HostMessage.HostChanged,
        HostMessage.JoinRequested, HostMessage.JoinRequestEnded, HostMessage.State, HostMessage.StatePatch,
        ApplicationMessage {

    /** The envelope's {@code type}. */
    String type();

    /**
     * {@code WELCOME}: the join was accepted. Fields after {@code yourDeviceId} are extensions.
     *
     * @param protocolVersion     the protocol version the guest is spoken to in: {@code "1"} for a
     *                            guest written for version 1 (on the wire the number {@code 1}, as
     *                            it always was), {@code "1.1"} for a guest whose {@code JOIN} named
     *                            a version 1.1 or later (on the wire the string {@code "1.1"})
     * @param serverTime          the host's clock when the join was accepted
     * @param heartbeatIntervalMs how often the guest should send {@code HEARTBEAT}
     * @param heartbeatTimeoutMs  silence after which the member is removed
     * @param maxMembers          capacity, host included
     * @param resumeToken         secret token to resume this membership after a lost connection
     */
    record Welcome(String sessionId, String sessionName, String hostId, String hostName,
            String yourDeviceId, String protocolVersion, long serverTime, long heartbeatIntervalMs,
            long heartbeatTimeoutMs, int maxMembers, String resumeToken) implements HostMessage {
        @Override
        public String type() {
            return MessageTypes.WELCOME;
        }
    }

    /** {@code MEMBER_LIST}: a full snapshot, host first. */
    record MemberList(List<Member> members) implements HostMessage {
        public MemberList {
            members = List.copyOf(members);
        }

        @Override
        public String type() {
            return MessageTypes.MEMBER_LIST;
        }
    }

    /** {@code MEMBER_JOINED}: to every member but the newcomer. */
    record MemberJoined(Member member) implements HostMessage {
        @Override
        public String type() {
            return MessageTypes.MEMBER_JOINED;
        }
    }

    /** {@code MEMBER_LEFT}: to every remaining member; {@code reason} goes out as its wire text. */
    record MemberLeft(String deviceId, LeaveReason reason) implements HostMessage {
        public MemberLeft {
            Objects.requireNonNull(deviceId, "deviceId");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String type() {
            return MessageTypes.MEMBER_LEFT;
        }
    }

    /** {@code MEMBER_UPDATED} (extension): a member's status or latency changed. */
    record MemberUpdated(Member member) implements HostMessage {
        @Override
        public String type() {
            return MessageTypes.MEMBER_UPDATED;
        }
    }

    /** {@code KICKED}: sent to the kicked member before its connection closes with 4505. */
    record Kicked(String reason) implements HostMessage {
        @Override
        public String type() {
            return MessageTypes.KICKED;
        }
    }

    /** {@code SESSION_CLOSED}: the host ended the session; the connection then closes with 1000. */
    record SessionClosed(String reason) implements HostMessage {
        @Override
        public String type() {
            return MessageTypes.SESSION_CLOSED;
        }
    }

    /**
     * {@code ERROR}.
     *
     * @param code    the error code
     * @param message human-readable text; exact where PROTOCOL.md quotes it
     * @param details optional extra data, or null
     * @param replyTo 1.1: the {@code id} of the guest's message this answers, or null
     */
    record Error(ErrorCode code, String message, @Nullable Map<String, Object> details, @Nullable String replyTo)
            implements HostMessage {
        public Error {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }

        public Error(ErrorCode code, String message) {
            this(code, message, null, null);
        }

        public Error(ErrorCode code, String message, Map<String, Object> details) {
            this(code, message, details, null);
        }

        /** The answer to the guest's message {@code replyTo} (null: a plain error). */
        public static Error replyingTo(@Nullable String replyTo, ErrorCode code, String message) {
            return new Error(code, message, null, replyTo);
        }

        @Override
        public String type() {
            return MessageTypes.ERROR;
        }
    }

    /**
     * {@code PONG}: the answer to a guest {@code PING}.
     *
     * @param pingTimestamp the {@code timestamp} of the guest's {@code PING}, or null if it had none
     * @param serverTime    the host's clock when it answered
     */
    record Pong(@Nullable Long pingTimestamp, long serverTime) implements HostMessage {
        @Override
        public String type() {
            return MessageTypes.PONG;
        }
    }

    /**
     * {@code PING} (extension): the guest answers with {@code PONG {pingTimestamp}}, echoing this
     * message's envelope timestamp, from which the host derives the member's latency.
     */
    record Ping() implements HostMessage {
        /** The one instance; the message has no fields. */
        public static final Ping INSTANCE = new Ping();

        @Override
        public String type() {
            return MessageTypes.PING;
        }
    }

    /** {@code JOIN_PENDING} (extension): the join waits for the host's approval. */
    record JoinPending(String message) implements HostMessage {
        @Override
        public String type() {
            return MessageTypes.JOIN_PENDING;
        }
    }

    /**
     * {@code MEMBERS_CHANGED} (extension): membership changes of a short window, for guests that
     * announced the {@code membersChanged} capability.
     *
     * <p>Within each list, entries are in the order the changes happened. Changes are coalesced: a
     * member who joined and left inside the window is in neither list, a member who joined and was
     * updated is in {@code joined} with its latest state, and an update to a member who then left is
     * dropped. A guest that applies {@code left}, then {@code joined}, then {@code updated} to its
     * view ends up with the host's list.
     */
    record MembersChanged(List<Member> joined, List<Departure> left, List<Member> updated)
            implements HostMessage {
        public MembersChanged {
            joined = List.copyOf(joined);
            left = List.copyOf(left);
            updated = List.copyOf(updated);
        }

        @Override
        public String type() {
            return MessageTypes.MEMBERS_CHANGED;
        }
    }

    /** One entry of {@link MembersChanged#left()}. */
    record Departure(String deviceId, LeaveReason reason) {
        public Departure {
            Objects.requireNonNull(deviceId, "deviceId");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * {@code ACK} (1.1): the guest's message {@code replyTo} was handled.
     *
     * @param result what the application's handler returned, as a JSON value (plain values, see
     *               {@link ApplicationMessage}); null when there is none, and then absent on the wire
     */
    record Ack(String replyTo, @Nullable Object result) implements HostMessage {
        public Ack {
            Objects.requireNonNull(replyTo, "replyTo");
        }

        @Override
        public String type() {
            return MessageTypes.ACK;
        }
    }

    /**
     * {@code HOST_CHANGED} (1.1): another member is the host now.
     *
     * @param reason {@code "Host left"} or {@code "Transferred"}
     */
    record HostChanged(String hostId, String hostName, String previousHostId, String reason)
            implements HostMessage {
        /** The reason when the host left. */
        public static final String HOST_LEFT = "Host left";
        /** The reason after {@code TRANSFER_HOST}. */
        public static final String TRANSFERRED = "Transferred";

        public HostChanged {
            Objects.requireNonNull(hostId, "hostId");
            Objects.requireNonNull(hostName, "hostName");
            Objects.requireNonNull(previousHostId, "previousHostId");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String type() {
            return MessageTypes.HOST_CHANGED;
        }
    }

    /** {@code JOIN_REQUESTED} (1.1): to members who may approve, for each device waiting. */
    record JoinRequested(String deviceId, String deviceName) implements HostMessage {
        @Override
        public String type() {
            return MessageTypes.JOIN_REQUESTED;
        }
    }

    /** {@code JOIN_REQUEST_ENDED} (1.1): a waiting device's request was settled. */
    record JoinRequestEnded(String deviceId, Outcome outcome) implements HostMessage {
        public JoinRequestEnded {
            Objects.requireNonNull(deviceId, "deviceId");
            Objects.requireNonNull(outcome, "outcome");
        }

        @Override
        public String type() {
            return MessageTypes.JOIN_REQUEST_ENDED;
        }
    }

    /** How a join request ended. */
    enum Outcome {
        APPROVED("approved"), DENIED("denied"), WITHDRAWN("withdrawn");

        private final String wireName;

        Outcome(String wireName) {
            this.wireName = wireName;
        }

        /** The lower-case form used on the wire. */
        public String wireName() {
            return wireName;
        }
    }

    /**
     * {@code STATE} (1.1): the session's whole shared state, to a guest with the {@code state}
     * capability right after its {@code MEMBER_LIST}.
     *
     * @param version the state's version; the next patch the guest gets has this plus one
     * @param state   a JSON object as plain values; never holds {@code null}
     */
    record State(long version, Map<String, Object> state) implements HostMessage {
        public State {
            Objects.requireNonNull(state, "state");
        }

        @Override
        public String type() {
            return MessageTypes.STATE;
        }
    }

    /**
     * {@code STATE_PATCH} (1.1): a change of the shared state as a JSON Merge Patch (RFC 7386).
     *
     * @param version exactly one more than the version the guest had
     * @param patch   a JSON object as plain values; {@code null} values remove keys
     */
    record StatePatch(long version, Map<String, @Nullable Object> patch) implements HostMessage {
        public StatePatch {
            Objects.requireNonNull(patch, "patch");
        }

        @Override
        public String type() {
            return MessageTypes.STATE_PATCH;
        }
    }
}
