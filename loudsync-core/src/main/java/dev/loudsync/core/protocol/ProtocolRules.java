package dev.loudsync.core.protocol;

import dev.loudsync.core.Member;
import java.util.Comparator;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The rules of the wire protocol that more than one part of LoudSync checks: the version, the
 * limits of fields, the syntax of message types and the order of member lists. Host, client and
 * discovery all read them here, so each rule has one name.
 *
 * <p>Stateless and thread-safe.
 */
public final class ProtocolRules {

    /** The protocol's major version: a {@code JOIN} whose {@code version} has another is refused. */
    public static final int MAJOR_VERSION = 1;

    /** The version this implementation speaks, the highest a {@code WELCOME} announces. */
    public static final String VERSION = "1.1";

    /** The {@code version} a LoudSync client sends in its {@code JOIN}. */
    public static final String CLIENT_VERSION = "1.1.0";

    /** Longest {@code JOIN.sessionId}, and longest configured session id, in characters. */
    public static final int MAX_SESSION_ID_CHARS = 32;

    /** Longest {@code deviceId} (of a guest or of the host device), in characters. */
    public static final int MAX_DEVICE_ID_CHARS = 128;

    /** Longest display name (a device's, a session's), in characters. */
    public static final int MAX_DISPLAY_NAME_CHARS = 64;

    /** Longest session PIN, in characters. */
    public static final int MAX_PIN_CHARS = 32;

    /** Longest message {@code type}, in characters. */
    public static final int MAX_TYPE_CHARS = 64;

    /** Largest latency, in milliseconds, that a measurement or a guest's report may set. */
    public static final long MAX_LATENCY_MILLIS = 60_000;

    /** Largest {@code maxMembers} of a session, host included. */
    public static final int MAX_MEMBERS = 100_000;

    /** What a {@code type} must look like; the text of the refusal of one that does not. */
    public static final String TYPE_SYNTAX =
            "Field 'type' must be upper case [A-Z][A-Z0-9_]*, at most " + MAX_TYPE_CHARS + " characters";

    /**
     * The order of every member list: the host first, then by {@code joinedAt}, then by id. Both
     * keys never change for a member, so a member keeps its place while it stays.
     */
    public static final Comparator<Member> MEMBER_ORDER = Comparator
            .comparing((Member m) -> !m.isHost())
            .thenComparingLong(Member::joinedAt)
            .thenComparing(Member::id);

    private static final Map<ErrorCode, CloseCode> JOIN_REFUSALS = Map.of(
            ErrorCode.INVALID_MESSAGE, CloseCode.INVALID_JOIN,
            ErrorCode.VERSION_MISMATCH, CloseCode.VERSION_MISMATCH,
            ErrorCode.SESSION_NOT_FOUND, CloseCode.SESSION_NOT_FOUND,
            ErrorCode.UNAUTHORIZED, CloseCode.UNAUTHORIZED,
            ErrorCode.ALREADY_JOINED, CloseCode.ALREADY_JOINED,
            ErrorCode.SESSION_FULL, CloseCode.SESSION_FULL,
            ErrorCode.RATE_LIMITED, CloseCode.RATE_LIMITED);

    private ProtocolRules() {
    }

    /**
     * Whether a guest's protocol {@code version} is accepted: missing ({@code null}), or one whose
     * major version is {@value #MAJOR_VERSION}, such as {@code "1"}, {@code "1.0"}, {@code "1.2.3"}
     * or {@code "1.0.0-beta"}.
     */
    public static boolean isSupportedVersion(@Nullable String version) {
        if (version == null) {
            return true;
        }
        int end = 0;
        while (end < version.length() && version.charAt(end) >= '0' && version.charAt(end) <= '9') {
            end++;
        }
        if (end == 0 || end > 9
                || (end < version.length() && version.charAt(end) != '.' && version.charAt(end) != '-')) {
            return false;
        }
        return Integer.parseInt(version.substring(0, end)) == MAJOR_VERSION;
    }

