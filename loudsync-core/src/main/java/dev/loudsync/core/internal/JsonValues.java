package dev.loudsync.core.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON values as plain Java values, without a JSON library: {@code Map<String, ?>} for objects,
 * {@code List}/{@code Collection} for arrays, {@code String}, {@code Boolean}, finite
 * {@code Number}s of the JDK's own classes, and {@code null}. What the shared state is made of.
 *
 * <p>Stateless.
 */
final class JsonValues {

    private JsonValues() {
    }

    /**
     * A deep, unmodifiable copy of a JSON object; maps keep their order. {@code null} values are
     * kept where {@code nullsAllowed} (a merge patch), refused otherwise.
     *
     * @throws IllegalArgumentException naming the path of the first value that is not plain JSON
     */
    static Map<String, Object> copyObject(Map<?, ?> object, boolean nullsAllowed) {
        return copyMap(object, "$", nullsAllowed);
    }

    private static Object copy(Object value, String path, boolean nullsAllowed) {
        if (value == null) {
            if (!nullsAllowed) {
                throw new IllegalArgumentException(path + ": null (the state holds no nulls)");
            }
            return null;
        }
        if (value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Number) {
            return number((Number) value, path);
        }
        if (value instanceof Map) {
            return copyMap((Map<?, ?>) value, path, nullsAllowed);
        }
        if (value instanceof Collection) {
            List<Object> list = new ArrayList<>(((Collection<?>) value).size());
            int i = 0;
            for (Object item : (Collection<?>) value) {
                // an array replaces as a whole, so a null in it would be a null in the state
                list.add(copy(item, path + "[" + i++ + "]", false));
            }
            return Collections.unmodifiableList(list);
        }
        throw new IllegalArgumentException(path + ": a " + value.getClass().getName()
                + " (expected: Map, List, String, Number, Boolean)");
    }

    private static Map<String, Object> copyMap(Map<?, ?> map, String path, boolean nullsAllowed) {
        Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String)) {
                throw new IllegalArgumentException(path + ": key " + e.getKey() + " is not a String");
            }
            String key = (String) e.getKey();
            copy.put(key, copy(e.getValue(), path + "." + key, nullsAllowed));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static Number number(Number n, String path) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException(path + ": " + n + " (JSON has no NaN or infinity)");
            }
            return n;
        }
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger || n instanceof BigDecimal) {
            return n;
        }
        throw new IllegalArgumentException(path + ": a " + n.getClass().getName() + " (expected a JDK number)");
    }

    /** The length in UTF-8 bytes of the compact JSON text of {@code value}. */
    static long encodedSize(Object value) {
        if (value == null) {
            return 4;
        }
        if (value instanceof String) {
            return stringSize((String) value);
        }
        if (value instanceof Boolean) {
            return (Boolean) value ? 4 : 5;
        }
        if (value instanceof Number) {
            return value.toString().length();
        }
        if (value instanceof Map) {
            Map<?, ?> map = (Map<?, ?>) value;
            long size = 2 + Math.max(0, map.size() - 1); // braces and commas
            for (Map.Entry<?, ?> e : map.entrySet()) {
                size += stringSize((String) e.getKey()) + 1 + encodedSize(e.getValue());
            }
            return size;
        }
        Collection<?> list = (Collection<?>) value;
        long size = 2 + Math.max(0, list.size() - 1);
        for (Object item : list) {
            size += encodedSize(item);
        }
        return size;
    }

    private static long stringSize(String s) {
        long size = 2;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t') {
                size += 2;
            } else if (c < 0x20) {
                size += 6;
            } else if (c < 0x80) {
                size += 1;
            } else if (c < 0x800) {
                size += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                size += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                size += 6; // a lone surrogate is written as an escape
            } else {
                size += 3;
            }
        }
        return size;
    }
}
