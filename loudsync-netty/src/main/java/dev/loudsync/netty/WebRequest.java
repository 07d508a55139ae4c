package dev.loudsync.netty;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A plain HTTP request (one without a WebSocket upgrade) on the server's port, as given to a
 * {@link WebHandler}. Requests with a body are refused before they get here.
 *
 * @param method        the method, upper case ({@code GET}, {@code HEAD}, ...)
 * @param path          the decoded path, without query ({@code /session})
 * @param query         the query parameters, each name with its values in order
 * @param headers       the headers, names in lower case
 * @param remoteAddress the client's address
 */
public record WebRequest(String method, String path, Map<String, List<String>> query,
        Map<String, List<String>> headers, InetSocketAddress remoteAddress) {

    public WebRequest {
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
    }

    /** The first value of a header (name case-insensitive), or null. */
    public @Nullable String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
