package dev.loudsync.benchmarks;

import dev.loudsync.netty.internal.LoopCounters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the server's frame counters add to each frame on its own ({@link LoopCounters}):
 * {@code received} is called for every data frame read, {@code sent} for every frame handed to a
 * channel. The loop reads a counter back so that the stores cannot be dropped. The figure to compare
 * with is a frame's whole path ({@link InboundBenchmark}, {@link BroadcastBenchmark}), hundreds of
 * nanoseconds per frame.
 *
 * <p>Run (from the repository root):
 *
 * <pre>./mvnw -q -B -pl loudsync-benchmarks -am package -DskipTests &amp;&amp; java -jar loudsync-benchmarks/target/benchmarks.jar CountersBenchmark</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
        "-Dio.netty.leakDetection.level=disabled",
        NettyWorkerThreads.JMH_EXECUTOR, NettyWorkerThreads.JMH_EXECUTOR_CLASS})
public class CountersBenchmark {

    @State(Scope.Thread)
    public static class Counters {
        final LoopCounters counters = new LoopCounters();
        /** A CHAT broadcast's frame as WebSocketFrames builds it: a 2-byte header, 120 bytes of text. */
        final ByteBuf frame = Unpooled.directBuffer(122).writeByte(0x81).writeByte(120).writeZero(120);
    }

    @Benchmark
    public void received(Counters c, Blackhole bh) {
        c.counters.received(120);
        bh.consume(c.counters.get(LoopCounters.RECEIVED));
    }

    @Benchmark
    public void sent(Counters c, Blackhole bh) {
        c.counters.sent(c.frame);
        bh.consume(c.counters.get(LoopCounters.SENT));
    }

    @Benchmark
    public void baseline(Counters c, Blackhole bh) {
        bh.consume(c.counters.get(LoopCounters.SENT));
    }
}
