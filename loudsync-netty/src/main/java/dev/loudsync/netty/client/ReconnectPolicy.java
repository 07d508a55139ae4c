package dev.loudsync.netty.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * When to try again after a lost connection: exponential backoff with jitter. The n-th retry
 * (from 0) waits a random time between half and all of {@code min(maxDelay, initialDelay * 2^n)}.
 *
 * @param initialDelay the first delay's upper bound
 * @param maxDelay     the largest delay
 * @param maxAttempts  retries before giving up ({@link ClientState#FAILED}); 0 never reconnects,
 *                     {@link Integer#MAX_VALUE} keeps trying
 */
public record ReconnectPolicy(Duration initialDelay, Duration maxDelay, int maxAttempts) {

    /** 250 ms doubling up to 30 s, forever. */
    public static final ReconnectPolicy DEFAULT = new ReconnectPolicy(Duration.ofMillis(250), Duration.ofSeconds(30),
            Integer.MAX_VALUE);

    /** Never reconnect. */
    public static final ReconnectPolicy NEVER = new ReconnectPolicy(Duration.ofMillis(1), Duration.ofMillis(1), 0);

    public ReconnectPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || initialDelay.isZero() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("delays: " + initialDelay + ", " + maxDelay
                    + " (expected: 0 < initialDelay <= maxDelay)");
        }
        if (maxAttempts < 0) {
            throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: >= 0)");
        }
    }

    /**
     * The wait before retry number {@code attempt} (from 0), its jitter drawn from {@code random} (a
     * {@link Random}, not a {@code RandomGenerator}: Android (API level 26) has no such interface).
     */
    public Duration delay(int attempt, Random random) {
        long cap = maxDelay.toNanos();
        long d = initialDelay.toNanos();
        for (int i = 0; i < attempt && d < cap; i++) {
            d *= 2;
        }
        d = Math.min(d, cap);
        return Duration.ofNanos(d / 2 + (long) (random.nextDouble() * (d / 2)));
    }
}
