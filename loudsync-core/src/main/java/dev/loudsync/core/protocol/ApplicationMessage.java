package dev.loudsync.core.protocol;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An application message: any upper-case {@code type} that is not one of the protocol's own.
 * It travels both ways: guests send it to the host's handlers, the host sends it to members.
 *
 * <p>The payload is a JSON object as plain Java values: {@code Map<String, Object>} for objects,
 * {@code List<Object>} for arrays, {@code String}, {@code Number}, {@code Boolean} and {@code null}.
 * The transport that decoded it guarantees that shape; values given by the application are
 * encoded as they are, so they must follow it too (the Netty transport also accepts any value its
 * JSON mapper can write).
 *
 * @param type    the application type, for example {@code "CHAT"}
 * @param payload the payload object; empty when the message had none
 * @param id      1.1: a guest's request id, or null (never set on messages the host sends)
 */
public record ApplicationMessage(String type, Map<String, @Nullable Object> payload, @Nullable String id)
        implements GuestMessage, HostMessage {

    public ApplicationMessage {
        Objects.requireNonNull(type, "type");
        if (!MessageTypes.isApplicationType(type)) {
            throw new IllegalArgumentException("type: " + type + " (expected: [A-Z][A-Z0-9_]*, at most "
                    + ProtocolRules.MAX_TYPE_CHARS + " characters, not a protocol type)");
        }
        payload = payload == null ? Map.of() : payload;
    }

    /** A message without an id. */
    public ApplicationMessage(String type, Map<String, Object> payload) {
        this(type, payload, null);
    }
}
