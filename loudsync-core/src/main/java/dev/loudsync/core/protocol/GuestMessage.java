package dev.loudsync.core.protocol;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A message from a guest to the host, already decoded from its JSON envelope.
 *
 * <p>Fields that the protocol makes optional are {@code null} when absent. Records hold what the
 * guest sent without judging it: the session checks it (for example a {@code JOIN} with an empty
 * {@code deviceId} is a valid {@link Join} record that the session refuses).
 */
public sealed interface GuestMessage
        permits GuestMessage.Join, GuestMessage.Leave, GuestMessage.Heartbeat, GuestMessage.Ping,
        GuestMessage.Pong, GuestMessage.Kick, GuestMessage.SetRole, GuestMessage.Approve,
        GuestMessage.Deny, GuestMessage.TransferHost, GuestMessage.EndSession, ApplicationMessage {

    /** The envelope's {@code type}. */
    String type();

    /**
     * 1.1: the envelope's {@code id}, or null. A message with an id is answered exactly once, with
     * {@code ACK} or {@code ERROR} naming it in {@code replyTo}. {@code JOIN}, {@code LEAVE},
     * {@code HEARTBEAT}, {@code PING} and {@code PONG} never carry one (it is ignored on them).
     */
    default @Nullable String id() {
        return null;
    }

    /**
     * {@code JOIN}: the first message of a connection.
     *
     * @param sessionId    the session code as typed by the user
     * @param deviceId     the guest's stable device id
     * @param deviceName   display name
     * @param version      the guest's protocol version ({@code "1.0.0"}), or null
     * @param pin          extension: the session PIN, or null
     * @param resumeToken  extension: the token of an earlier {@code WELCOME}, or null
     * @param capabilities extension: capability names, empty when absent
     * @param auth         1.1: a credential for the session's authenticator (a token, a ticket), or null
     */
    record Join(@Nullable String sessionId, @Nullable String deviceId, @Nullable String deviceName,
            @Nullable String version, @Nullable String pin, @Nullable String resumeToken, Set<String> capabilities,
            @Nullable String auth) implements GuestMessage {
        public Join {
            capabilities = capabilities == null ? Set.of() : Set.copyOf(capabilities);
        }

        /** A join without {@code auth}. */
        public Join(String sessionId, String deviceId, String deviceName, String version, String pin,
                String resumeToken, Set<String> capabilities) {
            this(sessionId, deviceId, deviceName, version, pin, resumeToken, capabilities, null);
        }

        /** A plain join without extensions. */
        public static Join of(String sessionId, String deviceId, String deviceName) {
            return new Join(sessionId, deviceId, deviceName, "1.0.0", null, null, Set.of(), null);
        }

        @Override
        public String type() {
            return MessageTypes.JOIN;
        }

        /** A copy carrying a PIN. */
        public Join withPin(@Nullable String newPin) {
            return new Join(sessionId, deviceId, deviceName, version, newPin, resumeToken, capabilities, auth);
        }

        /** A copy carrying a resume token. */
        public Join withResumeToken(@Nullable String token) {
            return new Join(sessionId, deviceId, deviceName, version, pin, token, capabilities, auth);
        }

        /** A copy announcing capabilities. */
        public Join withCapabilities(Set<String> names) {
            return new Join(sessionId, deviceId, deviceName, version, pin, resumeToken, names, auth);
        }

        /** A copy with another protocol version. */
        public Join withVersion(@Nullable String newVersion) {
            return new Join(sessionId, deviceId, deviceName, newVersion, pin, resumeToken, capabilities, auth);
        }

        /** A copy carrying a credential for the authenticator. */
        public Join withAuth(@Nullable String credential) {
            return new Join(sessionId, deviceId, deviceName, version, pin, resumeToken, capabilities, credential);
        }
    }

    /** {@code LEAVE}: a graceful goodbye, with an optional free-text reason. */
    record Leave(@Nullable String reason) implements GuestMessage {
        @Override
        public String type() {
            return MessageTypes.LEAVE;
        }
    }

    /**
     * {@code HEARTBEAT}: a sign of life, every {@code heartbeatIntervalMs}.
     *
     * @param deviceId      must be the connection's own member
     * @param latencyMillis extension: the client-measured round-trip time, or null
     */
    record Heartbeat(@Nullable String deviceId, @Nullable Long latencyMillis) implements GuestMessage {
        @Override
        public String type() {
            return MessageTypes.HEARTBEAT;
        }
    }

    /**
     * {@code PING}: asks for a {@code PONG} carrying the host's time.
     *
     * @param timestamp the envelope's {@code timestamp}, echoed as {@code pingTimestamp}; may be null
     */
    record Ping(@Nullable Long timestamp) implements GuestMessage {
        @Override
        public String type() {
            return MessageTypes.PING;
        }
    }

    /**
     * {@code PONG}: the answer to a host {@code PING} (extension).
     *
     * @param pingTimestamp the {@code timestamp} of the host's {@code PING}, or null
     */
    record Pong(@Nullable Long pingTimestamp) implements GuestMessage {
        @Override
        public String type() {
            return MessageTypes.PONG;
        }
    }

    /**
     * {@code KICK} (1.1): a host or cohost removes a member, as the host API's kick (or ban).
     *
     * @param deviceId the member to remove
     * @param reason   the text of its {@code KICKED}, or null
     * @param ban      whether later joins of the device are refused too
     * @param id       the request id, or null
     */
    record Kick(@Nullable String deviceId, @Nullable String reason, boolean ban, @Nullable String id) implements GuestMessage {
        @Override
        public String type() {
            return MessageTypes.KICK;
        }
    }

    /**
     * {@code SET_ROLE} (1.1): the host makes a member a cohost or a client.
     *
     * @param role the wire name of the role as sent ({@code "cohost"} or {@code "client"} are valid)
     */
    record SetRole(@Nullable String deviceId, @Nullable String role, @Nullable String id) implements GuestMessage {
        @Override
        public String type() {
            return MessageTypes.SET_ROLE;
        }
    }

    /** {@code APPROVE} (1.1): a host or cohost admits a waiting join request. */
    record Approve(@Nullable String deviceId, @Nullable String id) implements GuestMessage {
        @Override
        public String type() {
            return MessageTypes.APPROVE;
        }
    }

    /** {@code DENY} (1.1): a host or cohost refuses a waiting join request. */
    record Deny(@Nullable String deviceId, @Nullable String id) implements GuestMessage {
        @Override
        public String type() {
            return MessageTypes.DENY;
        }
    }

    /** {@code TRANSFER_HOST} (1.1): the host of a server-hosted session hands the role on. */
    record TransferHost(@Nullable String deviceId, @Nullable String id) implements GuestMessage {
        @Override
        public String type() {
            return MessageTypes.TRANSFER_HOST;
        }
    }

    /**
     * {@code END_SESSION} (1.1): the host of a server-hosted session ends it.
     *
     * @param reason the text of {@code SESSION_CLOSED}, or null for the default
     */
    record EndSession(@Nullable String reason, @Nullable String id) implements GuestMessage {
        @Override
        public String type() {
            return MessageTypes.END_SESSION;
        }
    }
}
