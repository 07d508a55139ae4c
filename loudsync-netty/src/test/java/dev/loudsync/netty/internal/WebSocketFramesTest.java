package dev.loudsync.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.HostMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Pre-built frames must be exactly what Netty's own client-side decoder reads as one text frame. */
class WebSocketFramesTest {

    private final HostEncoder encoder = new HostEncoder();
    private final WebSocketFrames frames = new WebSocketFrames(encoder);

    @ParameterizedTest
    @ValueSource(ints = {0, 50, 60, 125, 126, 200, 65_000, 65_535, 65_536, 70_000, 300_000})
    void aTextFrameOfAnySize_decodesToTheSameJson(int textLength) {
        HostMessage message = new ApplicationMessage("BLOB", Map.of("d", "y".repeat(textLength)));
        String json = encoder.encodeToString(message, 77);
        ByteBuf frame = frames.textFrame(message, 77, ByteBufAllocator.DEFAULT);
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(false).maxFramePayloadLength(1 << 20).build()));
        try {
            assertThat(client.writeInbound(frame)).isTrue();
            TextWebSocketFrame decoded = client.readInbound();
            try {
                assertThat(decoded.isFinalFragment()).isTrue();
                assertThat(decoded.content().toString(StandardCharsets.UTF_8)).isEqualTo(json);
            } finally {
                decoded.release();
            }
            assertThat((Object) client.readInbound()).isNull();
        } finally {
            client.finishAndReleaseAll();
        }
    }
}
