package dev.loudsync.core;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The executor a session is confined to. Every change to a session runs as a task here, so session
 * code needs no locks and its events come out in one total order.
 *
 * <p>Implementations must run tasks one at a time, in submission order, with each task seeing the
 * effects of the ones before it; {@link #execute} must not run a task inside another task (it
 * queues it instead). A Netty event loop, a single-thread {@link ScheduledExecutorService}, and
 * the test kit's {@code ManualTime.executor()} all qualify. Tasks given to {@link #schedule} run on this same
 * executor.
 */
public interface SerialExecutor extends Executor {

    /**
     * Runs {@code task} on this executor after {@code delay}.
     *
     * @return a handle whose {@code cancel} stops the task if it has not started
     */
    Future<?> schedule(Runnable task, Duration delay);

    /**
     * Adapts a single-threaded scheduled executor. The caller keeps ownership: shutting it down is
     * the caller's job.
     *
     * @throws NullPointerException if {@code executor} is null
     */
    static SerialExecutor of(ScheduledExecutorService executor) {
        Objects.requireNonNull(executor, "executor");
        return new SerialExecutor() {
            @Override
            public void execute(Runnable task) {
                executor.execute(task);
            }

            @Override
            public Future<?> schedule(Runnable task, Duration delay) {
                return executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            }
        };
    }
}
