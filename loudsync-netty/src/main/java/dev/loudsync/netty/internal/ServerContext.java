package dev.loudsync.netty.internal;

import dev.loudsync.core.SessionRegistry;
import dev.loudsync.core.TimeSource;

/** What every connection's handlers share: immutable, thread-safe parts of one server. */
record ServerContext(SessionRegistry registry, TimeSource time, MessageCodec codec, WebSocketFrames frames,
        JoinGuard joinGuard, ConnectionLimits limits, OriginPolicy origins, ServerRuntime.Settings settings) {

    int messagesPerSecond() {
        return settings.messagesPerSecond();
    }

    int messageBurst() {
        return settings.messageBurst();
    }
}
