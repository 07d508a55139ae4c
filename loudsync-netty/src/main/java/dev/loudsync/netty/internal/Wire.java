package dev.loudsync.netty.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * The wire protocol's JSON vocabulary, one name per field (see {@code PROTOCOL.md}), and what
 * every codec of LoudSync shares: the JSON configuration, the envelope's opening and the writing
 * of plain Java values. The messages built from these names are in {@link GuestPayloads} (guest to
 * host) and {@link HostPayloads} (host to guest); {@link GuestDecoder}, {@link HostEncoder} and
 * {@link ClientCodec} are their two ends.
 *
 * <p>Stateless; the factories it builds are immutable and thread-safe.
 */
public final class Wire {

    // The envelope.
    public static final String TYPE = "type";
    public static final String TIMESTAMP = "timestamp";
    public static final String PAYLOAD = "payload";
    /**
     * 1.1: the request id of a guest message (every type but {@code JOIN}, {@code LEAVE},
     * {@code HEARTBEAT}, {@code PING} and {@code PONG}); also the member object's {@link #ID}.
     */
    public static final String REQUEST_ID = "id";

    // Payload fields, by the messages that carry them.
    /** {@code JOIN}, {@code WELCOME}. */
    public static final String SESSION_ID = "sessionId";
    /** {@code JOIN}, {@code HEARTBEAT}, {@code MEMBER_LEFT} and its batched form. */
    public static final String DEVICE_ID = "deviceId";
    public static final String DEVICE_NAME = "deviceName";
    public static final String VERSION = "version";
    public static final String PIN = "pin";
    /** {@code JOIN}, {@code WELCOME}. */
    public static final String RESUME_TOKEN = "resumeToken";
    public static final String CAPABILITIES = "capabilities";
    /** {@code JOIN} (1.1): a credential for the session's authenticator. */
    public static final String AUTH = "auth";
    /** {@code KICK} (1.1). */
    public static final String BAN = "ban";
    /** {@code ACK}, {@code ERROR} (1.1): the request id answered. */
    public static final String REPLY_TO = "replyTo";
    /** {@code ACK} (1.1). */
    public static final String RESULT = "result";
    /** {@code HOST_CHANGED} (1.1). */
    public static final String PREVIOUS_HOST_ID = "previousHostId";
    /** {@code JOIN_REQUEST_ENDED} (1.1). */
    public static final String OUTCOME = "outcome";
    /** {@code STATE} (1.1); its {@code version} is {@link #VERSION}. */
    public static final String STATE = "state";
    /** {@code STATE_PATCH} (1.1). */
    public static final String PATCH = "patch";
    /** {@code LEAVE}, {@code KICKED}, {@code SESSION_CLOSED}, {@code MEMBER_LEFT} and its batched form. */
    public static final String REASON = "reason";
    /** {@code HEARTBEAT}, and the member object. */
    public static final String LATENCY = "latency";
    public static final String PING_TIMESTAMP = "pingTimestamp";
    /** {@code WELCOME}, {@code PONG}. */
    public static final String SERVER_TIME = "serverTime";
    public static final String SESSION_NAME = "sessionName";
    public static final String HOST_ID = "hostId";
    public static final String HOST_NAME = "hostName";
    public static final String YOUR_DEVICE_ID = "yourDeviceId";
    public static final String PROTOCOL_VERSION = "protocolVersion";
    public static final String HEARTBEAT_INTERVAL_MS = "heartbeatIntervalMs";
    public static final String HEARTBEAT_TIMEOUT_MS = "heartbeatTimeoutMs";
    public static final String MAX_MEMBERS = "maxMembers";
    public static final String MEMBERS = "members";
    /** {@code MEMBER_JOINED}, {@code MEMBER_UPDATED}. */
    public static final String MEMBER = "member";
    public static final String CODE = "code";
    /** {@code ERROR}, {@code JOIN_PENDING}. */
    public static final String MESSAGE = "message";
    public static final String DETAILS = "details";
    public static final String JOINED = "joined";
    public static final String LEFT = "left";
    public static final String UPDATED = "updated";

    // The member object.
    public static final String ID = "id";
    public static final String NAME = "name";
    public static final String ROLE = "role";
    public static final String IS_HOST = "isHost";
    public static final String CONNECTION_STATUS = "connectionStatus";
    public static final String JOINED_AT = "joinedAt";

