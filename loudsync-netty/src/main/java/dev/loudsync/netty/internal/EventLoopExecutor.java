package dev.loudsync.netty.internal;

import dev.loudsync.core.SerialExecutor;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** A session's executor: one Netty event loop, which already runs tasks one at a time, in order. */
final class EventLoopExecutor implements SerialExecutor {

    private final EventLoop loop;

    EventLoopExecutor(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }

    @Override
    public Future<?> schedule(Runnable task, Duration delay) {
        return loop.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
}
