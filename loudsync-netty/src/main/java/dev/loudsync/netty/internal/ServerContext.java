package dev.loudsync.netty.internal;

import dev.loudsync.core.SessionRegistry;
import dev.loudsync.core.TimeSource;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every connection's handlers share: thread-safe parts of one server. {@code stopping} turns
 * true once {@code stop()} begins; from then on a JOIN is answered with close 1001 (the server goes
 * away) and refused joins no longer count as guesses against their address. {@code metrics} counts
 * and reports what happens.
 */
record ServerContext(SessionRegistry registry, TimeSource time, GuestDecoder decoder, WebSocketFrames frames,
        JoinGuard joinGuard, ConnectionLimits limits, OriginPolicy origins, ServerRuntime.Settings settings,
        AtomicBoolean stopping, ServerMetrics metrics) {

    /** A context whose counters belong to no server (tests that build a pipeline by hand). */
    ServerContext(SessionRegistry registry, TimeSource time, GuestDecoder decoder, WebSocketFrames frames,
            JoinGuard joinGuard, ConnectionLimits limits, OriginPolicy origins, ServerRuntime.Settings settings,
            AtomicBoolean stopping) {
        this(registry, time, decoder, frames, joinGuard, limits, origins, settings, stopping, ServerMetrics.detached());
    }

    int messagesPerSecond() {
        return settings.messagesPerSecond();
    }

    int messageBurst() {
        return settings.messageBurst();
    }
}
