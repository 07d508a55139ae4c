package dev.loudsync.micrometer;

import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.netty.Abuse;
import dev.loudsync.netty.LoudSyncServer;
import dev.loudsync.netty.ServerState;
import dev.loudsync.netty.ServerStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Binds a {@link LoudSyncServer}'s {@link LoudSyncServer#stats() stats} to a Micrometer registry:
 *
 * <pre>{@code
 * new LoudSyncMetrics(server).bindTo(registry);
 * }</pre>
 *
 * <p>Every meter reads the server's stats when the registry publishes (a scrape), so nothing is
 * counted twice and binding costs the server nothing between scrapes. Names follow Micrometer's
 * conventions (dot-separated, lower case; counters without a {@code total} suffix, which a
 * registry such as Prometheus adds itself; bytes in base units), and every tag has a fixed set of
 * values: the server state, a {@link ErrorCode}, {@link LeaveReason}, {@link CloseCode} or
 * {@link Abuse} constant, so the number of series never grows with traffic. Tags per session are
 * left to {@link SessionMetrics}, for applications whose sessions are few.
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>tags</th></tr>
 * <tr><td>{@code loudsync.server.state}</td><td>gauge, 1 for the current state, else 0</td><td>{@code state}: new, starting, running, stopping, stopped</td></tr>
 * <tr><td>{@code loudsync.sockets.open}</td><td>gauge</td><td></td></tr>
 * <tr><td>{@code loudsync.connections.open}</td><td>gauge</td><td>{@code state}: joined, unjoined</td></tr>
 * <tr><td>{@code loudsync.connections.opened}</td><td>counter</td><td></td></tr>
 * <tr><td>{@code loudsync.sessions.open}</td><td>gauge</td><td></td></tr>
 * <tr><td>{@code loudsync.members}</td><td>gauge (hosts included)</td><td></td></tr>
 * <tr><td>{@code loudsync.frames.received}, {@code loudsync.frames.sent}</td><td>counter</td><td></td></tr>
 * <tr><td>{@code loudsync.payload.received}, {@code loudsync.payload.sent}</td><td>counter, bytes</td><td></td></tr>
 * <tr><td>{@code loudsync.joins.accepted}</td><td>counter</td><td></td></tr>
 * <tr><td>{@code loudsync.joins.refused}</td><td>counter</td><td>{@code code}: the {@code ERROR} code, as on the wire</td></tr>
 * <tr><td>{@code loudsync.leaves}</td><td>counter</td><td>{@code reason}: a {@link LeaveReason}, lower case</td></tr>
 * <tr><td>{@code loudsync.closes}</td><td>counter</td><td>{@code code} (number) and {@code reason}: the close the server sent</td></tr>
 * <tr><td>{@code loudsync.messages.dropped}</td><td>counter (over the rate limit)</td><td></td></tr>
 * <tr><td>{@code loudsync.abuse}</td><td>counter</td><td>{@code kind}: an {@link Abuse}, lower case</td></tr>
 * </table>
 *
 * <p>Like Micrometer's own binders, the meters hold the server weakly: they report what it does
 * while the application keeps it, and nothing (NaN) once it is gone. A stopped server keeps its
 * last counts. Thread-safe: bind from any thread.
 */
public final class LoudSyncMetrics implements MeterBinder {

    private final LoudSyncServer server;
    private final Tags tags;

    /** Meters of {@code server}, without extra tags. */
    public LoudSyncMetrics(LoudSyncServer server) {
        this(server, Tags.empty());
    }

    /**
     * Meters of {@code server}, each with {@code tags} too (for example {@code server=lobby} when
     * one process runs several servers).
     */
    public LoudSyncMetrics(LoudSyncServer server, Iterable<Tag> tags) {
        this.server = Objects.requireNonNull(server, "server");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (ServerState state : ServerState.values()) {
            gauge(registry, "loudsync.server.state", "1 for the server's current state, 0 for the others",
                    s -> s.state() == state ? 1 : 0, Tags.of("state", lower(state)));
        }
        gauge(registry, "loudsync.sockets.open", "Accepted TCP connections open: plain HTTP, upgrading, WebSocket",
                ServerStats::openSockets, Tags.empty());
        gauge(registry, "loudsync.connections.open", "WebSocket connections open, by whether they carry a member",
                ServerStats::joinedConnections, Tags.of("state", "joined"));
        gauge(registry, "loudsync.connections.open", "WebSocket connections open, by whether they carry a member",
                ServerStats::unjoinedConnections, Tags.of("state", "unjoined"));
        gauge(registry, "loudsync.sessions.open", "Open sessions", ServerStats::sessions, Tags.empty());
        gauge(registry, "loudsync.members", "Members of all open sessions, hosts included", ServerStats::members,
                Tags.empty());

        counter(registry, "loudsync.connections.opened", "WebSocket connections opened", null,
                ServerStats::connectionsOpened, Tags.empty());
        counter(registry, "loudsync.frames.received", "WebSocket data frames read", null,
                ServerStats::framesReceived, Tags.empty());
        counter(registry, "loudsync.frames.sent", "WebSocket data frames written, one per recipient", null,
                ServerStats::framesSent, Tags.empty());
        counter(registry, "loudsync.payload.received", "Payload bytes of the data frames read", BaseUnits.BYTES,
                ServerStats::bytesReceived, Tags.empty());
        counter(registry, "loudsync.payload.sent", "Payload bytes of the data frames written", BaseUnits.BYTES,
                ServerStats::bytesSent, Tags.empty());
        counter(registry, "loudsync.joins.accepted", "Guests that became members", null,
                ServerStats::joinsAccepted, Tags.empty());
        for (ErrorCode code : ErrorCode.protocolCodes()) {
            counter(registry, "loudsync.joins.refused", "JOINs refused, by the ERROR code sent", null,
                    s -> s.joinsRefused().get(code), Tags.of("code", code.name()));
        }
        for (LeaveReason reason : LeaveReason.values()) {
            counter(registry, "loudsync.leaves", "Members gone, by reason", null, s -> s.leaves().get(reason),
                    Tags.of("reason", lower(reason)));
        }
        for (CloseCode code : CloseCode.values()) {
            counter(registry, "loudsync.closes", "Connections the server closed, by the close code it sent", null,
                    s -> s.closes().get(code), Tags.of("code", Integer.toString(code.code()), "reason", code.name()));
        }
        counter(registry, "loudsync.messages.dropped", "Messages dropped for exceeding the rate limit", null,
                ServerStats::messagesDropped, Tags.empty());
        for (Abuse kind : Abuse.values()) {
            counter(registry, "loudsync.abuse", "What the server's protections stopped, by kind", null,
                    s -> s.abuse().get(kind), Tags.of("kind", lower(kind)));
        }
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<ServerStats> value,
            Tags extra) {
        Gauge.builder(name, server, s -> value.applyAsDouble(s.stats()))
                .description(description)
                .tags(tags.and(extra))
                .register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, String baseUnit,
            ToDoubleFunction<ServerStats> value, Tags extra) {
        FunctionCounter.builder(name, server, s -> value.applyAsDouble(s.stats()))
                .description(description)
                .baseUnit(baseUnit)
                .tags(tags.and(extra))
                .register(registry);
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
