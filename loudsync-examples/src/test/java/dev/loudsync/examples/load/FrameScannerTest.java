package dev.loudsync.examples.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The load generator's frame reading: what it counts must match what a full JSON parser would see. */
class FrameScannerTest {

    private final FrameScanner scanner = FrameScanner.forThisThread();
    private final List<ByteBuf> frames = new ArrayList<>();

    /** A direct buffer, as the generator's frames are: the scanner copies it out first. */
    private ByteBuf frame(String json) {
        ByteBuf frame = Unpooled.directBuffer().writeBytes(json.getBytes(StandardCharsets.UTF_8));
        frames.add(frame);
        return frame;
    }

    @AfterEach
    void release() {
        frames.forEach(ByteBuf::release);
    }

    @Test
    void type_isTheTopLevelField_whateverItsPositionAndSpacing() {
        assertThat(scanner.type(frame("{\"type\":\"CHAT\",\"payload\":{}}"))).isEqualTo("CHAT");
        assertThat(scanner.type(frame("{ \"payload\" : {\"type\":\"inner\"} , \"type\" : \"PING\" }")))
                .isEqualTo("PING");
        assertThat(scanner.type(frame("{\"payload\":{\"type\":\"inner\"}}"))).isNull();
    }

    @Test
    void countPayloadArrays_countsTheObjectsOfTheTwoNamedArrays() {
        int[] counts = new int[2];
        scanner.countPayloadArrays(frame("{\"type\":\"MEMBERS_CHANGED\",\"payload\":{\"joined\":[{\"n\":\"a]}\"},"
                + "{\"n\":\"b\",\"x\":{\"y\":1}}],\"left\":[{\"deviceId\":\"c\"}],\"updated\":[{}]}}"),
                "joined", "left", counts);
        assertThat(counts).containsExactly(2, 1);
    }

    @Test
    void payloadText_isThePayloadsTextString_notAnotherLevelsText() {
        assertThat(scanner.payloadText(frame("{\"type\":\"CHAT\",\"payload\":{\"text\":\"3:12345\"}}")))
                .isEqualTo("3:12345");
        assertThat(scanner.payloadText(frame("{\"text\":\"top\",\"payload\":{\"from\":{\"text\":\"deep\"},"
                + " \"text\" : \"say \\\"hi\\\"\"}}"))).isEqualTo("say \\\"hi\\\"");
        assertThat(scanner.payloadText(frame("{\"type\":\"CHAT\",\"payload\":{\"text\":7}}"))).isNull();
        assertThat(scanner.payloadText(frame("{\"type\":\"CHAT\",\"payload\":{\"texts\":\"no\"}}"))).isNull();
    }
}
