package dev.loudsync.examples.chat;

import dev.loudsync.core.Member;
import dev.loudsync.core.protocol.ProtocolRules;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * User ids and how members map to users.
 *
 * <p>A member's device id is its user's id, or the user id, {@code ':'} and anything (one tab or
 * device of that user: {@code u-7f3k2m9q4w:tab-1}). The authenticator checks it against the token,
 * so the user behind a member is read from the member itself: no table from device to user that a
 * second join with the same device id could confuse.
 */
final class ChatUsers {

    private static final Pattern USER_ID = Pattern.compile("u-[a-z0-9]{10}");
    private static final String LETTERS = "abcdefghjkmnpqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ChatUsers() {
    }

    /** A fresh random user id, {@code u-} and ten letters or digits. */
    static String newUserId() {
        StringBuilder id = new StringBuilder("u-");
        for (int i = 0; i < 10; i++) {
            id.append(LETTERS.charAt(RANDOM.nextInt(LETTERS.length())));
        }
        return id.toString();
    }

    static boolean isUserId(String s) {
        return USER_ID.matcher(s).matches();
    }

    /** Whether a member with {@code deviceId} may act as {@code userId}. */
    static boolean ownsDevice(String userId, String deviceId) {
        return deviceId.equals(userId) || deviceId.startsWith(userId + ":");
    }

    /** The user behind an admitted member (its name was set from its token). */
    static ChatUser of(Member member) {
        String id = member.id();
        int colon = id.indexOf(':');
        return new ChatUser(colon < 0 ? id : id.substring(0, colon), member.name());
    }

    /** A display name as typed, trimmed; empty if it is not one (1-64 characters, no control characters). */
    static Optional<String> displayName(String typed) {
        if (typed == null) {
            return Optional.empty();
        }
        String name = typed.strip();
        return ProtocolRules.isDisplayName(name) ? Optional.of(name) : Optional.empty();
    }
}
