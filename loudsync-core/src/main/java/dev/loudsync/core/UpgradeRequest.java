package dev.loudsync.core;

import java.io.UnsupportedEncodingException;
import java.net.URI;
import java.net.URLDecoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP request that opened a WebSocket connection, as the transport saw it: what a
 * {@link JoinAuthenticator} may look at besides the {@code JOIN}. Immutable.
 *
 * @param remoteAddress the peer's address, for example {@code 192.168.1.7:51234}
 * @param uri           the request target, for example {@code /?room=r1&ticket=abc}
 * @param headers       header values by lower-case name, in arrival order
 */
public record UpgradeRequest(String remoteAddress, String uri, Map<String, List<String>> headers) {

    /** A request the transport knows nothing about (an in-memory transport, a test). */
    public static UpgradeRequest unknown(String remoteAddress) {
        return new UpgradeRequest(remoteAddress, "/", Map.of());
    }

    public UpgradeRequest {
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(uri, "uri");
        Map<String, List<String>> lower = new LinkedHashMap<>();
        headers.forEach((name, values) -> lower.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                .addAll(values));
        lower.replaceAll((name, values) -> List.copyOf(values));
        headers = Map.copyOf(lower);
    }

    /** The first value of header {@code name} (any case). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The value of cookie {@code name} from the {@code Cookie} headers. */
    public Optional<String> cookie(String name) {
        for (String header : headers.getOrDefault("cookie", List.of())) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                    String value = pair.substring(eq + 1).trim();
                    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                        value = value.substring(1, value.length() - 1);
                    }
                    return Optional.of(value);
                }
            }
        }
        return Optional.empty();
    }

    /** The first value of query parameter {@code name}, percent-decoded (UTF-8). */
    public Optional<String> queryParameter(String name) {
        String query;
        try {
            query = URI.create(uri).getRawQuery();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (name.equals(key)) {
                return Optional.of(eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return Optional.empty();
    }

    private static String decode(String s) {
        try {
            // the String charset name, not Charset: Android's API level 26 has only this one
            return URLDecoder.decode(s, "UTF-8");
        } catch (IllegalArgumentException | UnsupportedEncodingException e) {
            return s;
        }
    }
}
