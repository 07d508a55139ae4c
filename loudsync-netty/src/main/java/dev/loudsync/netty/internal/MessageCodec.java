package dev.loudsync.netty.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.util.ByteBufferBackedInputStream;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.loudsync.core.Member;
import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.protocol.MessageTypes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON codec of the wire protocol (see {@code PROTOCOL.md}): decodes one text frame into a
 * {@link GuestMessage} and encodes a {@link HostMessage} into a UTF-8 JSON envelope.
 *
 * <p>Immutable and thread-safe: one configured {@link JsonFactory} and {@link ObjectMapper} are
 * shared by all calls; every call uses its own parser or generator.
 *
 * <h2>Decoding</h2>
 *
 * <p>{@link #decode(ByteBuf)} never throws for any input bytes: anything that is not a valid guest
 * message is an {@linkplain Decoded#invalid invalid result} whose {@linkplain Decoded#detail() detail}
 * is a short reason safe to send to the guest (no exception class, no stack trace, at most a
 * truncated field name of the input). The rules:
 *
 * <ul>
 *   <li><b>Well-formed:</b> the bytes are strict UTF-8 (see {@link Utf8}: no overlong forms,
 *       encoded surrogates or code points above U+10FFFF; a byte order mark and UTF-16/32 are
 *       refused) holding exactly one JSON object, optionally surrounded by JSON whitespace. Strict
 *       RFC 8259: no comments, single quotes, unquoted names, {@code NaN}, leading zeros, trailing
 *       commas or unescaped control characters.</li>
 *   <li><b>Duplicate names</b> are refused in every object at any depth, including in fields that
 *       are otherwise ignored.</li>
 *   <li><b>Depth:</b> the number of objects and arrays enclosing the innermost value, the envelope
 *       object counting 1. So {@code {"type":"PING"}} has depth 1, a {@code payload} object 2, an
 *       array inside the payload 3. Depth up to {@value #MAX_DEPTH} is accepted, deeper is
 *       refused.</li>
 *   <li><b>Strings</b> (values and names, anywhere, ignored ones included) longer than
 *       {@code maxFrameBytes} characters (UTF-16 units, after unescaping) are refused. Inside a frame
 *       of at most {@code maxFrameBytes} bytes that cannot happen; it guards callers that hand over
 *       larger buffers.</li>
 *   <li><b>{@code type}:</b> required, a string matching {@code [A-Z][A-Z0-9_]*} of at most 64
 *       characters. A host-only protocol type ({@code WELCOME}, {@code ERROR}...) is refused.</li>
 *   <li><b>{@code timestamp}:</b> optional; {@code null} is absent; otherwise a number within the
 *       range of {@code long}, rounded like the fields below.</li>
 *   <li><b>{@code payload}:</b> optional; {@code null} is absent (an empty payload); otherwise an
 *       object.</li>
 *   <li>Fields are read in any order ({@code payload} may precede {@code type}: it is then buffered
 *       in a {@link TokenBuffer}). Unknown fields are ignored everywhere (but checked for
 *       well-formedness, as above).</li>
 *   <li><b>No coercion:</b> a string field holding a number (or anything but a string) and a
 *       number field holding a string (or anything but a number) are refused, naming the field.
 *       {@code null} in an optional field means absent.</li>
 *   <li><b>Floats where the protocol has milliseconds:</b> {@code HEARTBEAT.latency} and
 *       {@code PONG.pingTimestamp} accept any JSON number and round it to the nearest {@code long}
 *       ({@link Math#round(double)}: halves round up), because JavaScript clients send measured
 *       times such as {@code 45.300000000000004}. Values outside the {@code long} range are
 *       refused. The envelope {@code timestamp} is read the same way, since a browser guest may
 *       stamp its {@code PING} with {@code performance.timeOrigin + performance.now()}.</li>
 *   <li>{@code JOIN} fields are passed on as sent (null when absent, possibly empty): the session
 *       validates them. {@code capabilities} must be an array of strings (null = empty).</li>
 *   <li><b>Application payloads</b> become plain Java values: an unmodifiable insertion-ordered
 *       {@code Map<String, Object>} per object, an unmodifiable {@code List<Object>} per array,
 *       {@code String}, {@code Boolean}, {@code null}, and numbers as {@code Integer}, {@code Long}
 *       or {@code BigInteger} for integer literals (the smallest that holds the value) and
 *       {@code Double} for literals with a fraction or exponent. A float literal beyond the range of
 *       {@code double} (for example {@code 1e400}) is refused rather than turned into infinity.</li>
 * </ul>
 *
 * <p>When several things are wrong, the detail reports, in this order: a well-formedness problem
 * (malformed JSON, trailing data, duplicate, depth, string length), then the {@code type}, then
 * the {@code timestamp}, then the payload (the first wrong payload field in input order). The
 * result's {@link Decoded#type() type} is the envelope's type whenever a well-formed one was read
 * (also for a host-only type and for a malformed frame whose type came before the error), else
 * null; it is never a string that is not a valid type.
 *
 * <p>The decoder reads straight from the buffer, without copying: from its backing array, or from
 * its {@linkplain ByteBuf#nioBuffer(int, int) NIO view} (only a composite of several parts is
 * copied once). It leaves the buffer's indices and reference count untouched. {@code JOIN}, {@code LEAVE}, {@code HEARTBEAT},
 * {@code PING} and {@code PONG} are read with the streaming parser, without building a tree.
 *
 * <h2>Encoding</h2>
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
 */
public final class MessageCodec {

    /** The deepest accepted nesting of objects and arrays, the envelope counting 1. */
    public static final int MAX_DEPTH = 16;

    /** The longest accepted {@code type}, as in {@link MessageTypes#isApplicationType}. */
    static final int MAX_TYPE_LENGTH = 64;

    /** Longest excerpt of the input (a field name) quoted in a detail. */
    private static final int MAX_QUOTED = 32;

    private static final Logger log = LoggerFactory.getLogger(MessageCodec.class);

    static final String EMPTY = "Empty message";
    static final String INVALID_UTF8 = "Invalid UTF-8";
    static final String MALFORMED = "Malformed JSON";
    static final String NOT_AN_OBJECT = "Message must be a JSON object";
    static final String TRAILING = "Trailing data after the JSON object";
    static final String TOO_DEEP = "Nesting deeper than " + MAX_DEPTH;
    static final String NUMBER_TOO_LONG = "Number too long";
    static final String NUMBER_OUT_OF_RANGE = "Number out of range";
    static final String MISSING_TYPE = "Missing field 'type'";
    static final String TYPE_NOT_STRING = "Field 'type' must be a string";
    static final String TYPE_SYNTAX =
            "Field 'type' must be upper case ([A-Z][A-Z0-9_]*, at most 64 characters)";
    static final String PAYLOAD_NOT_OBJECT = "Field 'payload' must be an object";
    static final String CAPABILITIES_SHAPE = "Field 'capabilities' must be an array of strings";

    private final int maxStringChars;
    private final String stringTooLong;
    private final JsonFactory factory;
    private final ObjectMapper mapper;

    /**
     * @param maxFrameBytes the WebSocket frame limit; strings longer than this many characters are
     *                      invalid
     */
    public MessageCodec(int maxFrameBytes) {
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes: " + maxFrameBytes + " (expected: > 0)");
        }
        this.maxStringChars = maxFrameBytes;
        this.stringTooLong = "String longer than " + maxFrameBytes + " characters";
        StreamReadConstraints defaults = StreamReadConstraints.defaults();
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH)
                .maxNameLength(maxFrameBytes)
                // Jackson applies this limit to the text of numbers too (when buffered), and checks
                // it only when a string is materialized: the exact check is ours (see next()).
                .maxStringLength(Math.max(maxFrameBytes, defaults.getMaxNumberLength()))
                .maxNumberLength(defaults.getMaxNumberLength())
                .build();
        JsonFactoryBuilder builder = new JsonFactoryBuilder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
                // Always UTF-8: no guessing of UTF-16/32 from the first bytes (see also precheck).
                .disable(JsonFactory.Feature.CHARSET_DETECTION)
                // Guests choose field names: canonicalize (bounded symbol table) but never intern.
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                .streamReadConstraints(constraints)
                .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8);
        // RFC 8259 only: comments, single quotes, unescaped control characters... are all off by
        // default; spelled out one by one, because the varargs JsonFactoryBuilder.disable(first,
        // other...) of jackson-core 2.22 *enables* the "other" features.
        for (JsonReadFeature f : JsonReadFeature.values()) {
            builder.disable(f);
        }
        this.factory = builder.build();
        for (JsonReadFeature f : JsonReadFeature.values()) {
            if (f.mappedFeature() != null && factory.isEnabled(f.mappedFeature())) {
                throw new IllegalStateException("Lenient JSON feature still enabled: " + f);
            }
        }
        this.mapper = JsonMapper.builder(factory)
                .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
                .disable(SerializationFeature.CLOSE_CLOSEABLE)
                .build();
    }

    // ------------------------------------------------------------------------------------------
    // Decoding

    /**
     * The outcome of {@link #decode}: either a message, or the reason the frame is not one.
     *
     * @param message the decoded message, or null when invalid
     * @param type    the message's type when valid; when invalid, the envelope's type if a
     *                well-formed one could be read, else null
     * @param detail  null when valid; else a short reason, safe to send to the guest
     */
    public record Decoded(GuestMessage message, String type, String detail) {
        public Decoded {
            if ((message == null) == (detail == null)) {
                throw new IllegalArgumentException("exactly one of message and detail");
            }
            if (message != null && !message.type().equals(type)) {
                throw new IllegalArgumentException("type: " + type + " (message: " + message.type() + ")");
            }
        }

        /** A valid result. */
        public static Decoded of(GuestMessage message) {
            return new Decoded(message, message.type(), null);
        }

        /** An invalid result. */
        public static Decoded invalid(String type, String detail) {
            return new Decoded(null, type, Objects.requireNonNull(detail, "detail"));
        }

        /** Whether a message was decoded. */
        public boolean isValid() {
            return message != null;
        }
    }

    /**
     * Decodes one text frame. Never throws for any content; the buffer's indices and reference count
     * are left as they were (the caller releases it).
     */
    public Decoded decode(ByteBuf utf8Json) {
        Objects.requireNonNull(utf8Json, "utf8Json");
        int start = utf8Json.readerIndex();
        int length = utf8Json.readableBytes();
        if (length == 0) {
            return Decoded.invalid(null, EMPTY);
        }
        // One view of the bytes, read with absolute indices: no per-byte calls on the ByteBuf (cheap
        // with any leak detection level) and the caller's indices stay untouched.
        byte[] array = null;
        int offset = 0;
        ByteBuffer view;
        if (utf8Json.hasArray()) {
            array = utf8Json.array();
            offset = utf8Json.arrayOffset() + start;
            view = ByteBuffer.wrap(array, offset, length);
        } else if (utf8Json.nioBufferCount() == 1) {
            view = utf8Json.nioBuffer(start, length);
        } else {
            // A composite of several parts (an aggregated fragmented frame): one copy.
            array = ByteBufUtil.getBytes(utf8Json, start, length);
            view = ByteBuffer.wrap(array);
        }
        String pre = precheck(view);
        if (pre != null) {
            return Decoded.invalid(null, pre);
        }
        Reader reader = new Reader();
        try {
            JsonParser parser = array != null
                    ? factory.createParser(array, offset, length)
                    : factory.createParser((InputStream) new ByteBufferBackedInputStream(view));
            try (parser) {
                return reader.read(parser);
            }
        } catch (StreamConstraintsException e) {
            return Decoded.invalid(reader.resultType(), constraintDetail(e));
        } catch (Limit e) {
            return Decoded.invalid(reader.resultType(), e.detail);
        } catch (JsonParseException e) {
            return Decoded.invalid(reader.resultType(), parseDetail(e, reader.parser));
        } catch (IOException e) {
            return Decoded.invalid(reader.resultType(), MALFORMED);
        } catch (RuntimeException e) {
            // Not expected: a bug here, or in Jackson. The guest still only gets a plain reason.
            log.debug("Unexpected failure decoding a frame", e);
            return Decoded.invalid(reader.resultType(), MALFORMED);
        }
    }

    /**
     * Checks the bytes before Jackson sees them: not only whitespace, strict UTF-8, and an ASCII
     * start without NUL bytes (what Jackson would take for UTF-16/32 if charset detection were on;
     * it is off, this keeps the codec independent of that).
     */
    private static String precheck(ByteBuffer bytes) {
        int start = bytes.position();
        int end = bytes.limit();
        int i = start;
        while (i < end) {
            byte b = bytes.get(i);
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                break;
            }
            i++;
        }
        if (i == end) {
            return EMPTY;
        }
        if (!Utf8.isValid(bytes)) {
            return INVALID_UTF8;
        }
        // A JSON text starts with an ASCII character (a byte order mark is refused), and NUL is
        // never valid outside a string escape.
        if ((bytes.get(start) & 0x80) != 0) {
            return MALFORMED;
        }
        for (int k = start, n = Math.min(end, start + 4); k < n; k++) {
            if (bytes.get(k) == 0) {
                return MALFORMED;
            }
        }
        return null;
    }

    private String constraintDetail(StreamConstraintsException e) {
        String m = String.valueOf(e.getOriginalMessage());
        if (m.contains("nesting depth")) {
            return TOO_DEEP;
        }
        if (m.startsWith("Number value length")) {
            return NUMBER_TOO_LONG;
        }
        if (m.startsWith("String value length") || m.startsWith("Name length")) {
            return stringTooLong;
        }
        return MALFORMED;
    }

    private static String parseDetail(JsonParseException e, JsonParser parser) {
        String m = e.getOriginalMessage();
        if (m != null && m.startsWith("Duplicate field '") && parser != null) {
            // Jackson sets the context's name before it checks for a duplicate.
            String name = parser.getParsingContext().getCurrentName();
            if (name != null) {
                return "Duplicate field " + quote(name);
            }
        }
        return MALFORMED;
    }

    /** A field name as quoted in a detail: truncated, control characters replaced. */
    static String quote(String name) {
        StringBuilder sb = new StringBuilder(Math.min(name.length(), MAX_QUOTED) + 5).append('\'');
        int n = Math.min(name.length(), MAX_QUOTED);
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            sb.append(c < 0x20 || c == 0x7f || Character.isSurrogate(c) ? '?' : c);
        }
        if (name.length() > MAX_QUOTED) {
            sb.append("...");
        }
        return sb.append('\'').toString();
    }

    /** A well-formedness limit exceeded, found by the codec itself (Jackson's are its own type). */
    private static final class Limit extends IOException {
        private static final long serialVersionUID = 1L;
        final String detail;

        Limit(String detail) {
            super(detail, null);
            this.detail = detail;
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /** Guest types the codec reads with dedicated code. */
    private enum Kind { JOIN, LEAVE, HEARTBEAT, PING, PONG, APPLICATION }

    /** The state of one {@link #decode} call. */
    private final class Reader {
        JsonParser parser;
        /** The envelope's type once read and well-formed (possibly host-only), else null. */
        String type;
        Kind kind;
        boolean typeSeen;
        String typeError;
        Long timestamp;
        String timestampError;
        String payloadError;

        // JOIN
        String sessionId;
        String deviceId;
        String deviceName;
        String version;
        String pin;
        String resumeToken;
        Set<String> capabilities;
        // LEAVE
        String reason;
        // HEARTBEAT (deviceId above)
        Long latency;
        // PONG
        Long pingTimestamp;
        // application
        Map<String, Object> appPayload;

        String resultType() {
            return type;
        }

        Decoded read(JsonParser p) throws IOException {
            this.parser = p;
            JsonToken t = next(p);
            if (t == null) {
                return Decoded.invalid(null, EMPTY);
            }
            if (t != JsonToken.START_OBJECT) {
                return Decoded.invalid(null, NOT_AN_OBJECT);
            }
            TokenBuffer buffered = null;
            while ((t = next(p)) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                t = next(p);
                switch (name) {
                    case "type":
                        readType(p, t);
                        break;
                    case "timestamp":
                        readTimestamp(p, t);
                        break;
                    case "payload":
                        if (t == JsonToken.VALUE_NULL) {
                            break;
                        }
                        if (t != JsonToken.START_OBJECT) {
                            payloadError(PAYLOAD_NOT_OBJECT);
                            skipValue(p);
                        } else if (!typeSeen) {
                            // The type decides how to read it: keep the tokens (depth, duplicates and
                            // names were checked while copying; string lengths are checked on reading).
                            buffered = new TokenBuffer(p, null);
                            buffered.copyCurrentStructure(p);
                        } else if (kind != null) {
                            readPayload(p);
                        } else {
                            skipValue(p);
                        }
                        break;
                    default:
                        skipValue(p);
                        break;
                }
            }
            // t is END_OBJECT of the envelope: Jackson reports any other token as malformed.
            checkEnd(p);
            if (buffered != null) {
                try (JsonParser q = buffered.asParser()) {
                    q.nextToken();
                    if (kind != null) {
                        readPayload(q);
                    } else {
                        skipValue(q);
                    }
                }
            }
            if (typeError != null) {
                return Decoded.invalid(type, typeError);
            }
            if (!typeSeen) {
                return Decoded.invalid(null, MISSING_TYPE);
            }
            if (timestampError != null) {
                return Decoded.invalid(type, timestampError);
            }
            if (payloadError != null) {
                return Decoded.invalid(type, payloadError);
            }
            return Decoded.of(build());
        }

        private void checkEnd(JsonParser p) throws IOException {
            JsonToken after;
            try {
                after = p.nextToken();
            } catch (JsonProcessingException e) {
                throw new Limit(TRAILING);
            }
            if (after != null) {
                throw new Limit(TRAILING);
            }
        }

        private void readType(JsonParser p, JsonToken t) throws IOException {
            typeSeen = true;
            if (t != JsonToken.VALUE_STRING) {
                typeError = TYPE_NOT_STRING;
                skipValue(p);
                return;
            }
            String s = p.getText();
            if (!isTypeSyntax(s)) {
                typeError = TYPE_SYNTAX;
                return;
            }
            type = s;
            switch (s) {
                case MessageTypes.JOIN:
                    kind = Kind.JOIN;
                    break;
                case MessageTypes.LEAVE:
                    kind = Kind.LEAVE;
                    break;
                case MessageTypes.HEARTBEAT:
                    kind = Kind.HEARTBEAT;
                    break;
                case MessageTypes.PING:
                    kind = Kind.PING;
                    break;
                case MessageTypes.PONG:
                    kind = Kind.PONG;
                    break;
                default:
                    if (MessageTypes.isApplicationType(s)) {
                        kind = Kind.APPLICATION;
                    } else {
                        typeError = "Type " + s + " is not sent by guests";
                    }
                    break;
            }
        }

        private void readTimestamp(JsonParser p, JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_NULL) {
                timestamp = null;
            } else if (t == JsonToken.VALUE_NUMBER_INT) {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    timestampError = "Field 'timestamp' is out of range";
                } else {
                    timestamp = p.getLongValue();
                }
            } else if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                double d = p.getDoubleValue();
                if (d >= -0x1p63 && d < 0x1p63) {
                    timestamp = Math.round(d);
                } else {
                    timestampError = "Field 'timestamp' is out of range";
                }
            } else {
                timestampError = "Field 'timestamp' must be a number";
                skipValue(p);
            }
        }

        private void payloadError(String detail) {
            if (payloadError == null) {
                payloadError = detail;
            }
        }

        /** Reads the payload object; the current token is its START_OBJECT. */
        private void readPayload(JsonParser p) throws IOException {
            if (kind == Kind.APPLICATION) {
                appPayload = readObject(p);
                return;
            }
            JsonToken t;
            while ((t = next(p)) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                t = next(p);
                switch (kind) {
                    case JOIN:
                        readJoinField(p, t, name);
                        break;
                    case LEAVE:
                        if ("reason".equals(name)) {
                            reason = string(p, t, name);
                        } else {
                            skipValue(p);
                        }
                        break;
                    case HEARTBEAT:
                        if ("deviceId".equals(name)) {
                            deviceId = string(p, t, name);
                        } else if ("latency".equals(name)) {
                            latency = roundedLong(p, t, name);
                        } else {
                            skipValue(p);
                        }
                        break;
                    case PONG:
                        if ("pingTimestamp".equals(name)) {
                            pingTimestamp = roundedLong(p, t, name);
                        } else {
                            skipValue(p);
                        }
                        break;
                    default: // PING has no payload fields
                        skipValue(p);
                        break;
                }
            }
        }

        private void readJoinField(JsonParser p, JsonToken t, String name) throws IOException {
            switch (name) {
                case "sessionId":
                    sessionId = string(p, t, name);
                    break;
                case "deviceId":
                    deviceId = string(p, t, name);
                    break;
                case "deviceName":
                    deviceName = string(p, t, name);
                    break;
                case "version":
                    version = string(p, t, name);
                    break;
                case "pin":
                    pin = string(p, t, name);
                    break;
                case "resumeToken":
                    resumeToken = string(p, t, name);
                    break;
                case "capabilities":
                    capabilities = stringArray(p, t);
                    break;
                default:
                    skipValue(p);
                    break;
            }
        }

        private String string(JsonParser p, JsonToken t, String field) throws IOException {
            if (t == JsonToken.VALUE_STRING) {
                return p.getText();
            }
            if (t != JsonToken.VALUE_NULL) {
                payloadError("Field '" + field + "' must be a string");
                skipValue(p);
            }
            return null;
        }

        /** A JSON number as a long, floats rounded to the nearest; null when null or invalid. */
        private Long roundedLong(JsonParser p, JsonToken t, String field) throws IOException {
            if (t == JsonToken.VALUE_NUMBER_INT) {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    payloadError("Field '" + field + "' is out of range");
                    return null;
                }
                return p.getLongValue();
            }
            if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                double d = p.getDoubleValue();
                // Long.MIN_VALUE is exactly -2^63; 2^63 is the first double above Long.MAX_VALUE.
                if (!(d >= -0x1p63 && d < 0x1p63)) {
                    payloadError("Field '" + field + "' is out of range");
                    return null;
                }
                return Math.round(d);
            }
            if (t != JsonToken.VALUE_NULL) {
                payloadError("Field '" + field + "' must be a number");
                skipValue(p);
            }
            return null;
        }

        private Set<String> stringArray(JsonParser p, JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            if (t != JsonToken.START_ARRAY) {
                payloadError(CAPABILITIES_SHAPE);
                skipValue(p);
                return null;
            }
            Set<String> names = new LinkedHashSet<>();
            while ((t = nextInArray(p)) != JsonToken.END_ARRAY) {
                if (t == JsonToken.VALUE_STRING) {
                    names.add(p.getText());
                } else {
                    payloadError(CAPABILITIES_SHAPE);
                    skipValue(p);
                }
            }
            return names;
        }

        /** Reads an object as plain Java values; the current token is its START_OBJECT. */
        private Map<String, Object> readObject(JsonParser p) throws IOException {
            Map<String, Object> map = new LinkedHashMap<>();
            while (next(p) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                map.put(name, readValue(p, next(p)));
            }
            return Collections.unmodifiableMap(map);
        }

        private Object readValue(JsonParser p, JsonToken t) throws IOException {
            switch (t) {
                case START_OBJECT:
                    return readObject(p);
                case START_ARRAY: {
                    List<Object> list = new ArrayList<>();
                    JsonToken e;
                    while ((e = nextInArray(p)) != JsonToken.END_ARRAY) {
                        list.add(readValue(p, e));
                    }
                    return Collections.unmodifiableList(list);
                }
                case VALUE_STRING:
                    return p.getText();
                case VALUE_NUMBER_INT:
                    return p.getNumberValue(); // Integer, Long or BigInteger, by magnitude
                case VALUE_NUMBER_FLOAT: {
                    double d = p.getDoubleValue();
                    if (Double.isInfinite(d)) {
                        payloadError(NUMBER_OUT_OF_RANGE);
                        return null;
                    }
                    return d;
                }
                case VALUE_TRUE:
                    return Boolean.TRUE;
                case VALUE_FALSE:
                    return Boolean.FALSE;
                case VALUE_NULL:
                    return null;
                default:
                    // Not reachable with a well-formed token stream.
                    throw new JsonParseException(p, "Unexpected token " + t);
            }
        }

        /** Skips the value whose first token is current, checking what it contains. */
        private void skipValue(JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
                return;
            }
            int open = 1;
            while (open > 0) {
                t = next(p);
                if (t == null) {
                    throw new JsonParseException(p, "Unexpected end of input");
                }
                if (t.isStructStart()) {
                    open++;
                } else if (t.isStructEnd()) {
                    open--;
                }
            }
        }

        /** {@link #next}, inside an array: never null (Jackson reports an unclosed array itself). */
        private JsonToken nextInArray(JsonParser p) throws IOException {
            JsonToken t = next(p);
            if (t == null) {
                throw new JsonParseException(p, "Unexpected end of input");
            }
            return t;
        }

        /** The next token, after checking the length of a string or name. */
        private JsonToken next(JsonParser p) throws IOException {
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_STRING) {
                if (p.getTextLength() > maxStringChars) {
                    throw new Limit(stringTooLong);
                }
            } else if (t == JsonToken.FIELD_NAME) {
                if (p.currentName().length() > maxStringChars) {
                    throw new Limit(stringTooLong);
                }
            }
            return t;
        }

        private GuestMessage build() {
            switch (kind) {
                case JOIN:
                    return new GuestMessage.Join(sessionId, deviceId, deviceName, version, pin,
                            resumeToken, capabilities);
                case LEAVE:
                    return new GuestMessage.Leave(reason);
                case HEARTBEAT:
                    return new GuestMessage.Heartbeat(deviceId, latency);
                case PING:
                    return new GuestMessage.Ping(timestamp);
                case PONG:
                    return new GuestMessage.Pong(pingTimestamp);
                default:
                    return new ApplicationMessage(type, appPayload == null ? Map.of() : appPayload);
            }
        }
    }

    /** {@code [A-Z][A-Z0-9_]*}, at most 64 characters. */
    static boolean isTypeSyntax(String s) {
        int n = s.length();
        if (n == 0 || n > MAX_TYPE_LENGTH) {
            return false;
        }
        char c = s.charAt(0);
        if (c < 'A' || c > 'Z') {
            return false;
        }
        for (int i = 1; i < n; i++) {
            c = s.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------
    // Encoding

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
            g.writeStartObject();
            g.writeStringField("type", m.type());
            g.writeNumberField("timestamp", timestamp);
            g.writeFieldName("payload");
            writePayload(g, m);
            g.writeEndObject();
        }
    }

    private void writePayload(JsonGenerator g, HostMessage m) throws IOException {
        if (m instanceof ApplicationMessage) {
            writeMap(g, ((ApplicationMessage) m).payload());
            return;
        }
        g.writeStartObject();
        if (m instanceof HostMessage.Welcome) {
            HostMessage.Welcome w = (HostMessage.Welcome) m;
            g.writeStringField("sessionId", w.sessionId());
            g.writeStringField("sessionName", w.sessionName());
            g.writeStringField("hostId", w.hostId());
            g.writeStringField("hostName", w.hostName());
            g.writeStringField("yourDeviceId", w.yourDeviceId());
            if ("1".equals(w.protocolVersion())) {
                g.writeNumberField("protocolVersion", 1); // what version-1 guests always saw
            } else {
                g.writeStringField("protocolVersion", w.protocolVersion());
            }
            g.writeNumberField("serverTime", w.serverTime());
            g.writeNumberField("heartbeatIntervalMs", w.heartbeatIntervalMs());
            g.writeNumberField("heartbeatTimeoutMs", w.heartbeatTimeoutMs());
            g.writeNumberField("maxMembers", w.maxMembers());
            g.writeStringField("resumeToken", w.resumeToken());
        } else if (m instanceof HostMessage.MemberList) {
            g.writeFieldName("members");
            writeMembers(g, ((HostMessage.MemberList) m).members());
        } else if (m instanceof HostMessage.MemberJoined) {
            g.writeFieldName("member");
            writeMember(g, ((HostMessage.MemberJoined) m).member());
        } else if (m instanceof HostMessage.MemberUpdated) {
            g.writeFieldName("member");
            writeMember(g, ((HostMessage.MemberUpdated) m).member());
        } else if (m instanceof HostMessage.MemberLeft) {
            HostMessage.MemberLeft l = (HostMessage.MemberLeft) m;
            g.writeStringField("deviceId", l.deviceId());
            g.writeStringField("reason", l.reason().wireText());
        } else if (m instanceof HostMessage.Kicked) {
            g.writeStringField("reason", ((HostMessage.Kicked) m).reason());
        } else if (m instanceof HostMessage.SessionClosed) {
            g.writeStringField("reason", ((HostMessage.SessionClosed) m).reason());
        } else if (m instanceof HostMessage.Error) {
            HostMessage.Error e = (HostMessage.Error) m;
            g.writeStringField("code", e.code().name());
            g.writeStringField("message", e.message());
            if (e.details() != null) {
                g.writeFieldName("details");
                writeMap(g, e.details());
            }
        } else if (m instanceof HostMessage.Pong) {
            HostMessage.Pong p = (HostMessage.Pong) m;
            g.writeFieldName("pingTimestamp");
            if (p.pingTimestamp() == null) {
                g.writeNull();
            } else {
                g.writeNumber(p.pingTimestamp().longValue());
            }
            g.writeNumberField("serverTime", p.serverTime());
        } else if (m instanceof HostMessage.Ping) {
            // no fields
        } else if (m instanceof HostMessage.JoinPending) {
            g.writeStringField("message", ((HostMessage.JoinPending) m).message());
        } else if (m instanceof HostMessage.MembersChanged) {
            HostMessage.MembersChanged c = (HostMessage.MembersChanged) m;
            g.writeFieldName("joined");
            writeMembers(g, c.joined());
            g.writeFieldName("left");
            g.writeStartArray();
            for (HostMessage.Departure d : c.left()) {
                g.writeStartObject();
                g.writeStringField("deviceId", d.deviceId());
                g.writeStringField("reason", d.reason().wireText());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeFieldName("updated");
            writeMembers(g, c.updated());
        } else {
            // HostMessage is sealed; a new permitted type must be added above.
            throw new IllegalStateException("Unknown host message " + m.getClass().getName());
        }
        g.writeEndObject();
    }

    private static void writeMembers(JsonGenerator g, List<Member> members) throws IOException {
        g.writeStartArray();
        for (Member member : members) {
            writeMember(g, member);
        }
        g.writeEndArray();
    }

    private static void writeMember(JsonGenerator g, Member m) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", m.id());
        g.writeStringField("name", m.name());
        g.writeStringField("role", m.role().wireName());
        g.writeBooleanField("isHost", m.isHost());
        g.writeStringField("connectionStatus", m.status().wireName());
        g.writeNumberField("joinedAt", m.joinedAt());
        g.writeFieldName("latency");
        if (m.latencyMillis().isPresent()) {
            g.writeNumber(m.latencyMillis().getAsInt());
        } else {
            g.writeNull();
        }
        g.writeEndObject();
    }

    private void writeMap(JsonGenerator g, Map<?, ?> map) throws IOException {
        g.writeStartObject();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object key = e.getKey();
            g.writeFieldName(key instanceof String ? (String) key : String.valueOf(key));
            writeValue(g, e.getValue());
        }
        g.writeEndObject();
    }

    /** Plain Java values directly; anything else through the mapper. */
    private void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String) {
            g.writeString((String) v);
        } else if (v instanceof Map) {
            writeMap(g, (Map<?, ?>) v);
        } else if (v instanceof Collection) {
            g.writeStartArray();
            for (Object e : (Collection<?>) v) {
                writeValue(g, e);
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
