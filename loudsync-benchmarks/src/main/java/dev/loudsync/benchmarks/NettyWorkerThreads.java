package dev.loudsync.benchmarks;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * JMH's worker threads as Netty threads ({@link FastThreadLocalThread}), like the event loops that
 * run the measured code in the server. On a plain thread Netty does not pool its recyclable objects
 * (a {@code ChannelOutboundBuffer} entry per write, for one), so allocation would not be the
 * server's. Selected in the fork with {@code -Djmh.executor=CUSTOM -Djmh.executor.class=} this class.
 */
public final class NettyWorkerThreads extends ThreadPoolExecutor {

    /** The fork's JVM options that make JMH run benchmarks on these threads. */
    public static final String JMH_EXECUTOR = "-Djmh.executor=CUSTOM";
    public static final String JMH_EXECUTOR_CLASS = "-Djmh.executor.class=dev.loudsync.benchmarks.NettyWorkerThreads";

    /** The constructor JMH calls: the number of worker threads and their name prefix. */
    public NettyWorkerThreads(int threads, String prefix) {
        super(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory(prefix, true));
    }

    /**
     * Fails unless the calling thread is one of these (a run without a fork uses JMH's own threads).
     *
     * @throws IllegalStateException on another thread
     */
    public static void requireCurrent() {
        if (!(Thread.currentThread() instanceof FastThreadLocalThread)) {
            throw new IllegalStateException("Not on a Netty worker thread (" + Thread.currentThread().getName()
                    + "): run forked, which the benchmark's @Fork options make use NettyWorkerThreads");
        }
    }
}
