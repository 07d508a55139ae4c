package dev.loudsync.netty.internal;

import dev.loudsync.core.TimeSource;
import dev.loudsync.core.protocol.ErrorCode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * Slows down guessing of session codes and PINs: each IP address may fail to join a burst of times,
 * then once per refill period. Only guesses count ({@code SESSION_NOT_FOUND}, {@code UNAUTHORIZED}).
 * Remembers at most {@value #MAX_ADDRESSES} addresses, forgetting the least recently seen.
 */
final class JoinGuard {

    static final int MAX_ADDRESSES = 10_000;

    private final TimeSource time;
    private final int burst;
    private final double perSecond;
    private final Map<String, TokenBucket> buckets = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TokenBucket> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    JoinGuard(TimeSource time, int burst, Duration refill) {
        this.time = time;
        this.burst = burst;
        this.perSecond = 1e9 / refill.toNanos();
    }

    /** Whether the address may try to join now. */
    synchronized boolean allows(String address) {
        TokenBucket b = buckets.get(address);
        return b == null || b.hasToken(time.nanoTime());
    }

    /** Counts a refused join of the address. */
    synchronized void refused(String address, ErrorCode code) {
        if (code != ErrorCode.SESSION_NOT_FOUND && code != ErrorCode.UNAUTHORIZED) {
            return;
        }
        long now = time.nanoTime();
        buckets.computeIfAbsent(address, a -> new TokenBucket(perSecond, burst, now)).tryTake(now);
    }

    /**
     * Counts refused joins of the registry's {@code onJoinRefused} callback, except while
     * {@code stopping} is set: refusals caused by the server's own stop are no guesses.
     */
    BiConsumer<String, ErrorCode> countingUnless(AtomicBoolean stopping) {
        return (address, code) -> {
            if (!stopping.get()) {
                refused(ipOf(address), code);
            }
        };
    }

    /** The IP part of an address formatted by {@link NettyConnection#formatAddress}. */
    static String ipOf(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        return colon > 0 ? hostAndPort.substring(0, colon) : hostAndPort;
    }
}
