package dev.loudsync.netty;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * The answer of a {@link WebHandler} to a plain HTTP request.
 *
 * @param status      the HTTP status code
 * @param contentType the {@code Content-Type}, for example {@code text/html; charset=utf-8}
 * @param body        the body; shared, not copied, so do not change it afterwards
 * @param headers     extra headers
 */
public record WebResponse(int status, String contentType, byte[] body, Map<String, String> headers) {

    public WebResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 100-599)");
        }
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    /** 200 with the given type and body. */
    public static WebResponse ok(String contentType, byte[] body) {
        return new WebResponse(200, contentType, body, Map.of());
    }

    /** A UTF-8 text response. */
    public static WebResponse text(int status, String text) {
        return new WebResponse(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** 200 with a JSON body given as text. */
    public static WebResponse json(String json) {
        return new WebResponse(200, "application/json", json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /**
     * A copy that offers byte ranges ({@code Accept-Ranges: bytes}): the server answers a request's
     * {@code Range} with the part asked for ({@code 206}), as media players ask when they seek.
     */
    public WebResponse withByteRanges() {
        return withHeader("Accept-Ranges", "bytes");
    }

    /** A copy with one more header. */
    public WebResponse withHeader(String name, String value) {
        java.util.Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.put(name, value);
        return new WebResponse(status, contentType, body, h);
    }
}
