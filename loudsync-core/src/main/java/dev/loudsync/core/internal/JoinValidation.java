package dev.loudsync.core.internal;

import dev.loudsync.core.protocol.GuestMessage.Join;

/** The first two join checks of the protocol, which need no session. */
final class JoinValidation {

    static final int MAX_SESSION_ID = 32;
    static final int MAX_DEVICE_ID = 128;
    static final int MAX_DEVICE_NAME = 64;

    private JoinValidation() {
    }

    /** What is wrong with the join's required fields, naming the field, or null when they are fine. */
    static String invalidField(Join join) {
        if (!nonEmpty(join.sessionId(), MAX_SESSION_ID)) {
            return "Invalid JOIN: sessionId must be a non-empty string of at most " + MAX_SESSION_ID
                    + " characters";
        }
        if (!nonEmpty(join.deviceId(), MAX_DEVICE_ID)) {
            return "Invalid JOIN: deviceId must be a non-empty string of at most " + MAX_DEVICE_ID
                    + " characters";
        }
        if (!nonEmpty(join.deviceName(), MAX_DEVICE_NAME)
                || join.deviceName().chars().anyMatch(Character::isISOControl)) {
            return "Invalid JOIN: deviceName must be a non-empty string of at most " + MAX_DEVICE_NAME
                    + " characters without control characters";
        }
        return null;
    }

    /**
     * Whether the guest's version is acceptable: missing, or a major version of 1 ({@code "1"},
     * {@code "1.0"}, {@code "1.2.3"}, {@code "1.0.0-beta"}).
     */
    static boolean versionSupported(String version) {
        if (version == null) {
            return true;
        }
        int end = 0;
        while (end < version.length() && Character.isDigit(version.charAt(end))) {
            end++;
        }
        if (end == 0 || end > 9 || (end < version.length() && version.charAt(end) != '.'
                && version.charAt(end) != '-')) {
            return false;
        }
        return Integer.parseInt(version, 0, end, 10) == 1;
    }

    private static boolean nonEmpty(String value, int max) {
        return value != null && !value.isEmpty() && value.length() <= max;
    }
}
