package dev.loudsync.testing;

import dev.loudsync.core.SerialExecutor;
import dev.loudsync.core.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A clock and executor for tests: time stands still until {@link #advance} moves it, and every task
 * runs on the thread that triggered it. Lets a test join a hundred members and time them out in
 * microseconds, without sleeping.
 *
 * <p>{@link #executor()} runs a submitted task at once on the calling thread, unless a task of this
 * instance is already running, in which case it runs right after (so tasks never nest and keep
 * their order). Scheduled tasks run during {@link #advance}, each with the clock set to its due
 * time, in due-time order.
 *
 * <p>Not thread-safe: use an instance from one thread.
 */
public final class ManualTime implements TimeSource {

    private final long epochMillisAtStart;
    private long nanos;
    private long sequence;
    private final PriorityQueue<Task> scheduled = new PriorityQueue<>();
    private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
    private boolean draining;
    private final SerialExecutor executor = new SerialExecutor() {
        @Override
        public void execute(Runnable task) {
            ready.add(Objects.requireNonNull(task, "task"));
            drain();
        }

        @Override
        public Future<?> schedule(Runnable task, Duration delay) {
            Objects.requireNonNull(task, "task");
            long delayNanos = Math.max(0, delay.toNanos());
            Task t = new Task(nanos + delayNanos, sequence++, task);
            scheduled.add(t);
            return t;
        }
    };

    /** A manual clock that starts at {@code start}. */
    public ManualTime(Instant start) {
        this.epochMillisAtStart = start.toEpochMilli();
    }

    /** A manual clock that starts at 2025-02-02T00:00:00Z. */
    public ManualTime() {
        this(Instant.parse("2025-02-02T00:00:00Z"));
    }

    /** The executor whose tasks run on the calling thread and whose timers follow this clock. */
    public SerialExecutor executor() {
        return executor;
    }

    /** Moves time forward by {@code duration}, running every task that falls due on the way. */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration: " + duration + " (expected: >= 0)");
        }
        long target = nanos + duration.toNanos();
        while (!scheduled.isEmpty() && scheduled.peek().dueNanos <= target) {
            Task t = scheduled.poll();
            if (t.cancelled) {
                continue;
            }
            nanos = Math.max(nanos, t.dueNanos);
            t.done = true;
            executor.execute(t.task);
        }
        nanos = target;
    }

    /** Number of scheduled tasks not yet run or cancelled. */
    public int pendingTasks() {
        return (int) scheduled.stream().filter(t -> !t.cancelled).count();
    }

    @Override
    public long currentTimeMillis() {
        return epochMillisAtStart + TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            Runnable r;
            while ((r = ready.poll()) != null) {
                r.run();
            }
        } finally {
            draining = false;
        }
    }

    private static final class Task implements Future<Void>, Comparable<Task> {
        final long dueNanos;
        final long seq;
        final Runnable task;
        boolean cancelled;
        boolean done;

        Task(long dueNanos, long seq, Runnable task) {
            this.dueNanos = dueNanos;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public int compareTo(Task o) {
            int c = Long.compare(dueNanos, o.dueNanos);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (done || cancelled) {
                return false;
            }
            cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Void get() {
            return null;
        }

        @Override
        public Void get(long timeout, TimeUnit unit) {
            return null;
        }
    }
}
