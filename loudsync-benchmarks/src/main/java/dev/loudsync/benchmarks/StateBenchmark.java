package dev.loudsync.benchmarks;

import dev.loudsync.core.TimeSource;
import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.HostMessage;
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
 * Shared state (1.1) on the server's outbound path, through the {@link ServerOutbound} seam:
 *
 * <ul>
 *   <li>{@code patchFanOut} / {@code broadcastFanOut}: a {@code STATE_PATCH} to every member that
 *       keeps the state, against an application broadcast of the same payload, both through the
 *       server's broadcaster (encoded once, the same frame written to each channel), with
 *       {@code patchBytes} of payload to {@code recipients} channels sharing one event loop, set up
 *       as in {@code BroadcastBenchmark} (every frame read back and released inside the
 *       operation).</li>
 *   <li>{@code stateToNewcomer}: the {@code STATE} a newcomer gets after its {@code MEMBER_LIST},
 *       a whole state of {@code stateKiB}, sent to one connection: what every join of a
 *       state-keeping guest costs the session's thread. The same {@code State} instance each time,
 *       as the session hands out one per version.</li>
 * </ul>
 *
 * <p>Run (from the repository root):
 *
 * <pre>./mvnw -q -B -pl loudsync-benchmarks -am package -DskipTests &amp;&amp; java -jar loudsync-benchmarks/target/benchmarks.jar StateBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
        "-Dio.netty.leakDetection.level=disabled",
        NettyWorkerThreads.JMH_EXECUTOR, NettyWorkerThreads.JMH_EXECUTOR_CLASS})
public class StateBenchmark {

    private static final ThreadLocal<EmbeddedChannel> LOOP = ThreadLocal.withInitial(EmbeddedChannel::new);

    /** A JSON object of about {@code bytes} encoded: entries of a playlist. */
    static Map<String, Object> payloadOf(int bytes) {
        Map<String, Object> m = new LinkedHashMap<>();
        int i = 0;
        int size = 2;
        while (size < bytes) {
            Map<String, Object> track = new LinkedHashMap<>();
            track.put("title", "Track number " + i);
            track.put("artist", "Some band");
            track.put("seconds", 180 + i % 120);
            m.put("t" + i, track);
            size += 70 + String.valueOf(i).length() * 2;
            i++;
        }
        return m;
    }

    @State(Scope.Thread)
    public static class FanOut {
        @Param("1000")
        public int recipients;

        @Param({"100", "4096"})
        public int patchBytes;

        EmbeddedChannel loop;
        final List<EmbeddedChannel> channels = new ArrayList<>();
        final List<Connection> connections = new ArrayList<>();
        Broadcaster broadcaster;
        HostMessage.StatePatch patch;
        ApplicationMessage broadcast;
        long version;

        @Setup(Level.Trial)
        public void setUp() {
            NettyWorkerThreads.requireCurrent();
            loop = LOOP.get();
            ServerOutbound outbound = new ServerOutbound(TimeSource.system());
            broadcaster = outbound.broadcaster(ByteBufAllocator.DEFAULT);
            for (int i = 0; i < recipients; i++) {
                EmbeddedChannel ch = new EmbeddedChannel(false, false);
                ChannelFuture registered = loop.eventLoop().register(ch);
                if (!registered.isSuccess() || !ch.isActive()) {
                    throw new IllegalStateException("Channel " + i + " not registered", registered.cause());
                }
                channels.add(ch);
                connections.add(outbound.connection(ch));
            }
            Map<String, Object> payload = payloadOf(patchBytes);
            patch = new HostMessage.StatePatch(1, payload);
            broadcast = new ApplicationMessage("QUEUE", payload);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            for (EmbeddedChannel ch : channels) {
                ch.finishAndReleaseAll();
            }
            loop.runPendingTasks();
        }

        int drain() {
            loop.runPendingTasks();
            int frames = 0;
            for (int i = 0; i < channels.size(); i++) {
                ByteBuf frame;
                while ((frame = channels.get(i).readOutbound()) != null) {
                    frames++;
                    frame.release();
                }
            }
            if (frames != recipients) {
                throw new IllegalStateException(frames + " frames written to " + recipients + " recipients");
            }
            return frames;
        }
    }

    @Benchmark
    public int patchFanOut(FanOut f) {
        // a new version each time, as a session makes one per change
        f.broadcaster.broadcast(new HostMessage.StatePatch(++f.version, f.patch.patch()), f.connections);
        return f.drain();
    }

    @Benchmark
    public int broadcastFanOut(FanOut f) {
        f.broadcaster.broadcast(f.broadcast, f.connections);
        return f.drain();
    }

    @State(Scope.Thread)
    public static class Newcomer {
        @Param({"16", "256"})
        public int stateKiB;

        EmbeddedChannel channel;
        Connection connection;
        HostMessage.State state;

        @Setup(Level.Trial)
        public void setUp() {
            NettyWorkerThreads.requireCurrent();
            channel = new EmbeddedChannel(false, false);
            LOOP.get().eventLoop().register(channel);
            connection = new ServerOutbound(TimeSource.system()).connection(channel);
            state = new HostMessage.State(42, payloadOf(stateKiB * 1024 - 64));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            channel.finishAndReleaseAll();
        }
    }

    @Benchmark
    public int stateToNewcomer(Newcomer n) {
        n.connection.send(n.state);
        LOOP.get().runPendingTasks();
        ByteBuf frame = n.channel.readOutbound();
        int size = frame.readableBytes();
        frame.release();
        return size;
    }
}
