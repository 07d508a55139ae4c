package dev.loudsync.netty.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.protocol.MessageTypes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * The guest's side of both directions: encodes what a guest sends ({@link GuestPayloads}) and
 * decodes what a host sends ({@link HostPayloads}). The Java client uses it, and so do the load
 * generator and the tests, so that every LoudSync guest writes the same bytes.
 *
 * <p>Decoding is lenient where a host that follows {@code PROTOCOL.md} may differ: unknown fields
 * and types are ignored, absent extensions take their defaults (see {@link HostPayloads}), a name
 * twice in one object keeps the last value, nesting and string lengths are only bounded by
 * Jackson's defaults, and nothing after the envelope object is read. A frame that is not JSON, or
 * whose known fields have the wrong JSON type (no coercion), is not understood:
 * {@link #decode} returns null.
 *
 * <p>Encoding writes {@code {"type":...,"id":...,"timestamp":...,"payload":{...}}}, leaving out
 * fields without a value; the {@code id} (1.1) is the message's request id, written only on types
 * that take one; the {@code timestamp} is the sender's clock, except for a {@code PING}, which
 * carries its own (none when it has none).
 *
 * <p>Immutable and thread-safe. Public for the load generator and the tests of other packages; not
 * API.
 */
public final class ClientCodec {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final JsonFactory factory = Wire.factory(StreamReadConstraints.defaults(), false);
    private final ObjectMapper mapper = Wire.mapper(factory);

    /**
     * A message from the host.
     *
     * @param message   the message
     * @param timestamp its envelope's {@code timestamp}, the host's clock; 0 when absent
     */
    public record Incoming(HostMessage message, long timestamp) {
        public Incoming {
            Objects.requireNonNull(message, "message");
        }
    }

    // ---- guest to host

    /**
     * Encodes {@code message} into a new buffer of {@code alloc}, which the caller owns.
     *
     * @param clock the sender's clock, in milliseconds since the epoch
     * @throws IllegalArgumentException if an application value cannot be written as JSON (the
     *                                  buffer is released first)
     */
    public ByteBuf encode(GuestMessage message, long clock, ByteBufAllocator alloc) {
        Objects.requireNonNull(message, "message");
        ByteBuf buf = alloc.buffer(128);
        try (JsonGenerator g = factory.createGenerator((OutputStream) new ByteBufOutputStream(buf),
                JsonEncoding.UTF8)) {
            write(g, message, clock);
        } catch (IOException e) {
            buf.release();
            throw new IllegalArgumentException("Cannot encode " + message.type() + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            buf.release();
            throw e;
        }
        return buf;
    }

    /** {@link #encode} as a string, for clients that send strings. */
    public String encodeToString(GuestMessage message, long clock) {
        ByteBuf buf = encode(message, clock, UnpooledByteBufAllocator.DEFAULT);
        try {
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }

    /**
     * An application message whose payload is {@code payload}: a map (written as
     * {@link HostEncoder} writes maps), a Jackson tree, or any value the mapper writes as a JSON
     * object; null is an empty payload.
     *
     * @throws IllegalArgumentException if {@code type} is not an application type or the payload is
     *                                  not a JSON object
     */
    @SuppressWarnings("unchecked")
    public ApplicationMessage application(String type, Object payload) {
        if (payload == null || payload instanceof Map) {
            return new ApplicationMessage(type, (Map<String, Object>) payload);
        }
        JsonNode tree = mapper.valueToTree(payload);
        if (!tree.isObject()) {
            throw new IllegalArgumentException("payload: must be a JSON object, was " + tree.getNodeType());
        }
        return new ApplicationMessage(type, mapper.convertValue(tree, MAP));
    }

    /**
     * {@code value}, plain JSON values as this codec reads them (an {@code ACK}'s result), bound
     * to {@code type} with Jackson (a record, a bean, a {@code JsonNode}...); null stays null.
     *
     * @throws IllegalArgumentException if it does not bind
     */
    public <T> T convert(Object value, Class<T> type) {
        Objects.requireNonNull(type, "type");
        return value == null ? null : mapper.convertValue(value, type);
    }

    private void write(JsonGenerator g, GuestMessage m, long clock) throws IOException {
        String id = MessageTypes.takesRequestId(m.type()) ? m.id() : null;
        if (m instanceof ApplicationMessage) {
            startEnvelope(g, m.type(), id, clock);
            Wire.writeMap(g, ((ApplicationMessage) m).payload(), mapper);
        } else {
            GuestPayloads payload = GuestPayloads.of(m.type());
            startEnvelope(g, m.type(), id, payload.envelopeTimestamp(m, clock));
            g.writeStartObject();
            payload.write(g, m);
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** {@code {"type":...,"id":...,"timestamp":...,"payload":}}, without what is null. */
    private static void startEnvelope(JsonGenerator g, String type, String id, Long timestamp) throws IOException {
        g.writeStartObject();
        g.writeStringField(Wire.TYPE, type);
        if (id != null) {
            g.writeStringField(Wire.REQUEST_ID, id);
        }
        if (timestamp != null) {
            g.writeNumberField(Wire.TIMESTAMP, timestamp);
        }
        g.writeFieldName(Wire.PAYLOAD);
    }

    // ---- host to guest

    /** The host message in {@code text}, or null if it is not one this client understands. */
    public Incoming decode(String text) {
        try (JsonParser p = factory.createParser(text)) {
            return read(p);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The host message in the UTF-8 bytes of {@code utf8Json}, or null if it is not one this client
     * understands; the buffer's indices are left as they were.
     */
    public Incoming decode(ByteBuf utf8Json) {
        try (JsonParser p = factory.createParser((InputStream) new ByteBufInputStream(utf8Json.duplicate()))) {
            return read(p);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private Incoming read(JsonParser p) throws IOException {
        WireReader in = new WireReader(p, mapper, WireReader.NO_LIMIT);
        if (in.next() != JsonToken.START_OBJECT) {
            return null;
        }
        String type = null;
        long timestamp = 0;
        boolean payloadSeen = false;
        TokenBuffer buffered = null;
        HostMessage message = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case Wire.TYPE -> type = in.string(f);
                case Wire.TIMESTAMP -> {
                    Long t = in.millis(f);
                    timestamp = t != null ? t : 0;
                }
                case Wire.PAYLOAD -> {
                    if (p.currentToken() == JsonToken.VALUE_NULL) {
                        break;
                    }
                    payloadSeen = true;
                    if (p.currentToken() != JsonToken.START_OBJECT) {
                        in.problem("Field 'payload' must be an object");
                        in.skip();
                    } else if (type == null) {
                        buffered = new TokenBuffer(p, null); // the type decides how to read it
                        buffered.copyCurrentStructure(p);
                    } else {
                        message = payload(type, in);
                    }
                }
                default -> in.skip();
            }
        }
        if (type == null || in.problem() != null) {
            return null;
        }
        if (buffered != null) {
            try (JsonParser q = buffered.asParser()) {
                q.nextToken();
                WireReader body = new WireReader(q, mapper, WireReader.NO_LIMIT);
                message = payload(type, body);
                if (body.problem() != null) {
                    return null;
                }
            }
        } else if (!payloadSeen) {
            message = payload(type, WireReader.empty());
        }
        return message != null ? new Incoming(message, timestamp) : null;
    }

    /** The message of {@code type} whose payload {@code in} is on; null for a type this client does not know. */
    private static HostMessage payload(String type, WireReader in) throws IOException {
        HostPayload shape = HostPayloads.of(type);
        if (shape != null) {
            HostMessage m = shape.read(in);
            return in.problem() == null ? m : null;
        }
        if (MessageTypes.isApplicationType(type)) {
            Map<String, Object> values = in.isAbsent() ? null : in.values(Wire.PAYLOAD);
            return in.problem() == null ? new ApplicationMessage(type, values) : null;
        }
        if (!in.isAbsent()) {
            in.skip();
        }
        return null;
    }
}
