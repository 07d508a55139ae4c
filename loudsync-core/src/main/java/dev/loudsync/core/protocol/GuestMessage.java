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
        GuestMessage.Pong, ApplicationMessage {

    /** The envelope's {@code type}. */
    String type();

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
     */
    record Join(@Nullable String sessionId, @Nullable String deviceId, @Nullable String deviceName,
            @Nullable String version, @Nullable String pin, @Nullable String resumeToken, Set<String> capabilities)
            implements GuestMessage {
        public Join {
            capabilities = capabilities == null ? Set.of() : Set.copyOf(capabilities);
        }

        /** A plain join without extensions. */
        public static Join of(String sessionId, String deviceId, String deviceName) {
            return new Join(sessionId, deviceId, deviceName, "1.0.0", null, null, Set.of());
        }

        @Override
        public String type() {
            return MessageTypes.JOIN;
        }

        /** A copy carrying a PIN. */
        public Join withPin(@Nullable String newPin) {
            return new Join(sessionId, deviceId, deviceName, version, newPin, resumeToken, capabilities);
        }

        /** A copy carrying a resume token. */
        public Join withResumeToken(@Nullable String token) {
            return new Join(sessionId, deviceId, deviceName, version, pin, token, capabilities);
        }

        /** A copy announcing capabilities. */
        public Join withCapabilities(Set<String> names) {
            return new Join(sessionId, deviceId, deviceName, version, pin, resumeToken, names);
        }

        /** A copy with another protocol version. */
        public Join withVersion(@Nullable String newVersion) {
            return new Join(sessionId, deviceId, deviceName, newVersion, pin, resumeToken, capabilities);
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
}
