package dev.loudsync.netty;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A plain HTTP request (one without a WebSocket upgrade) on the server's port, as given to a
 * {@link WebHandler}. A body larger than {@link LoudSyncServer.Builder#maxRequestBodyBytes} (by
 * default: any body) is refused before it gets here.
 *
 * @param method        the method, upper case ({@code GET}, {@code HEAD}, ...)
 * @param path          the decoded path, without query ({@code /session})
 * @param query         the query parameters, each name with its values in order
 * @param headers       the headers, names in lower case
 * @param remoteAddress the client's address
 * @param body          the request's body; empty when it had none. Shared, not copied: do not change it
 */
public record WebRequest(String method, String path, Map<String, List<String>> query,
        Map<String, List<String>> headers, InetSocketAddress remoteAddress, byte[] body) {

    public WebRequest {
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** A request without a body. */
    public WebRequest(String method, String path, Map<String, List<String>> query,
            Map<String, List<String>> headers, InetSocketAddress remoteAddress) {
        this(method, path, query, headers, remoteAddress, new byte[0]);
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The first value of a header (name case-insensitive), or null. */
    public @Nullable String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
