package dev.loudsync.examples.load;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The deliveries of {@code rounds} CHAT broadcasts to {@code guests} receivers: for each round and
 * guest, the time from the send to the receipt, in nanoseconds (-1 until received). Each guest
 * writes only its own cells, from its event loop.
 */
final class Broadcasts {

    private final long[][] latency;
    private final AtomicIntegerArray received;
    private final CompletableFuture<?>[] complete;
    private final int guests;

    Broadcasts(int rounds, int guests) {
        this.guests = guests;
        this.latency = new long[rounds][guests];
        for (long[] row : latency) {
            Arrays.fill(row, -1);
        }
        this.received = new AtomicIntegerArray(rounds);
        this.complete = new CompletableFuture<?>[rounds];
        for (int r = 0; r < rounds; r++) {
            complete[r] = new CompletableFuture<Void>();
        }
    }

    int rounds() {
        return latency.length;
    }

    /** Guest {@code guest} received round {@code round}, sent at {@code sentNanos}. */
    void delivered(int round, int guest, long sentNanos, long nowNanos) {
        if (round < 0 || round >= latency.length || latency[round][guest] >= 0) {
            return; // not ours, or a duplicate
        }
        latency[round][guest] = nowNanos - sentNanos;
        if (received.incrementAndGet(round) == guests) {
            complete[round].complete(null);
        }
    }

    /** How many guests have received round {@code round}. */
    int received(int round) {
        return received.get(round);
    }

    CompletableFuture<?> roundComplete(int round) {
        return complete[round];
    }

    /** Every delivery's latency of the completed rounds, in nanoseconds. */
    long[] deliveries(int completedRounds) {
        long[] all = new long[completedRounds * guests];
        int k = 0;
        for (int r = 0; r < completedRounds; r++) {
            for (long v : latency[r]) {
                all[k++] = v;
            }
        }
        return all;
    }

    /** For each completed round, the latency to its last receiver, in nanoseconds. */
    long[] lastReceivers(int completedRounds) {
        long[] last = new long[completedRounds];
        for (int r = 0; r < completedRounds; r++) {
            last[r] = Arrays.stream(latency[r]).max().orElse(-1);
        }
        return last;
    }

    /** The value at quantile {@code q} (0..1) of {@code values}, nearest-rank; -1 for none. */
    static long quantile(long[] values, double q) {
        if (values.length == 0) {
            return -1;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
