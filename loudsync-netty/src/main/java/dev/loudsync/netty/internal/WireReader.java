package dev.loudsync.netty.internal;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Set;

/**
 * Reads the fields of JSON objects from a streaming parser by the protocol's typing rules, for
 * every decoder of LoudSync (the host's {@link GuestDecoder}, the client's {@link ClientCodec}):
 *
 * <ul>
 *   <li>Fields come in any order; the caller reads the ones it knows ({@link #nextField}) and
 *       {@link #skip skips} the others.</li>
 *   <li>{@code null} means absent: every typed read returns {@code null} for it.</li>
 *   <li>No coercion: a value of another JSON type is a <em>problem</em> naming the field
 *       ({@code "Field 'deviceId' must be a string"}); the read returns {@code null} and skips the
 *       value. The first problem is kept ({@link #problem()}, or {@link #takeProblem()} for a
 *       caller that judges parts one by one), reading goes on, so that a malformed input later on
 *       is still found (the parser throws it).</li>
 *   <li>Milliseconds ({@link #millis}) accept any JSON number and round it to the nearest
 *       {@code long} ({@link Math#round(double)}: halves round up), because JavaScript peers send
 *       measured times such as {@code 45.300000000000004}; outside the range of {@code long} is a
 *       problem.</li>
 *   <li>Untyped values ({@link #values}) are read by Jackson's untyped deserializer and become
 *       plain Java values: an unmodifiable insertion-ordered {@code Map<String, Object>} per
 *       object, an unmodifiable {@code List} per array, {@code String}, {@code Boolean},
 *       {@code null}, {@code Integer}, {@code Long} or {@code BigInteger} for integers (the smallest
 *       that holds the value) and {@code Double} for numbers with a fraction or exponent; a number
 *       beyond the range of {@code double} (such as {@code 1e400}, which Jackson reads as an
 *       infinity) is the problem {@value #NUMBER_OUT_OF_RANGE}.</li>
 *   <li>A reader with a limit on string length measures every string and name it passes, skipped
 *       ones included, and throws {@link Limit} for a longer one: a well-formedness problem, like
 *       the parser's own limits. Without a limit ({@link #NO_LIMIT}) values are skipped with
 *       Jackson's {@link JsonParser#skipChildren()}, which does not look at the strings it passes.
 *       A decoder gives a limit only to input that can hold a string longer than it: a text of N
 *       bytes holds no string longer than N characters.</li>
 * </ul>
 *
 * <p>One reader reads one object and what it contains (a payload, an envelope), on one thread.
 */
final class WireReader {

    /** Reads one shape (a payload, a member object...) from a reader at its first field. */
    @FunctionalInterface
    interface Shape<T> {
        T read(WireReader in) throws IOException;
    }

    /** No limit on the length of strings. */
    static final int NO_LIMIT = Integer.MAX_VALUE;

    static final String NUMBER_OUT_OF_RANGE = "Number out of range";

    private final JsonParser p;
    private final ObjectMapper mapper;
    private final int maxStringChars;
    private final boolean measure;
    private String problem;

    /**
     * @param mapper         reads untyped values; made from the parser's factory
     * @param maxStringChars strings and names longer than this many characters (UTF-16 units,
     *                       after unescaping) throw {@link Limit}; {@link #NO_LIMIT} for none
     */
    WireReader(JsonParser parser, ObjectMapper mapper, int maxStringChars) {
        this.p = parser;
        this.mapper = mapper;
        this.maxStringChars = maxStringChars;
        this.measure = maxStringChars != NO_LIMIT;
    }

    /** A reader of an object without fields: what a shape reads when the payload is absent. */
    static WireReader empty() {
        return new WireReader(null, null, NO_LIMIT);
    }

    /** Whether this reader stands for an absent object ({@link #empty()}). */
    boolean isAbsent() {
        return p == null;
    }

    /** The first problem found, or null. */
    String problem() {
        return problem;
    }

    /** The first problem found, or null, forgetting it: what follows is judged on its own. */
    String takeProblem() {
        String p = problem;
        problem = null;
        return p;
    }

    /** Records {@code detail} unless a problem was recorded before. */
    void problem(String detail) {
        if (problem == null) {
            problem = detail;
        }
    }

    /** The next token, after checking the length of a string or name if this reader has a limit. */
    JsonToken next() throws IOException {
        JsonToken t = p.nextToken();
        if (!measure) {
            return t;
        }
        if (t == JsonToken.VALUE_STRING) {
            if (p.getTextLength() > maxStringChars) {
                throw new Limit(stringTooLong(maxStringChars));
            }
        } else if (t == JsonToken.FIELD_NAME) {
            if (p.currentName().length() > maxStringChars) {
                throw new Limit(stringTooLong(maxStringChars));
            }
        }
        return t;
    }

    /**
     * The name of the next field of the object being read, with the parser on its value (which
     * the caller reads or skips); null at the end of the object.
     */
    String nextField() throws IOException {
        if (p == null || next() != JsonToken.FIELD_NAME) {
            return null;
        }
        String name = p.currentName();
        next();
        return name;
    }

    /** The current value as a string. */
    String string(String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        wrongType(t, field, "a string");
        return null;
    }

    /**
     * The current value as a string of at most {@code maxChars} characters; a longer one is a
     * problem naming the field.
     */
    String string(String field, int maxChars) throws IOException {
        String s = string(field);
        if (s != null && s.length() > maxChars) {
            problem("Field '" + field + "' is longer than " + maxChars + " characters");
            return null;
        }
        return s;
    }

