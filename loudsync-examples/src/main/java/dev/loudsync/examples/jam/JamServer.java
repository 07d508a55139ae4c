package dev.loudsync.examples.jam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loudsync.core.AuthDecision;
import dev.loudsync.core.Member;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionCodes;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.SessionListener;
import dev.loudsync.examples.host.PageFiles;
import dev.loudsync.netty.LoudSyncServer;
import dev.loudsync.netty.WebRequest;
import dev.loudsync.netty.WebResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jam server: one {@link LoudSyncServer} hosting any number of server-hosted jam sessions, its
 * page, its HTTP API and the catalog's audio.
 *
 * <p>HTTP (JSON; errors are {@code {"error": "..."}} with 400, 404, 405 or 503):
 * <ul>
 * <li>{@code POST /api/sessions {name}} opens a session: 201 {@code {sessionId}} (the code to join
 * with, as {@code K7M-2QX}). Names are 1 to {@value #MAX_NAME_CHARS} characters.</li>
 * <li>{@code GET /api/sessions}: the open sessions, {@code [{sessionId, name, hostName,
 * memberCount}]} ({@code hostName} absent while a session has no member);
 * {@code GET /api/sessions/{id}}: one of them.</li>
 * <li>{@code GET /api/tracks}: the catalog, {@code [{trackId, title, artist, durationMs}]}.</li>
 * <li>{@code GET /media/{trackId}}: the audio with its content type; byte ranges (206) for
 * players that seek. Files are read on the jam's own thread, never on a network thread.</li>
 * </ul>
 *
 * <p>Every session is server-hosted (the first member is its host; the role passes on when the host
 * leaves), ends after {@value #IDLE_MINUTES} minutes without a request or a join, or 60 s after
 * its last member left, and admits display names of at most {@value #MAX_NAME_CHARS} characters
 * (longer ones are refused with {@code UNAUTHORIZED "Name too long: 21 characters (at most 20)"}).
 * At most {@value #MAX_SESSIONS} sessions are open at once; each takes {@value #MAX_MEMBERS} members.
 */
final class JamServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JamServer.class);

    static final int MAX_NAME_CHARS = 20;
    static final int MAX_SESSIONS = 100;
    static final int MAX_MEMBERS = 50;
    static final int IDLE_MINUTES = 30;
    static final Duration EMPTY_TIMEOUT = Duration.ofSeconds(60);

    /** How far ahead a start is scheduled, for every page to have the audio decoded by then. */
    static final Duration DEFAULT_START_LEAD = Duration.ofMillis(800);

    private final ObjectMapper json = new ObjectMapper();
    private final PageFiles page = new PageFiles("/dev/loudsync/examples/jam/web/",
            "index.html", "player.js", "jam.js", "jam.css");
    private final Catalog catalog;
    private final Duration startLead;
    private final Map<String, JamSession> jams = new ConcurrentHashMap<>();
    private final ExecutorService files = Executors.newSingleThreadExecutor(daemon("loudsync-jam-files"));
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(daemon("loudsync-jam-timer"));
    private final LoudSyncServer server;

    private JamServer(LoudSyncServer.Builder builder, Catalog catalog, Duration startLead) {
        this.catalog = catalog;
        this.startLead = startLead;
        this.server = builder.asyncWebHandler(this::handle).maxRequestBodyBytes(64 * 1024).build();
    }

    /**
     * Builds the server from {@code builder} (which must not have a web handler yet) and starts it.
     *
     * @return completes with the running jam, or exceptionally when the port cannot be bound
     */
    static CompletableFuture<JamServer> start(LoudSyncServer.Builder builder, Catalog catalog) {
        return start(builder, catalog, DEFAULT_START_LEAD);
    }

    static CompletableFuture<JamServer> start(LoudSyncServer.Builder builder, Catalog catalog, Duration startLead) {
        JamServer jam = new JamServer(builder, catalog, startLead);
        return jam.server.start().handle((v, e) -> {
            if (e != null) {
                jam.close();
                throw new java.util.concurrent.CompletionException(e);
            }
            return jam;
        });
    }

    /** The underlying server (its address, its sessions). */
    LoudSyncServer server() {
        return server;
    }

    /** Stops the server (every guest gets {@code SESSION_CLOSED}) and the jam's threads. */
    @Override
    public void close() {
        try {
            server.stop().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("The server did not stop cleanly: {}", e.toString());
        } finally {
            files.shutdownNow();
            timers.shutdownNow();
        }
    }

    /** Opens a jam session named {@code name}; the caller checked the name. */
    Session open(String name) {
        SessionConfig config = SessionConfig.builder().name(name).serverHosted()
                .idleTimeout(Duration.ofMinutes(IDLE_MINUTES)).emptyTimeout(EMPTY_TIMEOUT)
                .maxMembers(MAX_MEMBERS).authenticator(a -> CompletableFuture.completedFuture(admit(a.deviceName())))
                .build();
        Session session = server.openSession(config);
        JamSession jam = new JamSession(session, catalog, timers, System::currentTimeMillis, startLead);
        jams.put(session.id(), jam);
        session.addListener(new SessionListener() {
            @Override
            public void sessionClosed(Session s) {
                jams.remove(s.id());
                log.info("Jam {} \"{}\" ended", SessionCodes.display(s.id()), s.config().name());
            }
        });
        jam.install();
        log.info("Jam {} \"{}\" opened", SessionCodes.display(session.id()), name);
        return session;
    }

    static AuthDecision admit(String deviceName) {
        String name = deviceName.strip();
        if (name.length() > MAX_NAME_CHARS) {
            return AuthDecision.refuse("Name too long: " + name.length() + " characters (at most " + MAX_NAME_CHARS + ")");
        }
        return name.isEmpty() ? AuthDecision.refuse("Name is blank") : AuthDecision.accept().withName(name);
    }

    CompletionStage<WebResponse> handle(WebRequest r) {
        String path = r.path();
        boolean read = r.method().equals("GET") || r.method().equals("HEAD");
        try {
            if (path.equals("/api/sessions")) {
                if (r.method().equals("POST")) {
                    return done(create(r));
                }
                return done(read ? ok(sessionList()) : notAllowed("GET, POST"));
            }
            if (!read) {
                return done(notAllowed("GET, HEAD"));
            }
            if (path.startsWith("/api/sessions/")) {
                Optional<Session> s = server.session(path.substring("/api/sessions/".length()));
                return done(s.map(x -> ok(describe(x))).orElseGet(() -> error(404, "No open session with that code")));
            }
            if (path.equals("/api/tracks")) {
                return done(ok(catalog.tracks().stream().map(Track::toJson).toList()));
            }
            if (path.startsWith("/media/")) {
                return media(path.substring("/media/".length()));
            }
            WebResponse file = page.get(path);
            return done(file != null ? file : error(404, "Not found"));
        } catch (RuntimeException e) {
            log.warn("Cannot answer {} {}", r.method(), path, e);
            return done(error(500, "Internal error"));
        }
    }

    private WebResponse create(WebRequest r) {
        JsonNode body;
        try {
            body = json.readTree(r.body());
        } catch (IOException e) {
            body = null;
        }
        JsonNode name = body == null ? null : body.get("name");
        if (name == null || !name.isTextual()) {
            return error(400, "Expected a JSON object {\"name\": \"...\"}");
        }
        String n = name.asText().strip();
        if (n.isEmpty() || n.length() > MAX_NAME_CHARS || n.chars().anyMatch(Character::isISOControl)) {
            return error(400, "name: 1-" + MAX_NAME_CHARS + " characters, no control characters");
        }
        if (jams.size() >= MAX_SESSIONS) {
            return error(503, "Too many open sessions (" + MAX_SESSIONS + "); try again later");
        }
        for (int attempt = 0; ; attempt++) {
            try {
                Session s = open(n);
                return json(201, Map.of("sessionId", SessionCodes.display(s.id())));
            } catch (IllegalArgumentException e) {
                if (attempt == 5) { // a random code taken five times over: something else is wrong
                    throw e;
                }
            }
        }
    }

    private List<Object> sessionList() {
        List<Object> list = new ArrayList<>();
        for (Session s : server.sessions()) {
            if (jams.containsKey(s.id())) {
                list.add(describe(s));
            }
        }
        return list;
    }

    private static Map<String, Object> describe(Session s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sessionId", SessionCodes.display(s.id()));
        m.put("name", s.config().name());
        s.host().map(Member::name).ifPresent(h -> m.put("hostName", h));
        m.put("memberCount", s.members().size());
        return m;
    }

    private CompletionStage<WebResponse> media(String trackId) {
        Optional<Track> t = catalog.find(trackId);
        if (t.isEmpty()) {
            return done(error(404, "No track " + trackId));
        }
        Track track = t.get();
        return CompletableFuture.supplyAsync(() -> {
            try {
                return PageFiles.secure(WebResponse.ok(track.contentType(), track.readAudio())).withByteRanges()
                        .withHeader("Cache-Control", "max-age=3600");
            } catch (IOException e) {
                log.warn("Cannot read {}: {}", track.file(), e.toString());
                return error(404, "Track " + trackId + " cannot be read");
            }
        }, files);
    }

    private WebResponse ok(Object value) {
        return json(200, value);
    }

    private WebResponse json(int status, Object value) {
        try {
            byte[] body = json.writeValueAsBytes(value);
            return PageFiles.secure(new WebResponse(status, "application/json", body, Map.of()))
                    .withHeader("Cache-Control", "no-store");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private WebResponse error(int status, String message) {
        return json(status, Map.of("error", message));
    }

    private WebResponse notAllowed(String allow) {
        return error(405, "Method not allowed").withHeader("Allow", allow);
    }

    private static CompletionStage<WebResponse> done(WebResponse r) {
        return CompletableFuture.completedFuture(r);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
