package dev.loudsync.netty.internal;

import dev.loudsync.core.SessionRegistry;
import dev.loudsync.core.TimeSource;
import io.netty.channel.ChannelHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The server's inbound path without a server: the handlers a guest's channel holds once its
 * WebSocket handshake is done ({@link HttpGate}, {@link HttpRouter}, {@link SessionBridge}), on a
 * given registry, with the server's default limits but no rate limit. The benchmarks put them on an
 * {@code EmbeddedChannel} and fire the handshake's completion; as {@link ServerOutbound} does for
 * the outbound path, it is the one door to these package-private parts. Not API.
 */
public final class ServerInbound {

    private ServerInbound() {
    }

    /** New handlers for one channel, whose messages go to {@code registry}. */
    public static ChannelHandler[] handlers(SessionRegistry registry, TimeSource time) {
        int maxFrameBytes = 65_536;
        Settings s = new Settings(time, maxFrameBytes);
        ServerContext server = new ServerContext(registry, time, new GuestDecoder(maxFrameBytes),
                new WebSocketFrames(new HostEncoder()), new JoinGuard(time, 10, Duration.ofSeconds(3)),
                new ConnectionLimits(20_000, 64), new OriginPolicy(List.of()), s.settings, new AtomicBoolean());
        return new ChannelHandler[] {new HttpGate(Duration.ofSeconds(10).toNanos()),
                new HttpRouter("/", new OriginPolicy(List.of()), null, false), new SessionBridge(server)};
    }

    /** The server's settings with its defaults, no rate limit, and {@code time}. */
    private static final class Settings {
        final ServerRuntime.Settings settings;

        Settings(TimeSource time, int maxFrameBytes) {
            settings = new ServerRuntime.Settings(null, 0, "/", maxFrameBytes, Duration.ofSeconds(10),
                    Duration.ofSeconds(10), 20_000, 64, List.of(), null, null, null, 1, false, time,
                    Duration.ofSeconds(5), Integer.MAX_VALUE, Integer.MAX_VALUE, 4 << 20, 10, Duration.ofSeconds(3),
                    null, null, 0, Long.MAX_VALUE);
        }
    }
}
