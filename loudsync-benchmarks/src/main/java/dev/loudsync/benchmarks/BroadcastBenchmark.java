package dev.loudsync.benchmarks;

import dev.loudsync.core.TimeSource;
import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.transport.Broadcaster;
import dev.loudsync.core.transport.Connection;
import dev.loudsync.netty.internal.ServerOutbound;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One application message broadcast to every member, the way the server does it: the server's
 * broadcaster ({@link ServerOutbound#broadcaster}) encodes one WebSocket frame, and writes and
 * flushes it to the channel of each recipient ({@link ServerOutbound#connection}), one flush per
 * event loop turn.
 *
 * <p>Recipients are {@link EmbeddedChannel}s that all share one event loop, as a server's channels
 * share its few event loops: the broadcaster forms one group and the loop writer of the benchmark
 * thread serves it. (A plain {@code new EmbeddedChannel()} each, as in
 * {@code FrameBroadcasterTest}, would give every channel its own loop, one group per recipient.)
 * Each operation ends with every channel's frame read back and released, so the whole path ran
 * inside it and memory stays flat; it fails if a recipient got no frame. It runs on a Netty thread
 * ({@link NettyWorkerThreads}), as an event loop does, so Netty's per-thread object pools work as
 * in the server; Netty's leak detector is off.
 *
 * <p>An {@code EmbeddedChannel} runs its loop's pending tasks after each write and flush, so the
 * loop writer's end-of-turn flush runs after every write instead of once after all of them: the
 * same channel flushes, plus one task per recipient.
 *
 * <p>Run (from the repository root):
 *
 * <pre>./mvnw -q -B -pl loudsync-benchmarks -am package -DskipTests &amp;&amp; java -jar loudsync-benchmarks/target/benchmarks.jar -prof gc</pre>
 *
 * <p>and add {@code BroadcastBenchmark} to run only this one.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
        "-Dio.netty.leakDetection.level=disabled",
        NettyWorkerThreads.JMH_EXECUTOR, NettyWorkerThreads.JMH_EXECUTOR_CLASS})
public class BroadcastBenchmark {

    /**
     * The event loop of each benchmark thread, owned by a channel that carries no traffic. Per
     * thread and never replaced, like the loop writer a thread creates once and keeps: the writer
     * queues its flushes on the loop it first saw.
     */
    private static final ThreadLocal<EmbeddedChannel> LOOP = ThreadLocal.withInitial(EmbeddedChannel::new);

    @State(Scope.Thread)
    public static class Recipients {
        @Param({"100", "1000"})
        public int recipients;

        EmbeddedChannel loop;
        final List<EmbeddedChannel> channels = new ArrayList<>();
        final List<Connection> connections = new ArrayList<>();
        Broadcaster broadcaster;
        ApplicationMessage chat;

        @Setup(Level.Trial)
        public void setUp() {
            NettyWorkerThreads.requireCurrent();
            loop = LOOP.get();
            ServerOutbound outbound = new ServerOutbound(TimeSource.system());
            broadcaster = outbound.broadcaster(ByteBufAllocator.DEFAULT);
            for (int i = 0; i < recipients; i++) {
                EmbeddedChannel ch = new EmbeddedChannel(false, false); // registered with the shared loop below
                ChannelFuture registered = loop.eventLoop().register(ch);
                if (!registered.isSuccess() || !ch.isActive()) {
                    throw new IllegalStateException("Channel " + i + " not registered", registered.cause());
                }
                channels.add(ch);
                connections.add(outbound.connection(ch));
            }
            // As the example host relays a guest's chat line to everyone.
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("from", "device-456");
            payload.put("name", "Android");
            payload.put("text", "Who's up for another round? Loser picks the next song.");
            chat = new ApplicationMessage("CHAT", payload);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            for (EmbeddedChannel ch : channels) {
                ch.finishAndReleaseAll();
            }
            loop.runPendingTasks();
        }
    }

    @Benchmark
    public int broadcastChat(Recipients r) {
        r.broadcaster.broadcast(r.chat, r.connections);
        // The loop writer's flush queued after the last write.
        r.loop.runPendingTasks();
        int frames = 0;
        for (int i = 0; i < r.channels.size(); i++) {
            ByteBuf frame;
            while ((frame = r.channels.get(i).readOutbound()) != null) {
                frames++;
                frame.release();
            }
        }
        if (frames != r.recipients) {
            throw new IllegalStateException(frames + " frames written to " + r.recipients + " recipients");
        }
        return frames;
    }
}
