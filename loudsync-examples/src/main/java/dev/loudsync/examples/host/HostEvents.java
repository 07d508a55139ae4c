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

/** Logs membership changes, one line each, and shows join requests on the console. */
final class HostEvents implements SessionListener {

    private static final Logger log = LoggerFactory.getLogger(HostEvents.class);

    private final PrintStream console;

    HostEvents(PrintStream console) {
        this.console = console;
    }

    @Override
    public void memberJoined(Session session, Member member) {
        log.info("Joined: {} ({})", member.id(), member.name());
    }

    @Override
    public void memberLeft(Session session, Member member, LeaveReason reason) {
        log.info("Left: {} ({}): {}", member.id(), member.name(), reason.wireText());
    }

    @Override
    public void memberUpdated(Session session, Member member) {
        log.info("Updated: {} ({}): {}, latency {}", member.id(), member.name(), member.status().wireName(),
                member.latencyMillis().isPresent() ? member.latencyMillis().getAsInt() + " ms" : "unknown");
    }

    @Override
    public void joinRequested(Session session, JoinRequest request) {
        log.info("Join request: {} ({}) from {}", request.deviceId(), request.deviceName(), request.remoteAddress());
        console.println("Join request from " + request.deviceId() + " (" + request.deviceName() + "): type \"approve "
                + request.deviceId() + "\" or \"deny " + request.deviceId() + "\"");
        console.flush();
    }

    @Override
    public void sessionClosed(Session session) {
        log.info("Session {} closed", SessionCodes.display(session.id()));
    }
}
