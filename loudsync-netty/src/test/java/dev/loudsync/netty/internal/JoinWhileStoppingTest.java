package dev.loudsync.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.SessionRegistry;
import dev.loudsync.testing.ManualTime;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A JOIN that arrives while the server stops is told the server goes away (1001), and does not
 * count as a guess against its address: guests of a host that is shutting down are not brute
 * forcers, and must not see 4003.
 */
class JoinWhileStoppingTest {

    private final ManualTime time = new ManualTime();
    private final ServerRuntime.Settings settings = PipelineFuzzTarget.settings(time); // 10 failed joins, 1 per s
    private final GuestDecoder decoder = new GuestDecoder(settings.maxFrameBytes());
    private final WebSocketFrames frames = new WebSocketFrames(new HostEncoder());
    private final JoinGuard guard = new JoinGuard(time, settings.failedJoinBurst(), settings.failedJoinRefill());
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final SessionRegistry registry = SessionRegistry.builder().timeSource(time).executors(time::executor)
            .broadcaster(new FrameBroadcaster(frames, time, ByteBufAllocator.DEFAULT))
            .onJoinRefused(guard.countingUnless(stopping)).build();
    private final ServerContext context = new ServerContext(registry, time, decoder, frames, guard,
            new ConnectionLimits(1000, 1000), new OriginPolicy(settings.allowedOrigins()), settings, stopping);

    @Test
    void joinsDuringAStop_closeWith1001_andAreNotCountedAsGuesses() {
        registry.open(SessionConfig.builder().sessionId("ABC123").host("host-1", "Host").build());
        stopping.set(true);
        for (int i = 0; i < 30; i++) {
            assertThat(closeCodeAfterJoin(i % 2 == 0 ? "ABC123" : "NOPE00")).isEqualTo(1001);
        }
        assertThat(guard.allows("embedded")).isTrue();
        assertThat(registry.find("ABC123").orElseThrow().members()).hasSize(1); // the host alone
    }

    @Test
    void wrongCodesOutsideAStop_stillRunIntoTheGuard() {
        int refusals = 0;
        int code;
        while ((code = closeCodeAfterJoin("NOPE00")) == 4500) {
            refusals++;
        }
        assertThat(code).isEqualTo(4003);
        assertThat(refusals).isEqualTo(settings.failedJoinBurst());
    }

    /** Opens a connection, sends one JOIN, and returns the code of the close frame the server sent. */
    private int closeCodeAfterJoin(String sessionId) {
        EmbeddedChannel ch = new EmbeddedChannel(
                new ServerInitializer(context, new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE)));
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PipelineFuzzTarget.write(ch, PipelineFuzzTarget.UPGRADE, out);
            String join = "{\"type\":\"JOIN\",\"payload\":{\"sessionId\":\"" + sessionId
                    + "\",\"deviceId\":\"d1\",\"deviceName\":\"G\"}}";
            PipelineFuzzTarget.write(ch, PipelineFuzzTarget.frame(true, 1, join.getBytes(StandardCharsets.UTF_8)), out);
            ch.runPendingTasks();
            PipelineFuzzTarget.drain(ch, out);
            return PipelineFuzzTarget.closeCodesSent(out.toByteArray()).stream().findFirst().orElse(-1);
        } finally {
            ch.finishAndReleaseAll();
        }
    }
}
