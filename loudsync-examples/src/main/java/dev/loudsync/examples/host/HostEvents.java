package dev.loudsync.examples.host;

import dev.loudsync.core.JoinRequest;
import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionCodes;
import dev.loudsync.core.SessionListener;
import java.io.PrintStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Logs membership changes, one line each with key-value fields ({@code event}, {@code session},
 * {@code member}, {@code name}, {@code reason}), and shows join requests on the console.
 *
 * <p>Joins, leaves and updates each pass a {@link LogLimiter} (50 at once, then 10 a second): a
 * join storm of thousands logs the first ones, then a steady trickle, and the next line let
 * through carries {@code suppressed=N}. Join requests are not limited: the host must see each one
 * to approve it, and they already wait on the host.
 */
final class HostEvents implements SessionListener {

    private static final Logger log = LoggerFactory.getLogger(HostEvents.class);

    private final PrintStream console;
    private final LogLimiter joins;
    private final LogLimiter leaves;
    private final LogLimiter updates;

    HostEvents(PrintStream console) {
        this(console, new LogLimiter(10, 50), new LogLimiter(10, 50), new LogLimiter(10, 50));
    }

    HostEvents(PrintStream console, LogLimiter joins, LogLimiter leaves, LogLimiter updates) {
        this.console = console;
        this.joins = joins;
        this.leaves = leaves;
        this.updates = updates;
    }

    /** An INFO line of {@code event} if {@code limiter} lets it through, else null. */
    static LoggingEventBuilder line(Logger logger, LogLimiter limiter, String event) {
        long suppressed = limiter.acquire();
        if (suppressed < 0 || !logger.isInfoEnabled()) {
            return null;
        }
        LoggingEventBuilder b = logger.atInfo().addKeyValue("event", event);
        return suppressed > 0 ? b.addKeyValue("suppressed", suppressed) : b;
    }

    @Override
    public void memberJoined(Session session, Member member) {
        LoggingEventBuilder b = line(log, joins, "join");
        if (b != null) {
            b.addKeyValue("session", session.id()).addKeyValue("member", member.id()).addKeyValue("name", member.name())
                    .log("Joined: {} ({})", member.id(), member.name());
        }
    }

    @Override
    public void memberLeft(Session session, Member member, LeaveReason reason) {
        LoggingEventBuilder b = line(log, leaves, "leave");
        if (b != null) {
            b.addKeyValue("session", session.id()).addKeyValue("member", member.id()).addKeyValue("name", member.name())
                    .addKeyValue("reason", reason.name())
                    .log("Left: {} ({}): {}", member.id(), member.name(), reason.wireText());
        }
    }

    @Override
    public void memberUpdated(Session session, Member member) {
        LoggingEventBuilder b = line(log, updates, "update");
        if (b != null) {
            b.addKeyValue("session", session.id()).addKeyValue("member", member.id())
                    .addKeyValue("status", member.status().wireName())
                    .log("Updated: {} ({}): {}, latency {}", member.id(), member.name(), member.status().wireName(),
                            member.latencyMillis().isPresent() ? member.latencyMillis().getAsInt() + " ms" : "unknown");
        }
    }

    @Override
    public void joinRequested(Session session, JoinRequest request) {
        log.atInfo().addKeyValue("event", "join_request").addKeyValue("session", session.id())
                .addKeyValue("member", request.deviceId()).addKeyValue("remote", request.remoteAddress())
                .log("Join request: {} ({}) from {}", request.deviceId(), request.deviceName(), request.remoteAddress());
        console.println("Join request from " + request.deviceId() + " (" + request.deviceName() + "): type \"approve "
                + request.deviceId() + "\" or \"deny " + request.deviceId() + "\"");
        console.flush();
    }

    @Override
    public void sessionClosed(Session session) {
        log.atInfo().addKeyValue("event", "session_closed").addKeyValue("session", session.id())
                .log("Session {} closed", SessionCodes.display(session.id()));
    }
}
