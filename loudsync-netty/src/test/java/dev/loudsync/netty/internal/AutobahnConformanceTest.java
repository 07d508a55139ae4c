package dev.loudsync.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loudsync.core.SessionRegistry;
import dev.loudsync.core.TimeSource;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import me.normanmaurer.maven.autobahntestsuite.AutobahnTestSuite;
import org.junit.jupiter.api.Test;
import org.python.util.PythonInterpreter;

/**
 * Autobahn|Testsuite's fuzzing client against LoudSync's real pipeline (ServerInitializer's
 * configuration) with an echo in place of the session bridge, on 127.0.0.1. Cases 1-7 and 10:
 * framing, pings and pongs, reserved bits, opcodes, fragmentation, UTF-8, close handling and
 * auto-fragmentation. Every case must be OK, NON-STRICT or INFORMATIONAL, with a correct close.
 * Reports land in {@code target/autobahntestsuite-reports/}.
 */
class AutobahnConformanceTest {

    private static final Set<String> ACCEPTABLE = Set.of("OK", "NON-STRICT", "INFORMATIONAL");

    /** Echoes every data message back as it came: the suite's expectation of a server. */
    private static final class Echo extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
                ctx.writeAndFlush(frame.retainedDuplicate());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // the suite's protocol violations: the decoder has already answered them
        }
    }

    @Test
    void cases1To7And10_passAgainstThePipeline() throws Exception {
        // The suite's Twisted does "from io import BytesIO"; imported first from inside a package,
        // Jython resolves "io" to the Java package io (io.netty is on the class path). Importing
        // Python's io module once, from the top level with Jython's library on the path, puts the
        // right module in sys.modules for everyone after.
        Path jython = Path.of(PythonInterpreter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        System.setProperty("python.path", jython + "/Lib");
        System.setProperty("python.cachedir.skip", "true");
        try (PythonInterpreter p = new PythonInterpreter()) {
            p.exec("import io");
        }

        TimeSource time = TimeSource.system();
        ServerRuntime.Settings s = new ServerRuntime.Settings(null, 0, "/", 16 << 20, Duration.ofSeconds(10),
                Duration.ofSeconds(10), 1000, 1000, List.of(), null, null, null, 1, false, time, Duration.ofSeconds(5),
                1_000_000, 1_000_000, 64 << 20, 10, Duration.ofSeconds(1), null, null, 0, Long.MAX_VALUE);
        GuestDecoder decoder = new GuestDecoder(s.maxFrameBytes());
        WebSocketFrames frames = new WebSocketFrames(new HostEncoder());
        EventLoopGroup group = new NioEventLoopGroup(2);
        try {
            SessionRegistry registry = SessionRegistry.builder().timeSource(time)
                    .executors(() -> new EventLoopExecutor(group.next()))
                    .broadcaster(new FrameBroadcaster(frames, time, ByteBufAllocator.DEFAULT)).build();
            ServerContext context = new ServerContext(registry, time, decoder, frames,
                    new JoinGuard(time, s.failedJoinBurst(), s.failedJoinRefill()),
                    new ConnectionLimits(s.maxConnections(), s.maxConnectionsPerAddress()),
                    new OriginPolicy(s.allowedOrigins()), s, new java.util.concurrent.atomic.AtomicBoolean());
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ServerInitializer(context,
                            new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE), Echo::new))
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();

            long start = System.nanoTime();
            AutobahnTestSuite.runFuzzingClient("LoudSync", "ws://127.0.0.1:" + port, Map.of("version", 18),
                    List.of("1.*", "2.*", "3.*", "4.*", "5.*", "6.*", "7.*", "10.*"), List.of());
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

            // The suite's own summary: {agent: {case: {behavior, behaviorClose, ...}}}
            JsonNode index = new ObjectMapper().readTree(new File("target/autobahntestsuite-reports/index.json"))
                    .path("LoudSync");
            Map<String, Long> byBehavior = new TreeMap<>();
            List<String> bad = new ArrayList<>();
            index.fields().forEachRemaining(e -> {
                String behavior = e.getValue().path("behavior").asText();
                String close = e.getValue().path("behaviorClose").asText();
                byBehavior.merge(behavior, 1L, Long::sum);
                if (!ACCEPTABLE.contains(behavior) || !ACCEPTABLE.contains(close)) {
                    bad.add(e.getKey() + " " + behavior + "/" + close);
                }
            });
            System.out.println("Autobahn: " + index.size() + " cases in " + seconds + " s; " + byBehavior);
            assertThat(index.size()).isGreaterThan(200);
            assertThat(bad).as("cases that failed or closed wrongly").isEmpty();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
