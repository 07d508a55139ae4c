package dev.loudsync.netty.client.internal;

import dev.loudsync.core.TimeSource;
import dev.loudsync.netty.client.ClockEstimate;
import java.util.ArrayDeque;

/**
 * NTP-style offset estimate from PING/PONG samples: {@code offset = serverTime - (t0 + t1) / 2}.
 * Local times come from the monotonic clock, anchored once to the wall clock, so the estimate has
 * sub-millisecond resolution on our side; the host's {@code serverTime} is whole milliseconds, taken
 * as the middle of its millisecond. Of the last {@value #WINDOW} samples, the estimate averages those
 * whose round trip is close to the lowest, since queueing delays only ever add to a round trip; its
 * uncertainty is that lowest round trip plus the host's rounding. Not thread-safe.
 */
final class ClockSync {

    static final int WINDOW = 16;

    private record Sample(double offsetMillis, double rttMillis) {
    }

    private final long anchorWallMillis;
    private final long anchorNanos;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private int count;
    private ClockEstimate estimate;

    ClockSync(TimeSource time) {
        // Anchor at the edge of a wall-clock millisecond, so the anchor itself is exact rather than
        // up to 1 ms early. Bounded, for clocks that do not move (manual time in tests).
        long start = time.currentTimeMillis();
        long startNanos = time.nanoTime();
        long wall = start;
        long nanos = startNanos;
        for (int i = 0; i < 1_000_000 && wall == start && nanos - startNanos < 2_000_000; i++) {
            wall = time.currentTimeMillis();
            nanos = time.nanoTime();
        }
        this.anchorWallMillis = wall;
        this.anchorNanos = nanos;
    }

    /** The local wall-clock time, in fractional milliseconds, at monotonic time {@code nanos}. */
    double localMillis(long nanos) {
        return anchorWallMillis + (nanos - anchorNanos) / 1e6;
    }

    /** Adds a sample: a PING sent at {@code sentNanos}, answered at {@code receivedNanos}. */
    void add(long sentNanos, long receivedNanos, long serverTimeMillis) {
        double rtt = (receivedNanos - sentNanos) / 1e6;
        if (rtt < 0) {
            return;
        }
        double mid = localMillis(sentNanos + (receivedNanos - sentNanos) / 2);
        samples.addLast(new Sample(serverTimeMillis + 0.5 - mid, rtt));
        if (samples.size() > WINDOW) {
            samples.removeFirst();
        }
        count++;
        double minRtt = Double.MAX_VALUE;
        for (Sample s : samples) {
            minRtt = Math.min(minRtt, s.rttMillis());
        }
        // Average the samples nearly as fast as the best one: each is off by at most half its round
        // trip, and averaging cancels the host's millisecond rounding.
        double sum = 0;
        int n = 0;
        for (Sample s : samples) {
            if (s.rttMillis() <= 2 * minRtt + 0.2) {
                sum += s.offsetMillis();
                n++;
            }
        }
        estimate = new ClockEstimate(sum / n, minRtt + 0.5, count);
    }

    /** The estimate, or null before the first sample. */
    ClockEstimate estimate() {
        return estimate;
    }

    /** The latest round trip's latency sample, rounded, or -1. */
    int lastRttMillis() {
        return samples.isEmpty() ? -1 : (int) Math.round(samples.peekLast().rttMillis());
    }
}
