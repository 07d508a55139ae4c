package dev.loudsync.micrometer;

import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Meters of one session, tagged {@code session=ID}: its members, the join requests waiting for
 * approval, and its joins and leaves.
 *
 * <pre>{@code
 * new SessionMetrics(party).bindTo(registry);
 * }</pre>
 *
 * <p>A tag per session is worth it only when sessions are few, such as a host that runs one party:
 * a server that opens sessions by the thousand should rely on {@link LoudSyncMetrics} alone, whose
 * series never multiply. The meters are removed from the registry when the session closes, so the
 * series in a registry never outnumber the sessions bound and open.
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>tags besides {@code session}</th></tr>
 * <tr><td>{@code loudsync.session.members}</td><td>gauge (the host included)</td><td></td></tr>
 * <tr><td>{@code loudsync.session.pending}</td><td>gauge: join requests waiting for approval</td><td></td></tr>
 * <tr><td>{@code loudsync.session.joins}</td><td>counter</td><td></td></tr>
 * <tr><td>{@code loudsync.session.leaves}</td><td>counter</td><td>{@code reason}: a {@link LeaveReason}, lower case</td></tr>
 * </table>
 *
 * <p>Bind once per registry; binding a closed session registers nothing. Counts start at the
 * binding. Thread-safe.
 */
public final class SessionMetrics implements MeterBinder {

    private final Session session;
    private final Tags tags;

    /** Meters of {@code session}, tagged with its id. */
    public SessionMetrics(Session session) {
        this(session, Tags.empty());
    }

    /** Meters of {@code session}, tagged with its id and {@code tags}. */
    public SessionMetrics(Session session, Iterable<Tag> tags) {
        this.session = Objects.requireNonNull(session, "session");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags")).and("session", session.id());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        List<Meter> meters = new ArrayList<>();
        meters.add(Gauge.builder("loudsync.session.members", session, s -> s.isOpen() ? s.members().size() : 0)
                .description("Members of the session, the host included").tags(tags).register(registry));
        meters.add(Gauge.builder("loudsync.session.pending", session, s -> s.isOpen() ? s.pendingRequests().size() : 0)
                .description("Join requests waiting for the host's approval").tags(tags).register(registry));
        Counter joins = Counter.builder("loudsync.session.joins").description("Guests that became members")
                .tags(tags).register(registry);
        meters.add(joins);
        Map<LeaveReason, Counter> leaves = new EnumMap<>(LeaveReason.class);
        for (LeaveReason reason : LeaveReason.values()) {
            Counter c = Counter.builder("loudsync.session.leaves").description("Members gone, by reason")
                    .tags(tags).tag("reason", LoudSyncMetrics.lower(reason)).register(registry);
            leaves.put(reason, c);
            meters.add(c);
        }
        session.addListener(new SessionListener() {
            @Override
            public void memberJoined(Session s, Member member) {
                joins.increment();
            }

            @Override
            public void memberLeft(Session s, Member member, LeaveReason reason) {
                leaves.get(reason).increment();
            }

            @Override
            public void sessionClosed(Session s) {
                for (Meter m : meters) {
                    registry.remove(m);
                }
                s.removeListener(this);
            }
        });
        if (!session.isOpen()) {
            // Closed before the listener was added: it will never hear sessionClosed.
            for (Meter m : meters) {
                registry.remove(m);
            }
        }
    }
}
