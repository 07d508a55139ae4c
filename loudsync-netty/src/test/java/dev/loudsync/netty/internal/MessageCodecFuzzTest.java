package dev.loudsync.netty.internal;

import static dev.loudsync.netty.internal.CodecTestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.MemberStatus;
import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.protocol.MessageTypes;
import dev.loudsync.core.protocol.ProtocolRules;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Property tests: for random bytes and random mutations of valid messages, {@code decode} never
 * throws, returns either a message or a short, safe detail, agrees between buffer kinds, and accepts
 * nothing that a strict JSON parser rejects.
 *
 * <p>One test uses a fixed seed (reproducible), one a new seed per run (more coverage over time);
 * {@code -Dloudsync.fuzz.seed=N} replays a seed. Every assertion message carries the seed.
 */
class MessageCodecFuzzTest {

    private static final int RANDOM_INPUTS = 8_000;
    private static final int MUTATED_INPUTS = 16_000;

    private static final GuestDecoder CODEC = new GuestDecoder(64 * 1024);
    private static final HostEncoder ENCODER = new HostEncoder();

    /** Strict reference parser: duplicates and trailing tokens rejected. */
    private static final ObjectMapper ORACLE = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final String[] CORPUS = {
        "{\"type\":\"JOIN\",\"timestamp\":1738454400000,\"payload\":{\"sessionId\":\"A1B2C3\",\"deviceId\":\"device-456\","
                + "\"deviceName\":\"Android \\u00e9\",\"version\":\"1.0.0\",\"pin\":\"1234\",\"resumeToken\":\"t\","
                + "\"capabilities\":[\"membersChanged\"]}}",
        "{\"payload\":{\"sessionId\":\"s\",\"deviceId\":\"d\",\"deviceName\":\"Zo\u00eb \uD83D\uDCF1\"},\"type\":\"JOIN\"}",
        "{\"type\":\"LEAVE\",\"payload\":{\"reason\":\"bye\"}}",
        "{\"type\":\"HEARTBEAT\",\"timestamp\":5,\"payload\":{\"deviceId\":\"d-1\",\"latency\":45.300000000000004}}",
        "{\"type\":\"PING\",\"timestamp\":1738454400123}",
        "{\"type\":\"PONG\",\"payload\":{\"pingTimestamp\":1738454400000}}",
        "{\"type\":\"CHAT\",\"payload\":{\"text\":\"hi \\\"there\\\"\",\"n\":[1,2.5,-3e2,true,false,null],"
                + "\"o\":{\"a\":{\"b\":[{}]}}}}",
        "{\"timestamp\":1,\"payload\":{\"x\":[[[[1]]]]},\"type\":\"SCORE_UPDATE\",\"extra\":{\"k\":\"v\"}}",
    };

    private static final String[] TOKENS = {
        "{", "}", "[", "]", "\"", ",", ":", "null", "true", "1e400", "-0", "1.5", "9223372036854775808",
        "\"type\"", "\"payload\"", "\"timestamp\"", "\"JOIN\"", "\"WELCOME\"", "\\u0000", "\\ud800", "\\",
        "/*", " ", "\n", "{\"a\":1,\"a\":2}", "[[[[[[[[[[[[[[[[", "]]]]]]]]]]]]]]]]", "NaN", "'",
    };

    @Test
    void fixedSeed() {
        for (long seed : new long[] {42L}) {
            run(seed);
        }
    }

    @Test
    void randomSeed() {
        Long replay = Long.getLong("loudsync.fuzz.seed");
        run(replay != null ? replay : System.nanoTime() ^ System.identityHashCode(this));
    }

    private void run(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> corpus = corpus();
        int valid = 0;
        int invalid = 0;
        for (int i = 0; i < RANDOM_INPUTS + MUTATED_INPUTS; i++) {
            byte[] input = i < RANDOM_INPUTS ? randomBytes(random) : mutate(corpus.get(random.nextInt(corpus.size())), random);
            GuestDecoder.Decoded d = check(seed, i, input);
            if (d.isValid()) {
                valid++;
            } else {
                invalid++;
            }
        }
        // The generator must exercise both outcomes, or the property says little.
        assertThat(valid).as("valid results, seed %d", seed).isGreaterThan(500);
        assertThat(invalid).as("invalid results, seed %d", seed).isGreaterThan(5_000);
    }

