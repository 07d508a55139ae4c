package dev.loudsync.netty.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.loudsync.core.transport.PayloadBinder;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The server's {@link PayloadBinder}: binds an application payload (plain JSON values, as the
 * {@link GuestDecoder} made them) to the application's class with Jackson, by the protocol's rules:
 * unknown fields are ignored, absent ones keep Java's defaults, and nothing is coerced (a string
 * where the class has a number, a fraction for an {@code int}, a number for a string or a boolean
 * are refused). Records, beans and classes with a {@code @JsonCreator} bind as Jackson binds them.
 *
 * <p>A payload that does not bind throws {@link IllegalArgumentException} whose message names the
 * field and what it must be ({@code "Field 'track.length' must be a number"}), never a class name
 * or Jackson's own text: the core sends it to the guest as the {@code INVALID_MESSAGE} reason.
 *
 * <p>Thread-safe: one configured mapper, shared.
 */
final class JacksonPayloadBinder implements PayloadBinder {

    private final ObjectMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    @Override
    public <T> T bind(Map<String, Object> payload, Class<T> type) {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(type, "type");
        try {
            return mapper.convertValue(payload, type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(reason(e.getCause() instanceof JsonMappingException
                    ? (JsonMappingException) e.getCause() : null), null);
        }
    }

    /** What the guest is told: the field's path and, for a value of the wrong kind, the right kind. */
    static String reason(JsonMappingException e) {
        String field = e == null ? "" : path(e);
        if (field.isEmpty()) {
            return "the payload does not fit";
        }
        if (e instanceof MismatchedInputException && ((MismatchedInputException) e).getTargetType() != null) {
            return "Field '" + field + "' must be " + kind(((MismatchedInputException) e).getTargetType());
        }
        return "Field '" + field + "' is invalid";
    }

    /** {@code a.b[2].c}, from Jackson's reference chain. */
    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                String quoted = GuestDecoder.quote(r.getFieldName()); // truncated, control characters replaced
                sb.append(quoted, 1, quoted.length() - 1);
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static final Set<Class<?>> WHOLE_NUMBERS = Set.of(int.class, long.class, short.class, byte.class,
            Integer.class, Long.class, Short.class, Byte.class, BigInteger.class);

    private static String kind(Class<?> t) {
        if (t.isEnum()) {
            return "one of the allowed texts";
        }
        if (t == String.class || t == Character.class || t == char.class) {
            return "a string";
        }
        if (t == boolean.class || t == Boolean.class) {
            return "a boolean";
        }
        if (WHOLE_NUMBERS.contains(t)) {
            return "a whole number";
        }
        if (t.isPrimitive() || Number.class.isAssignableFrom(t)) {
            return "a number";
        }
        if (t.isArray() || Collection.class.isAssignableFrom(t)) {
            return "an array";
        }
        return "an object";
    }
}