    /** The longest request {@code id}, in characters (1.1); the shortest is 1. */
    public static final int MAX_REQUEST_ID_CHARS = 64;
    /** The longest {@code JOIN.auth}, in characters (1.1). */
    public static final int MAX_AUTH_CHARS = 4096;

    private Wire() {
    }

    /** Whether {@code id} is a valid request id: 1 to {@value #MAX_REQUEST_ID_CHARS} characters. */
    static boolean isRequestId(String id) {
        return id != null && !id.isEmpty() && id.length() <= MAX_REQUEST_ID_CHARS;
    }

    /**
     * A factory that reads strict RFC 8259 JSON within {@code constraints} (no comments, single
     * quotes, unquoted names, {@code NaN}, leading zeros, trailing commas or unescaped control
     * characters; always UTF-8, never guessed; names canonicalized but never interned, since peers
     * choose them) and writes UTF-8 with supplementary characters as one 4-byte sequence.
     *
     * @param strictDuplicates whether a name twice in one object is an error
     * @throws IllegalStateException if Jackson left a lenient feature on
     */
    static JsonFactory factory(StreamReadConstraints constraints, boolean strictDuplicates) {
        JsonFactoryBuilder builder = new JsonFactoryBuilder()
                .configure(StreamReadFeature.STRICT_DUPLICATE_DETECTION, strictDuplicates)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
                .disable(JsonFactory.Feature.CHARSET_DETECTION)
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                .streamReadConstraints(constraints)
                .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8);
        // One by one: the varargs JsonFactoryBuilder.disable(first, other...) of jackson-core 2.22
        // *enables* the "other" features.
        for (JsonReadFeature f : JsonReadFeature.values()) {
            builder.disable(f);
        }
        JsonFactory factory = builder.build();
        for (JsonReadFeature f : JsonReadFeature.values()) {
            if (f.mappedFeature() != null && factory.isEnabled(f.mappedFeature())) {
                throw new IllegalStateException("Lenient JSON feature still enabled: " + f);
            }
        }
        return factory;
    }

    /** A mapper over {@code factory}, for values that are not plain Java values. */
    static ObjectMapper mapper(JsonFactory factory) {
        return JsonMapper.builder(factory)
                .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
                .disable(SerializationFeature.CLOSE_CLOSEABLE)
                .build();
    }

    /**
     * Opens an envelope: writes {@code {"type":...,"timestamp":...,"payload":}}, leaving the
     * generator where the payload's value goes.
     */
    static void startEnvelope(JsonGenerator g, String type, long timestamp) throws IOException {
        g.writeStartObject();
        g.writeStringField(TYPE, type);
        g.writeNumberField(TIMESTAMP, timestamp);
        g.writeFieldName(PAYLOAD);
    }

    /**
     * Writes a map as a JSON object of plain Java values (keys with {@link String#valueOf}); any
     * other value goes through {@code mapper} (a record, a bean, a Jackson tree...).
     */
    static void writeMap(JsonGenerator g, Map<?, ?> map, ObjectMapper mapper) throws IOException {
        g.writeStartObject();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object key = e.getKey();
            g.writeFieldName(key instanceof String ? (String) key : String.valueOf(key));
            writeValue(g, e.getValue(), mapper);
        }
        g.writeEndObject();
    }

    /**
     * Writes one value: plain Java values ({@code null}, strings, numbers, booleans, maps,
     * collections) directly, anything else (a record, a bean, a Jackson tree...) through
     * {@code mapper}.
     */
    static void writeValue(JsonGenerator g, Object v, ObjectMapper mapper) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String) {
            g.writeString((String) v);
        } else if (v instanceof Map) {
            writeMap(g, (Map<?, ?>) v, mapper);
        } else if (v instanceof Collection) {
            g.writeStartArray();
            for (Object e : (Collection<?>) v) {
                writeValue(g, e, mapper);
            }
            g.writeEndArray();
        } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).intValue());
        } else if (v instanceof Long) {
            g.writeNumber(((Long) v).longValue());
        } else if (v instanceof Double) {
            g.writeNumber(((Double) v).doubleValue());
        } else if (v instanceof Float) {
            g.writeNumber(((Float) v).floatValue());
        } else if (v instanceof BigInteger) {
            g.writeNumber((BigInteger) v);
        } else if (v instanceof BigDecimal) {
            g.writeNumber((BigDecimal) v);
        } else if (v instanceof Boolean) {
            g.writeBoolean((Boolean) v);
        } else {
            mapper.writeValue(g, v);
        }
    }
}
