package dev.loudsync.core;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A {@code JOIN} as an authenticator sees it.
 *
 * @param sessionId  the session's id as configured
 * @param deviceId   the device that asks to join
 * @param deviceName the display name it asks for
 * @param credential {@code JOIN.auth}: a token or ticket, or null when the guest sent none
 * @param request    the connection's WebSocket upgrade request
 */
public record JoinAttempt(String sessionId, String deviceId, String deviceName, @Nullable String credential,
        UpgradeRequest request) {

    public JoinAttempt {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(deviceName, "deviceName");
        Objects.requireNonNull(request, "request");
    }

    /** {@link #credential()}, when the guest sent one. */
    public Optional<String> credentialIfAny() {
        return Optional.ofNullable(credential);
    }
}
