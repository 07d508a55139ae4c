package dev.loudsync.examples.host;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionCodes;
import dev.loudsync.netty.WebHandler;
import dev.loudsync.netty.WebRequest;
import dev.loudsync.netty.WebResponse;

/**
 * Serves the guest page on the host's port: {@code /} (the page), {@code /app.js},
 * {@code /style.css}, and {@code /session} (JSON about the session, for the page and for tools).
 * Everything is read once into memory, so serving never blocks a network thread.
 *
 * <p>The page opens its WebSocket to the same origin, so the server's default origin policy admits
 * it, and it sends the PIN only inside its {@code JOIN}, never in a URL.
 */
final class GuestPage implements WebHandler {

    private final ObjectMapper json = new ObjectMapper();
    private final PageFiles files = new PageFiles("/dev/loudsync/examples/web/", "index.html", "app.js", "style.css");
    private volatile Session session;

    /** The session the page joins; until one is set, {@code /session} answers 503. */
    void show(Session s) {
        this.session = s;
    }

    @Override
    public WebResponse handle(WebRequest request) {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return WebResponse.text(405, "Method not allowed").withHeader("Allow", "GET, HEAD");
        }
        if (request.path().equals("/session")) {
            Session s = session;
            if (s == null) {
                return WebResponse.text(503, "No session yet");
            }
            return PageFiles.secure(WebResponse.json(sessionJson(s))).withHeader("Cache-Control", "no-store");
        }
        return files.get(request.path());
    }

    /** What {@code GET /session} answers. */
    String sessionJson(Session session) {
        ObjectNode o = json.createObjectNode();
        o.put("sessionId", SessionCodes.display(session.id()));
        o.put("sessionName", session.config().name());
        o.put("hostName", session.config().hostName());
        o.put("memberCount", session.members().size());
        o.put("maxMembers", session.config().maxMembers());
        o.put("pinRequired", session.config().pin().isPresent());
        o.put("open", session.isOpen());
        return o.toString();
    }
}
