package dev.loudsync.benchmarks;

import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.SessionRegistry;
import dev.loudsync.netty.internal.ServerInbound;
import dev.loudsync.testing.ManualTime;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The frame a member sends most, a plain {@code HEARTBEAT}, from the channel to the core: the
 * the session bridge takes the text frame, checks the rate limit, decodes it and hands it to the
 * member's connection handler, which takes it on the spot (no task for the session). This is the
 * per-frame inbound path of a server with many members.
 *
 * <p>The member joined once, in the set-up, over an {@code EmbeddedChannel} whose pipeline holds
 * the bridge (and the HTTP handlers the bridge removes when the upgrade completes). Time is a
 * {@link ManualTime} that stands still, so the rate limit is set out of reach rather than refilled.
 * Each operation wraps a retained duplicate of one encoded frame, as the WebSocket decoder hands a
 * frame over, and the bridge releases it. Runs on a Netty thread ({@link NettyWorkerThreads}), with
 * Netty's leak detector off.
 *
 * <p>Run (from the repository root):
 *
 * <pre>./mvnw -q -B -pl loudsync-benchmarks -am package -DskipTests &amp;&amp; java -jar loudsync-benchmarks/target/benchmarks.jar -prof gc</pre>
 *
 * <p>and add {@code InboundBenchmark} to run only this one.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
        "-Dio.netty.leakDetection.level=disabled",
        NettyWorkerThreads.JMH_EXECUTOR, NettyWorkerThreads.JMH_EXECUTOR_CLASS})
public class InboundBenchmark {

    private static final String HEARTBEAT = "{\"type\":\"HEARTBEAT\",\"payload\":{\"deviceId\":\"d-42\"}}";

    @State(Scope.Thread)
    public static class Member {
        EmbeddedChannel channel;
        ChannelPipeline pipeline;
        ByteBuf heartbeat;

        @Setup(Level.Trial)
        public void setUp() {
            NettyWorkerThreads.requireCurrent();
            ManualTime time = new ManualTime();
            SessionRegistry registry = SessionRegistry.builder().timeSource(time).executors(time::executor).build();
            registry.open(SessionConfig.builder().sessionId("K7M2QX").host("host-1", "Host").latencyProbes(false)
                    .build());
            channel = new EmbeddedChannel(ServerInbound.handlers(registry, time));
            pipeline = channel.pipeline();
            pipeline.fireUserEventTriggered(
                    new WebSocketServerProtocolHandler.HandshakeComplete("/", new DefaultHttpHeaders(), null));
            channel.writeInbound(new TextWebSocketFrame("{\"type\":\"JOIN\",\"payload\":{\"sessionId\":\"K7M2QX\","
                    + "\"deviceId\":\"d-42\",\"deviceName\":\"Phone\"}}"));
            channel.runPendingTasks();
            String answer = drainOutbound();
            if (!answer.contains("\"WELCOME\"")) {
                throw new IllegalStateException("The member did not join: " + answer);
            }
            byte[] bytes = HEARTBEAT.getBytes(StandardCharsets.UTF_8);
            heartbeat = ByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
        }

        private String drainOutbound() {
            StringBuilder sb = new StringBuilder();
            Object o;
            while ((o = channel.readOutbound()) != null) {
                if (o instanceof ByteBuf) {
                    sb.append(((ByteBuf) o).toString(StandardCharsets.UTF_8));
                }
                ReferenceCountUtil.release(o);
            }
            return sb.toString();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            // Every heartbeat was taken silently: anything written back means the path measured was another.
            String written = drainOutbound();
            heartbeat.release();
            channel.finishAndReleaseAll();
            if (!written.isEmpty()) {
                throw new IllegalStateException("Heartbeats were answered: " + written);
            }
        }
    }

    @Benchmark
    public void heartbeat(Member m) {
        m.pipeline.fireChannelRead(new TextWebSocketFrame(m.heartbeat.retainedDuplicate()));
    }
}
