package dev.loudsync.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.loudsync.core.protocol.MessageTypes;
import dev.loudsync.core.protocol.ProtocolRules;

/**
 * Jazzer fuzz target for {@link GuestDecoder#decode}: any bytes give a valid message or an invalid
 * result with a short, safe detail; never an exception; the same result from a heap, a direct and a
 * composite buffer, whose indices and reference counts stay untouched (all are released); nothing
 * a strict JSON parser refuses is accepted.
 *
 * <p>Under a plain {@code ./mvnw verify} this runs in regression mode: the empty input and every file
 * in {@code src/test/resources/dev/loudsync/netty/internal/MessageCodecFuzzTargetInputs/decode/}
 * (a finding saved by the fuzzer lands there too). To fuzz (coverage-guided, 60 s):
 *
 * <pre>JAZZER_FUZZ=1 ./mvnw -B -ntp -pl loudsync-netty -am test -Dtest=MessageCodecFuzzTarget -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * <p>The generated corpus goes to {@code loudsync-netty/.cifuzz-corpus/} (not committed).
 */
class MessageCodecFuzzTarget {

    private static final GuestDecoder CODEC = new GuestDecoder(65536);

    /** Strict reference parser: duplicates and trailing tokens rejected. */
    private static final ObjectMapper ORACLE = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    @FuzzTest(maxDuration = "60s")
    void decode(byte[] input) {
        // Three kinds of buffer, same result, indices and refCnt unchanged, all released.
        GuestDecoder.Decoded d = CodecTestSupport.decode(CODEC, input);
        assertThat(d).isNotNull();
        if (d.isValid()) {
            assertThat(d.detail()).isNull();
            JsonNode tree;
            try {
                tree = ORACLE.readTree(input);
            } catch (Exception e) {
                throw new AssertionError("accepted, but a strict parser refuses it", e);
            }
            assertThat(tree.isObject()).as("accepted a non-object").isTrue();
            assertThat(tree.get("type").asText()).isEqualTo(d.message().type());
        } else {
            assertThat(d.message()).isNull();
            assertThat(d.detail()).isNotBlank().hasSizeLessThanOrEqualTo(80)
                    .doesNotContain("Exception", "jackson", "com.", "Source", "\n", "\r", "line:", "column:");
            if (d.type() != null) {
                assertThat(ProtocolRules.isTypeSyntax(d.type())).as("type syntax of %s", d.type()).isTrue();
                assertThat(MessageTypes.isProtocolType(d.type()) || MessageTypes.isApplicationType(d.type()))
                        .isTrue();
            }
        }
    }
}
