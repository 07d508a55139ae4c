package dev.loudsync.netty.client.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a host that went silent without closing (power loss, a Wi-Fi drop on its side, a frozen
 * process): once the connection has received nothing at all for the heartbeat timeout the host
 * announced in {@code WELCOME}, the connection is closed, and the client treats it as lost (and
 * reconnects with its resume token) as it does any abrupt end.
 *
 * <p>A live host is never silent for that long: it sends a WebSocket ping to every member at each
 * liveness check (a third of the timeout by default), and answers the {@code PING} the client sends
 * with each heartbeat. Any byte counts, ping frames included, so the watchdog sits first in the
 * pipeline, before TLS and the WebSocket decoder (which answers pings itself and passes nothing on).
 * Without it the client would wait for TCP to give up, which takes minutes when the host's side
 * simply stops answering.
 *
 * <p>Installed on the connection's event loop once the client is joined; it goes with its channel.
 */
final class HostWatchdog extends IdleStateHandler {

    private static final Logger log = LoggerFactory.getLogger(HostWatchdog.class);
    private static final String NAME = "loudsync-host-watchdog";

    private final long timeoutMillis;

    private HostWatchdog(long timeoutMillis) {
        super(timeoutMillis, 0, 0, TimeUnit.MILLISECONDS);
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Watches {@code channel} from now on: silence for {@code timeout} closes it. A later call (a
     * new {@code WELCOME} on the same connection) replaces the earlier watch.
     */
    static void watch(Channel channel, Duration timeout) {
        if (!channel.isActive() || timeout.isZero() || timeout.isNegative()) {
            return;
        }
        if (channel.pipeline().get(NAME) != null) {
            channel.pipeline().remove(NAME);
        }
        channel.pipeline().addFirst(NAME, new HostWatchdog(timeout.toMillis()));
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        if (evt.state() == IdleState.READER_IDLE) {
            log.info("Heard nothing from {} for {} ms (its heartbeat timeout): treating the connection as lost",
                    ctx.channel().remoteAddress(), timeoutMillis);
            ctx.close();
        }
    }
}