    /**
     * A version: the string as it is, or an integer as its decimal text (a {@code WELCOME} to a
     * version-1 guest carries the number {@code 1}, to a 1.1 guest the string {@code "1.1"}).
     */
    String version(String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getText();
        }
        return string(field);
    }

    /** The current value as a boolean. */
    Boolean bool(String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return t == JsonToken.VALUE_TRUE;
        }
        wrongType(t, field, "a boolean");
        return null;
    }

    /** The current value as whole milliseconds: any number, rounded to the nearest {@code long}. */
    Long millis(String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                problem("Field '" + field + "' is out of range");
                return null;
            }
            return p.getLongValue();
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            double d = p.getDoubleValue();
            // Long.MIN_VALUE is exactly -2^63; 2^63 is the first double above Long.MAX_VALUE.
            if (!(d >= -0x1p63 && d < 0x1p63)) {
                problem("Field '" + field + "' is out of range");
                return null;
            }
            return Math.round(d);
        }
        wrongType(t, field, "a number");
        return null;
    }

    /** The current value as an {@code int}: any number in its range, rounded as {@link #millis}. */
    Integer integer(String field) throws IOException {
        Long v = millis(field);
        if (v != null && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
            problem("Field '" + field + "' is out of range");
            return null;
        }
        return v == null ? null : v.intValue();
    }

    /** The current value as an array of strings, in order, without repeats. */
    Set<String> strings(String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_ARRAY) {
            wrongType(t, field, "an array of strings");
            return null;
        }
        Set<String> names = new LinkedHashSet<>();
        while ((t = nextInArray()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.VALUE_STRING) {
                names.add(p.getText());
            } else {
                problem("Field '" + field + "' must be an array of strings");
                skip();
            }
        }
        return names;
    }

    /** The current value as an object of {@code shape}. */
    <T> T object(String field, Shape<T> shape) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_OBJECT) {
            wrongType(t, field, "an object");
            return null;
        }
        return shape.read(this);
    }

    /**
     * The current value as an array of objects of {@code shape}; an element the shape reads as
     * null (having recorded a problem) is left out.
     */
    <T> List<T> list(String field, Shape<T> shape) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_ARRAY) {
            wrongType(t, field, "an array");
            return null;
        }
        List<T> list = new ArrayList<>();
        while ((t = nextInArray()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.START_OBJECT) {
                T element = shape.read(this);
                if (element != null) {
                    list.add(element);
                }
            } else {
                problem("Field '" + field + "' must be an array of objects");
                skip();
            }
        }
        return list;
    }

    /** The current value as an object of plain Java values. */
    Map<String, Object> values(String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_OBJECT) {
            wrongType(t, field, "an object");
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) seal(mapper.readValue(p, Object.class), true);
        return map;
    }

    /**
     * The current value, whatever its JSON type, as a plain Java value ({@code null} for JSON
     * {@code null}): see {@link #values} for the shapes.
     */
    Object value() throws IOException {
        JsonToken t = p.currentToken();
        return t == JsonToken.VALUE_NULL ? null : seal(mapper.readValue(p, Object.class), true);
    }

    /**
     * Skips the current value (the parser still checks that it is well-formed). With a limit, its
     * strings are read and measured instead.
     */
    void skip() throws IOException {
        if (!measure) {
            p.skipChildren();
        } else if (p.currentToken() == JsonToken.START_OBJECT || p.currentToken() == JsonToken.START_ARRAY) {
            seal(mapper.readValue(p, Object.class), false);
        }
    }

    private void wrongType(JsonToken t, String field, String expected) throws IOException {
        if (t != JsonToken.VALUE_NULL) {
            problem("Field '" + field + "' must be " + expected);
            skip();
        }
    }

    /** {@link #next}, inside an array: never null (Jackson reports an unclosed array itself). */
    private JsonToken nextInArray() throws IOException {
        JsonToken t = next();
        if (t == null) {
            throw new JsonParseException(p, "Unexpected end of input");
        }
        return t;
    }

    /**
     * Jackson's untyped value made unmodifiable in place, its strings measured if this reader has
     * a limit; an infinity (a number beyond the range of {@code double}) is a problem when
     * {@code numbers}.
     */
    @SuppressWarnings("unchecked")
    private Object seal(Object v, boolean numbers) throws Limit {
        if (v instanceof Map) {
            for (Map.Entry<String, Object> e : ((Map<String, Object>) v).entrySet()) {
                if (measure && e.getKey().length() > maxStringChars) {
                    throw new Limit(stringTooLong(maxStringChars));
                }
                e.setValue(seal(e.getValue(), numbers));
            }
            return Collections.unmodifiableMap((Map<String, Object>) v);
        }
        if (v instanceof List) {
            for (ListIterator<Object> it = ((List<Object>) v).listIterator(); it.hasNext(); ) {
                it.set(seal(it.next(), numbers));
            }
            return Collections.unmodifiableList((List<Object>) v);
        }
        if (v instanceof String) {
            if (measure && ((String) v).length() > maxStringChars) {
                throw new Limit(stringTooLong(maxStringChars));
            }
        } else if (numbers && v instanceof Double && ((Double) v).isInfinite()) {
            problem(NUMBER_OUT_OF_RANGE);
            return null;
        }
        return v;
    }

    static String stringTooLong(int maxChars) {
        return "String longer than " + maxChars + " characters";
    }

    /** A well-formedness limit exceeded, found by LoudSync itself (Jackson's are its own type). */
    static final class Limit extends IOException {
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
}
