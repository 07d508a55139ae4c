package dev.loudsync.netty.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.ByteBufferBackedInputStream;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.MessageTypes;
import dev.loudsync.core.protocol.ProtocolRules;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's side of the guest-to-host direction: decodes one text frame into a
 * {@link GuestMessage} (payloads as {@link GuestPayloads} defines them; see {@code PROTOCOL.md}).
 *
 * <p>Immutable and thread-safe: one configured {@link JsonFactory} is shared by all calls; every
 * call uses its own parser.
 *
 * <p>{@link #decode(ByteBuf)} takes any bytes; {@link #decodeText(ByteBuf)} takes the content of a
 * text frame from the server's pipeline, whose UTF-8 Netty's {@code Utf8FrameValidator} has
 * already checked ({@link ServerInitializer} turns it on), and does not check it again.
 *
 * <p>Neither throws for any input bytes: anything that is not a valid guest
 * message is an {@linkplain Decoded#invalid invalid result} whose {@linkplain Decoded#detail() detail}
 * is a short reason safe to send to the guest (no exception class, no stack trace, at most a
 * truncated field name of the input). The rules:
 *
 * <ul>
 *   <li><b>Well-formed:</b> the bytes are strict UTF-8 (see {@link Utf8}: no overlong forms,
 *       encoded surrogates or code points above U+10FFFF; a byte order mark and UTF-16/32 are
 *       refused: charset detection is off, so Jackson reads them as malformed UTF-8 JSON) holding
 *       exactly one JSON object, optionally surrounded by JSON whitespace. Strict RFC 8259: no
 *       comments, single quotes, unquoted names, {@code NaN}, leading zeros, trailing commas or
 *       unescaped control characters.</li>
 *   <li><b>Duplicate names</b> are refused in every object at any depth, including in fields that
 *       are otherwise ignored.</li>
 *   <li><b>Depth:</b> the number of objects and arrays enclosing the innermost value, the envelope
 *       object counting 1. So {@code {"type":"PING"}} has depth 1, a {@code payload} object 2, an
 *       array inside the payload 3. Depth up to {@value #MAX_DEPTH} is accepted, deeper is
 *       refused.</li>
 *   <li><b>Strings</b> (values and names, anywhere, ignored ones included) longer than
 *       {@code maxFrameBytes} characters (UTF-16 units, after unescaping) are refused. Inside a frame
 *       of at most {@code maxFrameBytes} bytes that cannot happen, so only a larger buffer (which
 *       the server's pipeline never hands over) has its strings measured.</li>
 *   <li><b>{@code type}:</b> required, a string of the {@linkplain ProtocolRules#isTypeSyntax type
 *       syntax}. A host-only protocol type ({@code WELCOME}, {@code ERROR}...) is refused.</li>
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
 *   <li><b>{@code id}</b> (1.1): optional; {@code null} is absent; otherwise a string of 1 to
 *       {@value Wire#MAX_REQUEST_ID_CHARS} characters, else the frame is invalid, naming the field.
 *       On {@code JOIN}, {@code LEAVE}, {@code HEARTBEAT}, {@code PING} and {@code PONG} it is
 *       ignored, whatever it holds. An invalid frame's result carries the id when a valid one was
 *       read (so that the error can name it in {@code replyTo}).</li>
 *   <li>{@code JOIN.auth} (1.1): a string of at most {@value Wire#MAX_AUTH_CHARS} characters.</li>
 *   <li>{@code JOIN} fields are passed on as sent (null when absent, possibly empty): the session
 *       validates them. {@code capabilities} must be an array of strings (null = empty).</li>
 *   <li><b>Application payloads</b> are read by Jackson's untyped deserializer and become plain
 *       Java values: an unmodifiable insertion-ordered
 *       {@code Map<String, Object>} per object, an unmodifiable {@code List<Object>} per array,
 *       {@code String}, {@code Boolean}, {@code null}, and numbers as {@code Integer}, {@code Long}
 *       or {@code BigInteger} for integer literals (the smallest that holds the value) and
 *       {@code Double} for literals with a fraction or exponent. A float literal beyond the range of
 *       {@code double} (for example {@code 1e400}) is refused rather than turned into infinity.</li>
 * </ul>
 *
 * <p>When several things are wrong, the detail reports, in this order: a well-formedness problem
 * (malformed JSON, trailing data, duplicate, depth, string length), then the {@code type}, then
 * the {@code timestamp}, then the {@code id}, then the payload (the first wrong payload field in input order). The
 * result's {@link Decoded#type() type} is the envelope's type whenever a well-formed one was read
 * (also for a host-only type and for a malformed frame whose type came before the error), else
 * null; it is never a string that is not a valid type.
 *
 * <p>The decoder reads straight from the buffer, without copying: from its backing array, or from
 * its {@linkplain ByteBuf#nioBuffer(int, int) NIO view} (only a composite of several parts is
 * copied once). It leaves the buffer's indices and reference count untouched. Protocol messages
 * are read with the streaming parser, without building a tree.
 */
public final class GuestDecoder {

    /** The deepest accepted nesting of objects and arrays, the envelope counting 1. */
    public static final int MAX_DEPTH = 16;

    /** Longest excerpt of the input (a field name) quoted in a detail. */
    private static final int MAX_QUOTED = 32;

    private static final Logger log = LoggerFactory.getLogger(GuestDecoder.class);

    static final String EMPTY = "Empty message";
    static final String INVALID_UTF8 = "Invalid UTF-8";
    static final String MALFORMED = "Malformed JSON";
    static final String NOT_AN_OBJECT = "Message must be a JSON object";
    static final String TRAILING = "Trailing data after the JSON object";
    static final String TOO_DEEP = "Nesting deeper than " + MAX_DEPTH;
    static final String NUMBER_TOO_LONG = "Number too long";
    static final String NUMBER_OUT_OF_RANGE = WireReader.NUMBER_OUT_OF_RANGE;
    static final String MISSING_TYPE = "Missing field 'type'";
    static final String TYPE_NOT_STRING = "Field 'type' must be a string";
    static final String TYPE_SYNTAX = ProtocolRules.TYPE_SYNTAX;
    static final String PAYLOAD_NOT_OBJECT = "Field 'payload' must be an object";
    static final String CAPABILITIES_SHAPE = "Field 'capabilities' must be an array of strings";
    static final String ID_NOT_STRING = "Field 'id' must be a string";
    static final String ID_LENGTH = "Field 'id' must be 1-" + Wire.MAX_REQUEST_ID_CHARS + " characters";

    private final int maxStringChars;
    private final String stringTooLong;
    private final JsonFactory factory;
    private final ObjectMapper mapper;

    /**
     * @param maxFrameBytes the WebSocket frame limit; strings longer than this many characters are
     *                      invalid
     */
    public GuestDecoder(int maxFrameBytes) {
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes: " + maxFrameBytes + " (expected: > 0)");
        }
        this.maxStringChars = maxFrameBytes;
        this.stringTooLong = WireReader.stringTooLong(maxFrameBytes);
        StreamReadConstraints defaults = StreamReadConstraints.defaults();
        this.factory = Wire.factory(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH)
                .maxNameLength(maxFrameBytes)
                // Jackson applies this limit to the text of numbers too (when buffered), and checks
                // it only when a string is materialized: the exact check is the reader's.
                .maxStringLength(Math.max(maxFrameBytes, defaults.getMaxNumberLength()))
                .maxNumberLength(defaults.getMaxNumberLength())
                .build(), true);
        this.mapper = Wire.mapper(factory);
    }

    /**
     * The outcome of {@link #decode}: either a message, or the reason the frame is not one.
     *
     * @param message the decoded message, or null when invalid
     * @param type    the message's type when valid; when invalid, the envelope's type if a
     *                well-formed one could be read, else null
     * @param id      1.1: the request id, when valid the message's ({@link GuestMessage#id()});
     *                when invalid, the envelope's {@code id} if a valid one was read before the
     *                problem and the type (if known) takes one, else null
     * @param detail  null when valid; else a short reason, safe to send to the guest
     */
    public record Decoded(GuestMessage message, String type, String id, String detail) {
        public Decoded {
            if ((message == null) == (detail == null)) {
                throw new IllegalArgumentException("exactly one of message and detail");
            }
            if (message != null && !message.type().equals(type)) {
                throw new IllegalArgumentException("type: " + type + " (message: " + message.type() + ")");
            }
            if (message != null && !Objects.equals(message.id(), id)) {
                throw new IllegalArgumentException("id: " + id + " (message: " + message.id() + ")");
            }
        }

        /** A valid result. */
        public static Decoded of(GuestMessage message) {
            return new Decoded(message, message.type(), message.id(), null);
        }

        /** An invalid result without a request id. */
        public static Decoded invalid(String type, String detail) {
            return invalid(type, null, detail);
        }

        /** An invalid result naming the request {@code id} it answers (null: none). */
        public static Decoded invalid(String type, String id, String detail) {
            return new Decoded(null, type, id, Objects.requireNonNull(detail, "detail"));
        }

        /** Whether a message was decoded. */
        public boolean isValid() {
            return message != null;
        }
    }

    /**
     * Decodes one text frame of any bytes, checking that they are strict UTF-8. Never throws for
     * any content; the buffer's indices and reference count are left as they were (the caller
     * releases it).
     */
    public Decoded decode(ByteBuf utf8Json) {
        return decode(utf8Json, true);
    }

    /**
     * Decodes the content of a text frame whose UTF-8 is already checked: the server's pipeline
     * validates every text frame before it arrives here, so the decoder does not pass over the
     * bytes a second time. Otherwise as {@link #decode(ByteBuf)}. Bytes that are not UTF-8 give an
     * unspecified result, never an exception.
     */
    public Decoded decodeText(ByteBuf utf8Json) {
        return decode(utf8Json, false);
    }

    private Decoded decode(ByteBuf utf8Json, boolean checkUtf8) {
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
        if (checkUtf8 && !Utf8.isValid(view)) {
            return Decoded.invalid(null, INVALID_UTF8);
        }
        // A frame no longer than the limit cannot hold a longer string: nothing to measure.
        Reader reader = new Reader(length > maxStringChars ? maxStringChars : WireReader.NO_LIMIT);
        try {
            JsonParser parser = array != null
                    ? factory.createParser(array, offset, length)
                    : factory.createParser((InputStream) new ByteBufferBackedInputStream(view));
            try (parser) {
                return reader.read(parser);
            }
        } catch (StreamConstraintsException e) {
            return Decoded.invalid(reader.type, reader.requestId(), constraintDetail(e));
        } catch (WireReader.Limit e) {
            return Decoded.invalid(reader.type, reader.requestId(), e.detail);
        } catch (JsonParseException e) {
            return Decoded.invalid(reader.type, reader.requestId(), parseDetail(e, reader.parser));
        } catch (IOException e) {
            return Decoded.invalid(reader.type, reader.requestId(), MALFORMED);
        } catch (RuntimeException e) {
            // Not expected: a bug here, or in Jackson. The guest still only gets a plain reason.
            log.debug("Unexpected failure decoding a frame", e);
            return Decoded.invalid(reader.type, reader.requestId(), MALFORMED);
        }
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

    /** The state of one {@link #decode} call. */
    private final class Reader {
        /** The length limit of strings, or {@link WireReader#NO_LIMIT} when none can exceed it. */
        final int limit;
        JsonParser parser;
        /** The envelope's type once read and well-formed (possibly host-only), else null. */
        String type;
        /** How the payload of {@link #type} is read; null for an application type or a wrong one. */
        GuestPayloads kind;
        boolean application;
        boolean typeSeen;
        String typeError;
        Long timestamp;
        String timestampError;
        /** The envelope's {@code id} if it is a valid one, and what is wrong with it otherwise. */
        String id;
        String idError;
        /** Reads the frame; each field's problems are taken as they are found. */
        WireReader in;
        String payloadError;
        GuestMessage fromPayload;
        Map<String, Object> appPayload;

        Reader(int limit) {
            this.limit = limit;
        }

        Decoded read(JsonParser p) throws IOException {
            this.parser = p;
            in = new WireReader(p, mapper, limit);
            JsonToken t = in.next();
            if (t == null) {
                return Decoded.invalid(null, EMPTY);
            }
            if (t != JsonToken.START_OBJECT) {
                return Decoded.invalid(null, NOT_AN_OBJECT);
            }
            TokenBuffer buffered = null;
            for (String name; (name = in.nextField()) != null; ) {
                t = p.currentToken();
                switch (name) {
                    case Wire.TYPE -> readType(p, t);
                    case Wire.TIMESTAMP -> {
                        timestamp = in.millis(name);
                        timestampError = in.takeProblem();
                    }
                    case Wire.REQUEST_ID -> readId(p, t);
                    case Wire.PAYLOAD -> {
                        if (t == JsonToken.VALUE_NULL) {
                            break;
                        }
                        if (t != JsonToken.START_OBJECT) {
                            payloadError = PAYLOAD_NOT_OBJECT;
                            in.skip();
                        } else if (!typeSeen) {
                            // The type decides how to read it: keep the tokens (depth, duplicates and
                            // names were checked while copying; string lengths are checked on reading).
                            buffered = new TokenBuffer(p, null);
                            buffered.copyCurrentStructure(p);
                        } else {
                            readPayload(in);
                        }
                    }
                    default -> in.skip();
                }
            }
            // The envelope's END_OBJECT: Jackson reports any other token as malformed.
            checkEnd(p);
            if (buffered != null) {
                try (JsonParser q = buffered.asParser()) {
                    q.nextToken();
                    readPayload(new WireReader(q, mapper, limit));
                }
            }
            if (typeError != null) {
                return Decoded.invalid(type, requestId(), typeError);
            }
            if (!typeSeen) {
                return Decoded.invalid(null, MISSING_TYPE);
            }
            if (timestampError != null) {
                return Decoded.invalid(type, requestId(), timestampError);
            }
            if (idError != null && MessageTypes.takesRequestId(type)) {
                return Decoded.invalid(type, null, idError);
            }
            if (payloadError != null) {
                return Decoded.invalid(type, requestId(), payloadError);
            }
            return Decoded.of(build());
        }

        /** The request id as far as it is known: none for a type that takes none. */
        String requestId() {
            return type != null && !MessageTypes.takesRequestId(type) ? null : id;
        }

        /** Reads the envelope's {@code id}, which is judged once the type is known. */
        private void readId(JsonParser p, JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_STRING) {
                String s = p.getText();
                if (Wire.isRequestId(s)) {
                    id = s;
                } else {
                    idError = ID_LENGTH;
                }
            } else if (t != JsonToken.VALUE_NULL) {
                idError = ID_NOT_STRING;
                in.skip();
            }
        }

        private void checkEnd(JsonParser p) throws IOException {
            JsonToken after;
            try {
                after = p.nextToken();
            } catch (JsonProcessingException e) {
                throw new WireReader.Limit(TRAILING);
            }
            if (after != null) {
                throw new WireReader.Limit(TRAILING);
            }
        }

        private void readType(JsonParser p, JsonToken t) throws IOException {
            typeSeen = true;
            if (t != JsonToken.VALUE_STRING) {
                typeError = TYPE_NOT_STRING;
                in.skip();
                return;
            }
            String s = p.getText();
            if (!ProtocolRules.isTypeSyntax(s)) {
                typeError = TYPE_SYNTAX;
                return;
            }
            type = s;
            kind = GuestPayloads.of(s);
            application = kind == null && MessageTypes.isApplicationType(s);
            if (kind == null && !application) {
                typeError = "Type " + s + " is not sent by guests";
            }
        }

        /** Reads (or, for a type that is wrong, skips) the payload object {@code body} is on. */
        private void readPayload(WireReader body) throws IOException {
            if (application) {
                appPayload = body.values(Wire.PAYLOAD);
            } else if (kind != null) {
                fromPayload = kind.read(body);
            } else {
                body.skip();
            }
            payloadError = body.takeProblem();
        }

        private GuestMessage build() throws IOException {
            if (application) {
                return new ApplicationMessage(type, appPayload == null ? Map.of() : appPayload, id);
            }
            GuestMessage m = fromPayload != null ? fromPayload : kind.read(WireReader.empty());
            m = kind.withTimestamp(m, timestamp);
            return id != null ? kind.withId(m, id) : m;
        }
    }
}
