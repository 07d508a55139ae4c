package dev.loudsync.netty.internal;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Which web pages may open a WebSocket. Allowed: no {@code Origin} (native apps send none), a
 * same-origin page ({@code Origin} host and port equal {@code Host}'s, default ports filled in), an
 * origin on the allow-list, or any origin when the list holds {@code "*"}.
 */
final class OriginPolicy {

    private final List<String> allowed;
    private final boolean any;

    OriginPolicy(List<String> allowed) {
        this.allowed = allowed;
        this.any = allowed.contains("*");
    }

    boolean allows(String origin, String host, boolean tls) {
        if (origin == null || any) {
            return true;
        }
        String o = origin.trim().toLowerCase(Locale.ROOT);
        if (allowed.contains(o)) {
            return true;
        }
        if (host == null) {
            return false;
        }
        try {
            URI uri = new URI(o);
            String scheme = uri.getScheme();
            if (uri.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
                return false;
            }
            int originPort = uri.getPort() != -1 ? uri.getPort() : ("https".equals(scheme) ? 443 : 80);
            URI hostUri = new URI("http://" + host.trim().toLowerCase(Locale.ROOT));
            if (hostUri.getHost() == null) {
                return false;
            }
            int hostPort = hostUri.getPort() != -1 ? hostUri.getPort() : (tls ? 443 : 80);
            return uri.getHost().equals(hostUri.getHost()) && originPort == hostPort;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
