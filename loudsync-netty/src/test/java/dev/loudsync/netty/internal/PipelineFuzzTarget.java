package dev.loudsync.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.SessionRegistry;
import dev.loudsync.testing.ManualTime;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Jazzer fuzz target for one connection's real pipeline ({@link ServerInitializer}: HTTP codec,
 * gate, router, WebSocket handshake and decoder, aggregator, {@link SessionBridge}) in an
 * {@link EmbeddedChannel}, with a session "ABC123" on {@link ManualTime}. The fuzzer sends an HTTP
 * upgrade (fixed, or its own bytes), then raw bytes, client frames (masked with a zero key) carrying
 * template or fuzzed payloads, close frames, and time steps. Checked: no exception reaches the end of
 * the pipeline, at most one close frame is sent, a connection that was sent a close frame is closed
 * once the close-reply timeout passed, and (by the suite's leak detector) no buffer leaks.
 *
 * <p>Choices are single bytes read from the end of the input; fuzzed byte strings from its front.
 * Regression mode (plain {@code ./mvnw verify}) replays
 * {@code src/test/resources/dev/loudsync/netty/internal/PipelineFuzzTargetInputs/connection/}. To fuzz for 60 s:
 *
 * <pre>JAZZER_FUZZ=1 ./mvnw -B -ntp -pl loudsync-netty -am test -Dtest=PipelineFuzzTarget -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class PipelineFuzzTarget {

    static final byte[] UPGRADE = ("GET / HTTP/1.1\r\nHost: localhost:8080\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private static final String[] PAYLOADS = {
        "{\"type\":\"JOIN\",\"payload\":{\"sessionId\":\"ABC123\",\"deviceId\":\"d1\",\"deviceName\":\"G\","
                + "\"capabilities\":[\"membersChanged\"]}}",
        "{\"type\":\"HEARTBEAT\",\"payload\":{\"deviceId\":\"d1\",\"latency\":45}}",
        "{\"type\":\"PING\",\"timestamp\":1}",
        "{\"type\":\"LEAVE\"}",
        "{\"type\":\"CHAT\",\"payload\":{}}",
        "{\"type\":\"JOIN\",\"payload\":{\"sessionId\":\"nope\",\"deviceId\":\"d2\",\"deviceName\":\"G\"}}",
        "{\"type\":",
    };

    static ServerRuntime.Settings settings(ManualTime time) {
        return new ServerRuntime.Settings(null, 0, "/", 65536, Duration.ofSeconds(10), Duration.ofSeconds(10),
                1000, 1000, List.of(), null, null, null, 1, false, time, Duration.ofSeconds(5), 20, 40, 1 << 20, 10,
                Duration.ofSeconds(1), null, null, 0, Long.MAX_VALUE);
    }

    @FuzzTest(maxDuration = "60s")
    void connection(FuzzedDataProvider data) {
        ManualTime time = new ManualTime();
        ServerRuntime.Settings s = settings(time);
        GuestDecoder decoder = new GuestDecoder(s.maxFrameBytes());
        WebSocketFrames frames = new WebSocketFrames(new HostEncoder());
        SessionRegistry registry = SessionRegistry.builder().timeSource(time).executors(time::executor)
                .broadcaster(new FrameBroadcaster(frames, time, ByteBufAllocator.DEFAULT)).build();
        registry.open(SessionConfig.builder().sessionId("ABC123").host("host-1", "Host").build());
        ServerContext context = new ServerContext(registry, time, decoder, frames,
                new JoinGuard(time, s.failedJoinBurst(), s.failedJoinRefill()),
                new ConnectionLimits(s.maxConnections(), s.maxConnectionsPerAddress()),
                new OriginPolicy(s.allowedOrigins()), s, new java.util.concurrent.atomic.AtomicBoolean());
        EmbeddedChannel ch = new EmbeddedChannel(
                new ServerInitializer(context, new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(ch, data.consumeInt(0, 3) != 0 ? UPGRADE : data.consumeBytes(data.consumeInt(0, 255)), out);
            for (int step = 0; step < 64 && data.remainingBytes() > 0 && ch.isOpen(); step++) {
                int kind = data.consumeInt(0, 5);
                if (kind == 0) {
                    write(ch, data.consumeBytes(data.consumeInt(0, 255)), out);
                } else if (kind <= 3) {
                    boolean fin = data.consumeInt(0, 3) != 0;
                    int opcode = data.consumeInt(0, 3) != 0 ? (kind == 3 ? 0 : 1) : data.consumeInt(0, 15);
                    int p = data.consumeInt(0, PAYLOADS.length);
                    byte[] payload = p < PAYLOADS.length ? PAYLOADS[p].getBytes(StandardCharsets.UTF_8)
                            : data.consumeBytes(data.consumeInt(0, 255));
                    write(ch, frame(fin, opcode, payload), out);
                } else if (kind == 4) {
                    long ms = data.consumeInt(0, 255) * 100L;
                    time.advance(Duration.ofMillis(ms));
                    ch.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
                    ch.runPendingTasks();
                    ch.checkException();
                    drain(ch, out);
                } else {
                    int code = data.consumeInt(0, 3) == 0 ? data.consumeInt(0, 255) * 20 : 1000;
                    write(ch, frame(true, 8, new byte[] {(byte) (code >> 8), (byte) code}), out);
                }
            }
            // Past the close-reply and force-close timeouts.
            time.advance(Duration.ofSeconds(5));
            ch.advanceTimeBy(5, TimeUnit.SECONDS);
            ch.runPendingTasks();
            ch.checkException();
            drain(ch, out);
            int closeFrames = closeFramesSent(out.toByteArray());
            assertThat(closeFrames).as("close frames sent").isLessThanOrEqualTo(1);
            if (closeFrames == 1) {
                assertThat(ch.isOpen()).as("open after a close frame").isFalse();
            }
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    static void write(EmbeddedChannel ch, byte[] bytes, ByteArrayOutputStream out) {
        if (ch.isOpen()) {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes)); // rethrows what reached the pipeline's end
            ch.runPendingTasks();
        }
        drain(ch, out);
    }

    static void drain(EmbeddedChannel ch, ByteArrayOutputStream out) {
        Object m;
        while ((m = ch.readOutbound()) != null) {
            if (m instanceof ByteBuf) {
                ByteBuf b = (ByteBuf) m;
                byte[] bytes = new byte[b.readableBytes()];
                b.getBytes(b.readerIndex(), bytes);
                out.writeBytes(bytes);
            }
            ReferenceCountUtil.release(m);
        }
        Object in;
        while ((in = ch.readInbound()) != null) {
            ReferenceCountUtil.release(in);
        }
    }

    /** A client frame, masked with a zero key. */
    static byte[] frame(boolean fin, int opcode, byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write((fin ? 0x80 : 0) | (opcode & 0x0F));
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else {
            f.write(0x80 | 126);
            f.write(payload.length >> 8);
            f.write(payload.length);
        }
        f.writeBytes(new byte[4]);
        f.writeBytes(payload);
        return f.toByteArray();
    }

    /** Counts close frames in the server's output after a 101 response; 0 without an upgrade. */
    private static int closeFramesSent(byte[] out) {
        return closeCodesSent(out).size();
    }

    /**
     * The status codes of the close frames in the server's output after a 101 response (1005 for a
     * close frame without one); none without an upgrade.
     */
    static List<Integer> closeCodesSent(byte[] out) {
        List<Integer> codes = new java.util.ArrayList<>();
        String head = new String(out, 0, Math.min(out.length, 16), StandardCharsets.ISO_8859_1);
        if (!head.startsWith("HTTP/1.1 101")) {
            return codes;
        }
        int i = 0;
        while (i + 3 < out.length && !(out[i] == '\r' && out[i + 1] == '\n' && out[i + 2] == '\r' && out[i + 3] == '\n')) {
            i++;
        }
        i += 4;
        while (i + 2 <= out.length) {
            int opcode = out[i] & 0x0F;
            long len = out[i + 1] & 0x7F;
            i += 2;
            if (len == 126) {
                len = ((out[i] & 0xFF) << 8) | (out[i + 1] & 0xFF);
                i += 2;
            } else if (len == 127) {
                len = 0;
                for (int k = 0; k < 8; k++) {
                    len = (len << 8) | (out[i + k] & 0xFF);
                }
                i += 8;
            }
            if (opcode == 8) {
                codes.add(len >= 2 && i + 1 < out.length ? ((out[i] & 0xFF) << 8) | (out[i + 1] & 0xFF) : 1005);
            }
            i += (int) len;
        }
        return codes;
    }
}
