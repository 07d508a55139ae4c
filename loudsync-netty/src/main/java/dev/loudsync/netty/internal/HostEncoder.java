package dev.loudsync.netty.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.HostMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The host's side of the host-to-guest direction: encodes a {@link HostMessage} into a UTF-8 JSON
 * envelope (payloads as {@link HostPayloads} defines them; see {@code PROTOCOL.md}).
 *
 * <p>{@link #encode} writes {@code {"type":...,"timestamp":...,"payload":{...}}} in that field
 * order with a streaming {@link JsonGenerator} into a new buffer of the given allocator
 * ({@link #encodeInto} appends to a given buffer instead, for example after room reserved for a
 * WebSocket frame header); nothing goes through an intermediate {@code String} or tree. Strings
 * are escaped as JSON requires; non-ASCII characters are written as UTF-8 (supplementary
 * characters as one 4-byte sequence), a lone surrogate as a {@code \\uXXXX} escape, so the output
 * is always valid UTF-8. Application payloads and {@code ERROR.details} are written as plain Java
 * values (map keys with {@link String#valueOf}); any other value is handed to the Jackson mapper
 * (for example a record or a bean). {@code NaN} and infinities are written as strings (Jackson's
 * default). A value the mapper cannot write makes {@code encode} throw
 * {@link IllegalArgumentException}, after releasing its buffer ({@code encodeInto} resets the
 * writer index instead).
 *
 * <p>Immutable and thread-safe: one configured {@link JsonFactory} and {@link ObjectMapper} are
 * shared by all calls; every call uses its own generator.
 */
public final class HostEncoder {

    private final JsonFactory factory = Wire.factory(StreamReadConstraints.defaults(), true);
    private final ObjectMapper mapper = Wire.mapper(factory);

    /**
     * Encodes {@code message} as a JSON envelope into a new buffer of {@code alloc}; the caller owns
     * (and releases) the returned buffer.
     *
     * @param timestamp the envelope's {@code timestamp}, the host's clock in milliseconds
     * @throws IllegalArgumentException if an application value cannot be written as JSON (the
     *                                  buffer is released first)
     */
    public ByteBuf encode(HostMessage message, long timestamp, ByteBufAllocator alloc) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(alloc, "alloc");
        ByteBuf buf = alloc.buffer(initialCapacity(message));
        try {
            encodeInto(message, timestamp, buf);
            return buf;
        } catch (RuntimeException | Error e) {
            buf.release();
            throw e;
        }
    }

    /**
     * Appends the JSON envelope of {@code message} to {@code out}, at its writer index (for a caller
     * that reserved room for a frame header in front). The buffer grows as needed and is never
     * released here. If encoding fails, the writer index is put back where it was.
     *
     * @param timestamp the envelope's {@code timestamp}, the host's clock in milliseconds
     * @throws IllegalArgumentException if an application value cannot be written as JSON
     */
    public void encodeInto(HostMessage message, long timestamp, ByteBuf out) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(out, "out");
        int start = out.writerIndex();
        try {
            writeEnvelope(new ByteBufOutputStream(out), message, timestamp);
        } catch (IOException e) {
            out.writerIndex(start);
            throw new IllegalArgumentException("Cannot encode " + message.type() + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            out.writerIndex(start);
            throw e;
        }
    }

    /** {@link #encode} as a string, for tests and logs. */
    public String encodeToString(HostMessage message, long timestamp) {
        ByteBuf buf = encode(message, timestamp, UnpooledByteBufAllocator.DEFAULT);
        try {
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }

    private static int initialCapacity(HostMessage m) {
        if (m instanceof HostMessage.MemberList) {
            return 96 + 160 * ((HostMessage.MemberList) m).members().size();
        }
        if (m instanceof HostMessage.MembersChanged) {
            HostMessage.MembersChanged c = (HostMessage.MembersChanged) m;
            return 128 + 160 * (c.joined().size() + c.updated().size()) + 64 * c.left().size();
        }
        if (m instanceof HostMessage.Welcome) {
            return 512;
        }
        return 256;
    }

    private void writeEnvelope(OutputStream out, HostMessage m, long timestamp) throws IOException {
        try (JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
            Wire.startEnvelope(g, m.type(), timestamp);
            if (m instanceof ApplicationMessage) {
                Wire.writeMap(g, ((ApplicationMessage) m).payload(), mapper);
            } else {
                g.writeStartObject();
                HostPayloads.of(m.type()).write(g, m, mapper);
                g.writeEndObject();
            }
            g.writeEndObject();
        }
    }
}
