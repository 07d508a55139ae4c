package dev.loudsync.netty.internal;

/** A token bucket on caller-supplied monotonic time. Not thread-safe. */
final class TokenBucket {

    private final double tokensPerNano;
    private final double capacity;
    private double tokens;
    private long lastNanos;

    TokenBucket(double perSecond, int capacity, long nowNanos) {
        this.tokensPerNano = perSecond / 1e9;
        this.capacity = capacity;
        this.tokens = capacity;
        this.lastNanos = nowNanos;
    }

    /** Takes a token if there is one. */
    boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Whether a token is available, without taking it. */
    boolean hasToken(long nowNanos) {
        refill(nowNanos);
        return tokens >= 1;
    }

    /** Whether the bucket is full again (nothing to remember). */
    boolean isFull(long nowNanos) {
        refill(nowNanos);
        return tokens >= capacity;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * tokensPerNano);
            lastNanos = nowNanos;
        }
    }
}
