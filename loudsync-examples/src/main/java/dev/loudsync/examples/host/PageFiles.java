package dev.loudsync.examples.host;

import dev.loudsync.netty.WebResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The static files of a page, read once from the class path into memory so that serving them never
 * blocks a network thread, each answered with the same-origin security headers. Shared by the
 * LAN party host's guest page and the apps' pages.
 */
public final class PageFiles {

    /** Same origin only: no external scripts, styles, images or connections. */
    public static final String CSP = "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
            + "media-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final Map<String, WebResponse> files = new HashMap<>();

    /**
     * Reads {@code names} from the class-path folder {@code folder} (e.g.
     * {@code "/dev/loudsync/examples/web/"}); {@code index.html} is also served at {@code /}.
     *
     * @throws IllegalStateException if a file is missing
     */
    public PageFiles(String folder, String... names) {
        for (String name : names) {
            WebResponse r = secure(WebResponse.ok(contentType(name), read(folder + name)))
                    .withHeader("Cache-Control", "no-cache");
            files.put("/" + name, r);
            if (name.equals("index.html")) {
                files.put("/", r);
            }
        }
    }

    /** The file at {@code path}, or null. */
    public WebResponse get(String path) {
        return files.get(path);
    }

    /** {@code r} with the security headers every page answer carries. */
    public static WebResponse secure(WebResponse r) {
        return r.withHeader("Content-Security-Policy", CSP).withHeader("X-Content-Type-Options", "nosniff")
                .withHeader("Referrer-Policy", "no-referrer");
    }

    private static byte[] read(String resource) {
        try (InputStream in = PageFiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String contentType(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        } else if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        } else if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        } else if (name.endsWith(".svg")) {
            return "image/svg+xml";
        } else if (name.endsWith(".png")) {
            return "image/png";
        }
        return "application/octet-stream";
    }
}
