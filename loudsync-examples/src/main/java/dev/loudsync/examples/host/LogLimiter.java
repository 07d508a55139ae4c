package dev.loudsync.examples.host;

import java.util.function.LongSupplier;

/**
 * Keeps a kind of log line from flooding the log: a token bucket of {@code burst} lines refilled at
 * {@code perSecond}. Lines past it are dropped and counted; the next line let through reports how
 * many were dropped before it. Thread-safe.
 */
final class LogLimiter {

    private final double perNano;
    private final int burst;
    private final LongSupplier nanoTime;
    private double tokens;
    private long last;
    private long suppressed;

    LogLimiter(int perSecond, int burst) {
        this(perSecond, burst, System::nanoTime);
    }

    LogLimiter(int perSecond, int burst, LongSupplier nanoTime) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.last = nanoTime.getAsLong();
    }

    /**
     * Whether a line may be logged now.
     *
     * @return -1 if not (the line is counted as suppressed), else how many lines were suppressed
     *         since the last one let through
     */
    synchronized long acquire() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
        if (tokens < 1) {
            suppressed++;
            return -1;
        }
        tokens -= 1;
        long dropped = suppressed;
        suppressed = 0;
        return dropped;
    }
}
