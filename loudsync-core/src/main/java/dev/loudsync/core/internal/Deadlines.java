package dev.loudsync.core.internal;

import dev.loudsync.core.SerialExecutor;
import dev.loudsync.core.TimeSource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Things that each expire one fixed timeout after they were added, served by one timer: since the
 * timeout is the same for all, they expire in the order they were added, so the timer only ever
 * waits for the oldest. What expires and is not {@code settled} yet goes to {@code onExpiry}.
 * Confined to the executor it schedules on.
 *
 * @param <T> what waits
 */
final class Deadlines<T> {

    private final SerialExecutor executor;
    private final TimeSource time;
    private final long timeoutNanos;
    private final Predicate<T> settled;
    private final Consumer<T> onExpiry;
    private final ArrayDeque<Entry<T>> waiting = new ArrayDeque<>();
    private Future<?> timer;

    private record Entry<T>(T item, long deadlineNanos) {
    }

    /**
     * @param settled  whether an item no longer waits (it is then dropped without expiring)
     * @param onExpiry told of each item whose timeout passed while it still waited
     */
    Deadlines(SerialExecutor executor, TimeSource time, Duration timeout, Predicate<T> settled, Consumer<T> onExpiry) {
        this.executor = executor;
        this.time = time;
        this.timeoutNanos = timeout.toNanos();
        this.settled = settled;
        this.onExpiry = onExpiry;
    }

    void add(T item) {
        waiting.add(new Entry<>(item, time.nanoTime() + timeoutNanos));
        schedule();
    }

    /** Stops the timer; returns the items that still waited, oldest first. */
    List<T> stop() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        List<T> left = new ArrayList<>();
        for (Entry<T> e : waiting) {
            if (!settled.test(e.item())) {
                left.add(e.item());
            }
        }
        waiting.clear();
        return left;
    }

    private void schedule() {
        if (timer == null && !waiting.isEmpty()) {
            long delay = Math.max(0, waiting.peek().deadlineNanos() - time.nanoTime());
            timer = executor.schedule(this::expire, Duration.ofNanos(delay));
        }
    }

    private void expire() {
        timer = null;
        long now = time.nanoTime();
        while (!waiting.isEmpty()
                && (settled.test(waiting.peek().item()) || waiting.peek().deadlineNanos() - now <= 0)) {
            T item = waiting.poll().item();
            if (!settled.test(item)) {
                onExpiry.accept(item);
            }
        }
        schedule();
    }
}
