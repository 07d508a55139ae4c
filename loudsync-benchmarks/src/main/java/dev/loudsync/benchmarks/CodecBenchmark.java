package dev.loudsync.benchmarks;

import dev.loudsync.core.TimeSource;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.netty.internal.GuestDecoder;
import dev.loudsync.netty.internal.HostEncoder;
import dev.loudsync.netty.internal.ServerOutbound;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
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
 * The host's codec ({@link GuestDecoder}, {@link HostEncoder}): decoding the two frames a guest
 * sends most ({@code JOIN} once, {@code HEARTBEAT} every 5 s), and encoding the membership messages
 * the host sends.
 *
 * <p>Decoding reads a buffer allocated once: {@code direct} is what the server's WebSocket decoder
 * hands over (a buffer of the channel's allocator, direct by default), {@code heap} takes the
 * decoder's backing-array path. {@code decodeJoin} and {@code decodeHeartbeat} take the server's
 * path ({@link GuestDecoder#decodeText}: the pipeline has validated the UTF-8);
 * {@code decodeJoinBytes} is the same frame through {@link GuestDecoder#decode}, which validates it
 * itself. Encoding writes into {@link ByteBufAllocator#DEFAULT}, as the server does;
 * {@code textFrameMemberList} is the path a {@code MEMBER_LIST} really takes to a newcomer (a whole
 * WebSocket frame, header room in front, through {@link ServerOutbound#textFrame}). Every buffer produced is released in
 * the same operation. Benchmarks run on Netty threads ({@link NettyWorkerThreads}), as in the server,
 * with Netty's leak detector off.
 *
 * <p>Run (from the repository root):
 *
 * <pre>./mvnw -q -B -pl loudsync-benchmarks -am package -DskipTests &amp;&amp; java -jar loudsync-benchmarks/target/benchmarks.jar -prof gc</pre>
 *
 * <p>and add {@code CodecBenchmark} to run only these.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
        "-Dio.netty.leakDetection.level=disabled",
        NettyWorkerThreads.JMH_EXECUTOR, NettyWorkerThreads.JMH_EXECUTOR_CLASS})
public class CodecBenchmark {

    /** The server's default frame limit (64 KiB). */
    private static final int MAX_FRAME_BYTES = 65_536;

    /** The frames a guest sends, each in one buffer allocated once. */
    @State(Scope.Thread)
    public static class Incoming {
        @Param({"direct", "heap"})
        public String buffer;

        final GuestDecoder codec = new GuestDecoder(MAX_FRAME_BYTES);
        ByteBuf join;
        ByteBuf heartbeat;

        @Setup(Level.Trial)
        public void setUp() {
            NettyWorkerThreads.requireCurrent();
            join = frame(SampleData.JOIN_JSON);
            heartbeat = frame(SampleData.HEARTBEAT_JSON);
            // Measure the success path: fail at once if a frame does not decode.
            requireType(codec.decodeText(join), GuestMessage.Join.class);
            requireType(codec.decode(join), GuestMessage.Join.class);
            requireType(codec.decodeText(heartbeat), GuestMessage.Heartbeat.class);
        }

        private ByteBuf frame(String json) {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            ByteBuf buf;
            if ("direct".equals(buffer)) {
                buf = ByteBufAllocator.DEFAULT.directBuffer(bytes.length);
            } else if ("heap".equals(buffer)) {
                buf = ByteBufAllocator.DEFAULT.heapBuffer(bytes.length);
            } else {
                throw new IllegalArgumentException("buffer: " + buffer + " (expected: direct or heap)");
            }
            return buf.writeBytes(bytes);
        }

        private static void requireType(GuestDecoder.Decoded d, Class<? extends GuestMessage> type) {
            if (!type.isInstance(d.message())) {
                throw new IllegalStateException("Expected a " + type.getSimpleName() + ", decoded " + d);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            join.release();
            heartbeat.release();
        }
    }

    /** A {@code MEMBER_JOINED} of one member. */
    @State(Scope.Thread)
    public static class Joined {
        final HostEncoder codec = new HostEncoder();
        final HostMessage message = new HostMessage.MemberJoined(SampleData.guest(456));

        @Setup(Level.Trial)
        public void setUp() {
            NettyWorkerThreads.requireCurrent();
        }
    }

    /** A {@code MEMBER_LIST} of {@code members} entries, host included. */
    @State(Scope.Thread)
    public static class MemberList {
        @Param({"10", "1000"})
        public int members;

        final HostEncoder codec = new HostEncoder();
        final ServerOutbound frames = new ServerOutbound(TimeSource.system());
        HostMessage message;

        @Setup(Level.Trial)
        public void setUp() {
            NettyWorkerThreads.requireCurrent();
            message = new HostMessage.MemberList(SampleData.memberList(members));
        }
    }

    @Benchmark
    public GuestDecoder.Decoded decodeJoin(Incoming in) {
        // decode leaves the indices alone; resetting them anyway keeps every call on the whole frame.
        in.join.readerIndex(0);
        return in.codec.decodeText(in.join);
    }

    @Benchmark
    public GuestDecoder.Decoded decodeJoinBytes(Incoming in) {
        in.join.readerIndex(0);
        return in.codec.decode(in.join);
    }

    @Benchmark
    public GuestDecoder.Decoded decodeHeartbeat(Incoming in) {
        in.heartbeat.readerIndex(0);
        return in.codec.decodeText(in.heartbeat);
    }

    @Benchmark
    public int encodeMemberJoined(Joined s) {
        return encodeAndRelease(s.codec, s.message);
    }

    @Benchmark
    public int encodeMemberList(MemberList s) {
        return encodeAndRelease(s.codec, s.message);
    }

    @Benchmark
    public int textFrameMemberList(MemberList s) {
        ByteBuf frame = s.frames.textFrame(s.message, SampleData.CREATED_AT, ByteBufAllocator.DEFAULT);
        try {
            return frame.readableBytes();
        } finally {
            frame.release();
        }
    }

    private static int encodeAndRelease(HostEncoder codec, HostMessage message) {
        ByteBuf buf = codec.encode(message, SampleData.CREATED_AT, ByteBufAllocator.DEFAULT);
        try {
            return buf.readableBytes();
        } finally {
            buf.release();
        }
    }
}
