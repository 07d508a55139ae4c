package dev.loudsync.examples.load;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One wait for every participating guest's member count to reach {@code target}: the guest that
 * gets there last completes {@link #done} with the time ({@link System#nanoTime()}) it did.
 */
final class Convergence {

    final int target;
    private final AtomicInteger remaining;
    final CompletableFuture<Long> done = new CompletableFuture<>();

    Convergence(int target, int participants) {
        this.target = target;
        this.remaining = new AtomicInteger(participants);
        if (participants == 0) {
            done.complete(System.nanoTime());
        }
    }

    /** A guest reached the target (each guest calls this at most once per convergence). */
    void arrived() {
        if (remaining.decrementAndGet() == 0) {
            done.complete(System.nanoTime());
        }
    }

    /** How many participants have not arrived yet. */
    int remaining() {
        return remaining.get();
    }
}