    private GuestDecoder.Decoded check(long seed, int i, byte[] input) {
        String what = "seed " + seed + ", input #" + i + ": " + Arrays.toString(input);
        GuestDecoder.Decoded d;
        try {
            d = CodecTestSupport.decodeQuick(CODEC, input);
        } catch (AssertionError e) {
            throw new AssertionError(what + ": " + e.getMessage(), e);
        } catch (Throwable e) {
            return fail("decode threw for " + what, e);
        }
        assertThat(d).as(what).isNotNull();
        if (d.isValid()) {
            assertThat(d.message()).as(what).isNotNull();
            assertThat(d.detail()).as(what).isNull();
            // Nothing a strict parser rejects is accepted.
            JsonNode tree;
            try {
                tree = ORACLE.readTree(input);
            } catch (Exception e) {
                return fail("accepted, but a strict parser refuses: " + what, e);
            }
            assertThat(tree.isObject()).as(what).isTrue();
            assertThat(tree.get("type").asText()).as(what).isEqualTo(d.message().type());
            if (d.message() instanceof ApplicationMessage) {
                // Application payloads survive a round trip through the encoder.
                ApplicationMessage a = (ApplicationMessage) d.message();
                String encoded = ENCODER.encodeToString(a, 1L);
                assertThat(CodecTestSupport.decodeQuick(CODEC, utf8(encoded)).message()).as(what).isEqualTo(a);
            }
        } else {
            assertThat(d.message()).as(what).isNull();
            assertThat(d.detail()).as(what).isNotBlank().hasSizeLessThanOrEqualTo(80)
                    .doesNotContain("Exception", "jackson", "com.", "Source", "\n", "\r", "line:", "column:");
            if (d.type() != null) {
                assertThat(ProtocolRules.isTypeSyntax(d.type())).as(what).isTrue();
                assertThat(MessageTypes.isProtocolType(d.type()) || MessageTypes.isApplicationType(d.type()))
                        .as(what).isTrue();
            }
        }
        return d;
    }

    private static List<byte[]> corpus() {
        List<byte[]> corpus = new ArrayList<>();
        for (String s : CORPUS) {
            corpus.add(utf8(s));
        }
        // Host messages too: they exercise other shapes (and are refused as guest messages).
        Member m = new Member("d", "N\u00e4me \"q\"", Member.Role.CLIENT, MemberStatus.CONNECTED, 5, OptionalInt.of(4));
        for (HostMessage h : List.of(new HostMessage.MemberList(List.of(m, m.withName("x"))),
                new HostMessage.MemberLeft("d", LeaveReason.LEFT),
                new HostMessage.Error(ErrorCode.SESSION_FULL, "Session is full (8/8)", Map.of("n", 8)),
                new HostMessage.Pong(null, 9))) {
            corpus.add(utf8(ENCODER.encodeToString(h, 1738454400000L)));
        }
        return corpus;
    }

    private static byte[] randomBytes(SplittableRandom r) {
        int n = r.nextInt(64);
        byte[] b = new byte[n];
        boolean jsonish = r.nextBoolean();
        String alphabet = "{}[]\":, \t\n0123456789-+.eEtruefalsn\\/abcTYPEJOIN_";
        for (int i = 0; i < n; i++) {
            b[i] = jsonish ? (byte) alphabet.charAt(r.nextInt(alphabet.length())) : (byte) r.nextInt(256);
        }
        if (jsonish && n > 1 && r.nextBoolean()) {
            b[0] = '{';
            b[n - 1] = '}';
        }
        return b;
    }

    private static byte[] mutate(byte[] original, SplittableRandom r) {
        byte[] b = original.clone();
        int mutations = r.nextInt(4); // 0 keeps some inputs valid
        for (int k = 0; k < mutations; k++) {
            if (b.length == 0) {
                b = new byte[] {'{'};
            }
            int at = r.nextInt(b.length);
            switch (r.nextInt(8)) {
                case 0: // replace a byte
                    b[at] = (byte) r.nextInt(256);
                    break;
                case 1: // replace with a JSON-significant ASCII byte
                    b[at] = (byte) "{}[]\":,0\\ ".charAt(r.nextInt(10));
                    break;
                case 2: // delete a range
                    b = splice(b, at, Math.min(b.length, at + 1 + r.nextInt(8)), new byte[0]);
                    break;
                case 3: // insert a token
                    b = splice(b, at, at, TOKENS[r.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
                    break;
                case 4: // duplicate a range (duplicate keys, trailing data)
                    int end = Math.min(b.length, at + 1 + r.nextInt(40));
                    b = splice(b, end, end, Arrays.copyOfRange(b, at, end));
                    break;
                case 5: // truncate
                    b = Arrays.copyOf(b, at);
                    break;
                case 6: // flip the case of a letter (types)
                    if (Character.isLetter(b[at])) {
                        b[at] ^= 0x20;
                    }
                    break;
                default: // append something
                    b = splice(b, b.length, b.length, TOKENS[r.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
                    break;
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] insert) {
        byte[] out = new byte[b.length - (to - from) + insert.length];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(insert, 0, out, from, insert.length);
        System.arraycopy(b, to, out, from + insert.length, b.length - to);
        return out;
    }
}
