package dev.loudsync.testing;

import dev.loudsync.core.JoinRequest;
import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionListener;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link SessionListener} that writes down every event as one short line, in order, for
 * assertions on what a session told its application:
 *
 * <pre>{@code
 * SessionEvents events = new SessionEvents();
 * Session session = registry.open(config, events);
 * ...
 * assertThat(events.take()).containsExactly("joined phone-1", "left phone-1 LEFT");
 * }</pre>
 *
 * <p>The lines: {@code joined ID}, {@code left ID REASON}, {@code updated ID STATUS} (then
 * {@code " 42ms"} once a latency is known), {@code host ID after PREVIOUS_ID},
 * {@code requested DEVICE_ID} and {@code closed}. Thread-safe: a session on a network thread may
 * record while the test reads.
 */
public final class SessionEvents implements SessionListener {

    private final List<String> lines = new ArrayList<>();

    /** A listener with nothing recorded yet. */
    public SessionEvents() {
    }

    /** Every line recorded and not yet taken. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** The lines recorded since the last take, which it clears. */
    public synchronized List<String> take() {
        List<String> taken = List.copyOf(lines);
        lines.clear();
        return taken;
    }

    private synchronized void add(String line) {
        lines.add(line);
    }

    @Override
    public void memberJoined(Session session, Member member) {
        add("joined " + member.id());
    }

    @Override
    public void memberLeft(Session session, Member member, LeaveReason reason) {
        add("left " + member.id() + " " + reason);
    }

    @Override
    public void memberUpdated(Session session, Member member) {
        add("updated " + member.id() + " " + member.status()
                + member.latencyMillis().stream().mapToObj(l -> " " + l + "ms").findFirst().orElse(""));
    }

    @Override
    public void hostChanged(Session session, Member host, Member previousHost) {
        add("host " + host.id() + " after " + previousHost.id());
    }

    @Override
    public void joinRequested(Session session, JoinRequest request) {
        add("requested " + request.deviceId());
    }

    @Override
    public void sessionClosed(Session session) {
        add("closed");
    }
}