    /**
     * The {@code protocolVersion} a {@code WELCOME} announces to a guest that joined with
     * {@code joinVersion}: {@value #VERSION} if that names version 1.1 or later ({@code "1.1"},
     * {@code "1.2.0"}), else {@code "1"}, so that a guest written for version 1 sees the
     * {@code WELCOME} it always saw. A supported version is assumed.
     */
    public static String welcomeVersion(@Nullable String joinVersion) {
        if (joinVersion == null) {
            return "1";
        }
        int dot = joinVersion.indexOf('.');
        int end = dot + 1;
        while (dot > 0 && end < joinVersion.length() && joinVersion.charAt(end) >= '0' && joinVersion.charAt(end) <= '9') {
            end++;
        }
        if (dot < 0 || end == dot + 1 || end - dot > 10) {
            return "1";
        }
        return Integer.parseInt(joinVersion.substring(dot + 1, end)) >= 1 ? VERSION : "1";
    }

    /**
     * What is wrong with a {@code JOIN}'s required fields, naming the field, or {@code null} when
     * they are fine: a non-empty {@code sessionId} of at most {@value #MAX_SESSION_ID_CHARS}
     * characters, a non-empty {@code deviceId} of at most {@value #MAX_DEVICE_ID_CHARS}, and a
     * {@link #isDisplayName display name} as {@code deviceName}.
     */
    public static @Nullable String invalidJoinField(GuestMessage.Join join) {
        if (!nonEmpty(join.sessionId(), MAX_SESSION_ID_CHARS)) {
            return "Invalid JOIN: sessionId must be a non-empty string of at most " + MAX_SESSION_ID_CHARS
                    + " characters";
        }
        if (!isDeviceId(join.deviceId())) {
            return "Invalid JOIN: deviceId must be a non-empty string of at most " + MAX_DEVICE_ID_CHARS
                    + " characters";
        }
        if (!isDisplayName(join.deviceName())) {
            return "Invalid JOIN: deviceName must be a non-empty string of at most " + MAX_DISPLAY_NAME_CHARS
                    + " characters without control characters";
        }
        return null;
    }

    /** A device id: 1 to {@value #MAX_DEVICE_ID_CHARS} characters. */
    public static boolean isDeviceId(@Nullable String id) {
        return nonEmpty(id, MAX_DEVICE_ID_CHARS);
    }

    /** A display name: 1 to {@value #MAX_DISPLAY_NAME_CHARS} characters, none of them a control character. */
    public static boolean isDisplayName(@Nullable String name) {
        return nonEmpty(name, MAX_DISPLAY_NAME_CHARS) && name.chars().noneMatch(Character::isISOControl);
    }

    /**
     * A session id a host may open or advertise: 1 to {@value #MAX_SESSION_ID_CHARS} characters,
     * ASCII letters, digits, {@code -} or spaces, at least one of them a letter or digit.
     */
    public static boolean isSessionId(@Nullable String id) {
        if (!nonEmpty(id, MAX_SESSION_ID_CHARS)) {
            return false;
        }
        boolean letterOrDigit = false;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean alnum = c < 128 && Character.isLetterOrDigit(c);
            if (!alnum && c != '-' && c != ' ') {
                return false;
            }
            letterOrDigit |= alnum;
        }
        return letterOrDigit;
    }

    /**
     * Whether {@code type} has the syntax of a message type: {@code [A-Z][A-Z0-9_]*}, at most
     * {@value #MAX_TYPE_CHARS} characters. Protocol and application types alike.
     */
    public static boolean isTypeSyntax(@Nullable String type) {
        int n = type == null ? 0 : type.length();
        if (n == 0 || n > MAX_TYPE_CHARS || type.charAt(0) < 'A' || type.charAt(0) > 'Z') {
            return false;
        }
        for (int i = 1; i < n; i++) {
            char c = type.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The close code that follows a refused {@code JOIN} answered with {@code ERROR code}, as in
     * PROTOCOL.md's table of join checks.
     */
    public static CloseCode closeForRefusedJoin(ErrorCode code) {
        CloseCode close = JOIN_REFUSALS.get(code);
        if (close == null) {
            throw new IllegalArgumentException("code: " + code + " (not a join refusal)");
        }
        return close;
    }

    /** Whether {@code millis} is a latency a measurement or a guest's report may set. */
    public static boolean isLatency(long millis) {
        return millis >= 0 && millis <= MAX_LATENCY_MILLIS;
    }

    private static boolean nonEmpty(@Nullable String value, int maxChars) {
        return value != null && !value.isEmpty() && value.length() <= maxChars;
    }
}
