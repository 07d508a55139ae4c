package dev.loudsync.netty.internal;

import dev.loudsync.core.SessionRegistry;
import dev.loudsync.core.TimeSource;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every connection's handlers share: thread-safe parts of one server. {@code stopping} turns
 * true once {@code stop()} begins; from then on a JOIN is answered with close 1001 (the server goes
 * away) and refused joins no longer count as guesses against their address.
 */
record ServerContext(SessionRegistry registry, TimeSource time, GuestDecoder decoder, WebSocketFrames frames,
        JoinGuard joinGuard, ConnectionLimits limits, OriginPolicy origins, ServerRuntime.Settings settings,
        AtomicBoolean stopping) {

    int messagesPerSecond() {
        return settings.messagesPerSecond();
    }

    int messageBurst() {
        return settings.messageBurst();
    }
}
