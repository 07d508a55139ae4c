package dev.loudsync.netty.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Caps open connections in total and per remote IP address. Thread-safe. */
final class ConnectionLimits {

    private final int max;
    private final int maxPerAddress;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();

    ConnectionLimits(int max, int maxPerAddress) {
        this.max = max;
        this.maxPerAddress = maxPerAddress;
    }

    /** Counts a new connection if both caps allow it; then {@link #release} must follow. */
    boolean tryAcquire(String ip) {
        if (total.incrementAndGet() > max) {
            total.decrementAndGet();
            return false;
        }
        AtomicInteger n = perAddress.computeIfAbsent(ip, k -> new AtomicInteger());
        if (n.incrementAndGet() > maxPerAddress) {
            decrement(ip, n);
            total.decrementAndGet();
            return false;
        }
        return true;
    }

    void release(String ip) {
        AtomicInteger n = perAddress.get(ip);
        if (n != null) {
            decrement(ip, n);
        }
        total.decrementAndGet();
    }

    int open() {
        return total.get();
    }

    private void decrement(String ip, AtomicInteger n) {
        if (n.decrementAndGet() == 0) {
            perAddress.remove(ip, n);
        }
    }
}
