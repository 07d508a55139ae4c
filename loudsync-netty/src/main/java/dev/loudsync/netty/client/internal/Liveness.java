package dev.loudsync.netty.client.internal;

import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.TimeSource;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.netty.client.ClockEstimate;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A joined client's heartbeats and pings: {@code HEARTBEAT} (with the latest measured latency) at
 * the interval {@code WELCOME} announces or the one configured, a {@code PING} with each, and a
 * quick series of pings right after joining so that the host's clock is known at once. Answers
 * ({@code PONG}) feed the clock estimate and the latency.
 *
 * <p>Runs on the client's event loop; the latency, the clock estimate and the host's time may be
 * read from any thread.
 */
final class Liveness {

    private static final int QUICK_PINGS = 8;
    private static final long QUICK_PING_SPACING_MILLIS = 50;
    /** Pings without an answer kept at most; past it they are forgotten (the host is not answering). */
    private static final int MAX_IN_FLIGHT = 64;

    private final EventLoop loop;
    private final TimeSource time;
    private final String deviceId;
    private final Duration intervalOverride;
    private final Consumer<GuestMessage> send;
    private final ClockSync clock;

    // Event loop only.
    private boolean running;
    private ScheduledFuture<?> heartbeats;
    private final Map<Long, Long> pingsInFlight = new HashMap<>();
    private long lastPingTimestamp;

    // Any thread.
    private volatile ClockEstimate clockEstimate;
    private volatile int latencyMillis = -1;

    /**
     * @param intervalOverride the heartbeat interval, or null for the one {@code WELCOME} announces
     * @param send             sends a message on the current connection, if there is one
     */
    Liveness(EventLoop loop, TimeSource time, String deviceId, Duration intervalOverride,
            Consumer<GuestMessage> send) {
        this.loop = loop;
        this.time = time;
        this.deviceId = deviceId;
        this.intervalOverride = intervalOverride;
        this.send = send;
        this.clock = new ClockSync(time);
    }

    /** Joined (or resumed): heartbeats from now on, and a quick series of pings. */
    void start(HostMessage.Welcome welcome) {
        stop();
        running = true;
        Duration interval = intervalOverride != null ? intervalOverride
                : welcome.heartbeatIntervalMs() > 0 ? Duration.ofMillis(welcome.heartbeatIntervalMs())
                : SessionConfig.DEFAULT_HEARTBEAT_INTERVAL;
        heartbeats = loop.scheduleAtFixedRate(this::heartbeat, interval.toNanos(), interval.toNanos(),
                TimeUnit.NANOSECONDS);
        for (int i = 0; i < QUICK_PINGS; i++) {
            loop.schedule(this::ping, i * QUICK_PING_SPACING_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** The connection ended: no more heartbeats or pings; answers to earlier pings are ignored. */
    void stop() {
        running = false;
        if (heartbeats != null) {
            heartbeats.cancel(false);
            heartbeats = null;
        }
        pingsInFlight.clear();
    }

    /** The host answered a ping. */
    void pong(HostMessage.Pong pong) {
        Long stamp = pong.pingTimestamp();
        Long sent = stamp == null ? null : pingsInFlight.remove(stamp);
        if (sent == null) {
            return;
        }
        clock.add(sent, time.nanoTime(), pong.serverTime());
        clockEstimate = clock.estimate();
        latencyMillis = clock.lastRttMillis();
    }

    /** The latest round-trip time to the host. */
    OptionalInt latencyMillis() {
        int l = latencyMillis;
        return l < 0 ? OptionalInt.empty() : OptionalInt.of(l);
    }

    /** The estimate of the host's clock, once a ping was answered. */
    Optional<ClockEstimate> clockEstimate() {
        return Optional.ofNullable(clockEstimate);
    }

    /** The host's clock now (the local clock before any estimate). */
    long hostTimeNow() {
        ClockEstimate e = clockEstimate;
        double local = clock.localMillis(time.nanoTime());
        return Math.round(e == null ? local : local + e.offsetMillis());
    }

    private void heartbeat() {
        int latency = latencyMillis;
        send.accept(new GuestMessage.Heartbeat(deviceId, latency >= 0 ? (long) latency : null));
        ping();
    }

    private void ping() {
        if (!running) {
            return;
        }
        // Distinct stamps, so that each answer finds its ping.
        long stamp = Math.max(time.currentTimeMillis(), lastPingTimestamp + 1);
        lastPingTimestamp = stamp;
        if (pingsInFlight.size() > MAX_IN_FLIGHT) {
            pingsInFlight.clear();
        }
        pingsInFlight.put(stamp, time.nanoTime());
        send.accept(new GuestMessage.Ping(stamp));
    }
}
