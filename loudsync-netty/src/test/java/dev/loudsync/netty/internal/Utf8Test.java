package dev.loudsync.netty.internal;

import static dev.loudsync.netty.internal.CodecTestSupport.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The strict UTF-8 check, against the JDK's decoder (which reports malformed input exactly so). */
class Utf8Test {

    private static boolean jdkAccepts(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void boundaries() {
        assertThat(Utf8.isValid(ByteBuffer.wrap(new byte[0]))).isTrue();
        assertThat(Utf8.isValid(ByteBuffer.wrap(bytes(0x00, 0x7F)))).isTrue();
        assertThat(Utf8.isValid(ByteBuffer.wrap(bytes(0xC2, 0x80)))).isTrue(); // U+0080
        assertThat(Utf8.isValid(ByteBuffer.wrap(bytes(0xDF, 0xBF)))).isTrue(); // U+07FF
        assertThat(Utf8.isValid(ByteBuffer.wrap(bytes(0xE0, 0xA0, 0x80)))).isTrue(); // U+0800
        assertThat(Utf8.isValid(ByteBuffer.wrap(bytes(0xED, 0x9F, 0xBF)))).isTrue(); // U+D7FF
        assertThat(Utf8.isValid(ByteBuffer.wrap(bytes(0xEE, 0x80, 0x80)))).isTrue(); // U+E000
        assertThat(Utf8.isValid(ByteBuffer.wrap(bytes(0xEF, 0xBF, 0xBF)))).isTrue(); // U+FFFF
        assertThat(Utf8.isValid(ByteBuffer.wrap(bytes(0xF0, 0x90, 0x80, 0x80)))).isTrue(); // U+10000
        assertThat(Utf8.isValid(ByteBuffer.wrap(bytes(0xF4, 0x8F, 0xBF, 0xBF)))).isTrue(); // U+10FFFF

        assertThat(Utf8.isValid(ByteBuffer.wrap(bytes(0xC1, 0xBF)))).isFalse(); // overlong
        assertThat(Utf8.isValid(ByteBuffer.wrap(bytes(0xE0, 0x9F, 0xBF)))).isFalse(); // overlong
        assertThat(Utf8.isValid(ByteBuffer.wrap(bytes(0xED, 0xA0, 0x80)))).isFalse(); // U+D800
        assertThat(Utf8.isValid(ByteBuffer.wrap(bytes(0xF0, 0x8F, 0xBF, 0xBF)))).isFalse(); // overlong
        assertThat(Utf8.isValid(ByteBuffer.wrap(bytes(0xF4, 0x90, 0x80, 0x80)))).isFalse(); // U+110000
        assertThat(Utf8.isValid(ByteBuffer.wrap(bytes(0xE2, 0x82)))).isFalse(); // truncated
        assertThat(Utf8.isValid(ByteBuffer.wrap(bytes(0xBF)))).isFalse(); // lone continuation
    }

    @Test
    void readsBetweenPositionAndLimitWithoutMovingThem() {
        ByteBuffer b = ByteBuffer.wrap(bytes(0xFF, 'a', 0xC3, 0xA9, 0xFF));
        b.position(1).limit(4);
        assertThat(Utf8.isValid(b)).isTrue();
        assertThat(b.position()).isEqualTo(1);
        assertThat(b.limit()).isEqualTo(4);
        ByteBuffer direct = ByteBuffer.allocateDirect(3).put(bytes('x', 0xC3, 0x28));
        direct.flip();
        assertThat(Utf8.isValid(direct)).isFalse();
    }

    @Test
    void agreesWithTheJdkOnRandomBytes() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        int[] interesting = {0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1,
            0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF, 'a'};
        for (int i = 0; i < 50_000; i++) {
            byte[] b = new byte[r.nextInt(9)];
            for (int k = 0; k < b.length; k++) {
                b[k] = (byte) (r.nextInt(3) == 0 ? r.nextInt(256) : interesting[r.nextInt(interesting.length)]);
            }
            assertThat(Utf8.isValid(ByteBuffer.wrap(b))).as("seed %d: %s", seed, Arrays.toString(b))
                    .isEqualTo(jdkAccepts(b));
        }
    }

    @Test
    void everyCodePointEncodedByTheJdkIsValid() {
        StringBuilder sb = new StringBuilder();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE) {
                sb.appendCodePoint(cp);
            }
        }
        assertThat(Utf8.isValid(ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8)))).isTrue();
    }
}
