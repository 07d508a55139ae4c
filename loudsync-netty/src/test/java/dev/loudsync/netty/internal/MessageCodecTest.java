package dev.loudsync.netty.internal;

import static dev.loudsync.netty.internal.CodecTestSupport.bytes;
import static dev.loudsync.netty.internal.CodecTestSupport.concat;
import static dev.loudsync.netty.internal.CodecTestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.MessageTypes;
import dev.loudsync.netty.internal.GuestDecoder.Decoded;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Decoding guest frames: every guest type, and every strictness rule of PROTOCOL.md. */
class MessageCodecTest {

    private static final GuestDecoder CODEC = new GuestDecoder(64 * 1024);

    private static Decoded decode(String json) {
        return CodecTestSupport.decode(CODEC, json);
    }

    private static Decoded decode(byte[] json) {
        return CodecTestSupport.decode(CODEC, json);
    }

    /** JSON with single quotes for readability: {@code q("{'a':1}")} is {@code {"a":1}}. */
    private static String q(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private static GuestMessage valid(String json) {
        Decoded d = decode(json);
        assertThat(d.detail()).as("detail of %s", json).isNull();
        assertThat(d.isValid()).isTrue();
        assertThat(d.type()).isEqualTo(d.message().type());
        return d.message();
    }

    private static void assertInvalid(String json, String type, String detail) {
        assertInvalid(utf8(json), type, detail);
    }

    private static void assertInvalid(byte[] json, String type, String detail) {
        Decoded d = decode(json);
        assertThat(d.isValid()).as("valid: %s", new String(json, StandardCharsets.UTF_8)).isFalse();
        assertThat(d.message()).isNull();
        assertThat(d).isEqualTo(Decoded.invalid(type, detail));
    }

    @Nested
    class GuestTypes {

        @Test
        void joinWithEveryField() {
            GuestMessage m = valid(q("{'type':'JOIN','timestamp':1738454400000,'payload':{"
                    + "'sessionId':'A1B2C3','deviceId':'device-456','deviceName':'Android',"
                    + "'version':'1.0.0','pin':'1234','resumeToken':'tok-1',"
                    + "'capabilities':['membersChanged','future']}}"));
            assertThat(m).isEqualTo(new GuestMessage.Join("A1B2C3", "device-456", "Android", "1.0.0",
                    "1234", "tok-1", Set.of("membersChanged", "future")));
        }

        @Test
        void joinOfAnOldClient() {
            GuestMessage m = valid(q("{'type':'JOIN','timestamp':1,'payload':{'sessionId':'a1b-2c3',"
                    + "'deviceId':'d','deviceName':'Phone','version':'1.2.0'}}"));
            assertThat(m).isEqualTo(new GuestMessage.Join("a1b-2c3", "d", "Phone", "1.2.0", null, null,
                    Set.of()));
        }

        @ParameterizedTest
        @ValueSource(strings = {"{'type':'JOIN'}", "{'type':'JOIN','payload':null}",
            "{'type':'JOIN','payload':{}}",
            "{'type':'JOIN','payload':{'sessionId':null,'deviceId':null,'deviceName':null,"
                    + "'version':null,'pin':null,'resumeToken':null,'capabilities':null}}"})
        void joinMissingFieldsAreNullForTheSessionToJudge(String json) {
            assertThat(valid(q(json)))
                    .isEqualTo(new GuestMessage.Join(null, null, null, null, null, null, Set.of()));
        }

        @Test
        void joinEmptyStringsArePassedOn() {
            assertThat(valid(q("{'type':'JOIN','payload':{'sessionId':'','deviceId':'','deviceName':''}}")))
                    .isEqualTo(new GuestMessage.Join("", "", "", null, null, null, Set.of()));
        }

        @Test
        void joinCapabilities() {
            assertThat(((GuestMessage.Join) valid(q("{'type':'JOIN','payload':{'capabilities':[]}}")))
                    .capabilities()).isEmpty();
            assertThat(((GuestMessage.Join) valid(
                    q("{'type':'JOIN','payload':{'capabilities':['membersChanged','membersChanged','x']}}")))
                    .capabilities()).containsExactlyInAnyOrder("membersChanged", "x");
        }

        @Test
        void joinUnicodeAndEscapes() {
            GuestMessage.Join j = (GuestMessage.Join) valid(
                    "{\"type\":\"JOIN\",\"payload\":{\"deviceName\":\"Zo\\u00eb \uD83D\uDCF1 \\\"q\\\" \\\\ \\/\"}}");
            assertThat(j.deviceName()).isEqualTo("Zo\u00eb \uD83D\uDCF1 \"q\" \\ /");
        }

        @Test
        void leave() {
            assertThat(valid(q("{'type':'LEAVE','payload':{'reason':'bye'}}")))
                    .isEqualTo(new GuestMessage.Leave("bye"));
            assertThat(valid(q("{'type':'LEAVE'}"))).isEqualTo(new GuestMessage.Leave(null));
            assertThat(valid(q("{'type':'LEAVE','payload':{'reason':null}}")))
                    .isEqualTo(new GuestMessage.Leave(null));
        }

        @Test
        void heartbeat() {
            assertThat(valid(q("{'type':'HEARTBEAT','timestamp':5,'payload':{'deviceId':'d-1'}}")))
                    .isEqualTo(new GuestMessage.Heartbeat("d-1", null));
            assertThat(valid(q("{'type':'HEARTBEAT','payload':{'deviceId':'d-1','latency':45}}")))
                    .isEqualTo(new GuestMessage.Heartbeat("d-1", 45L));
            assertThat(valid(q("{'type':'HEARTBEAT','payload':{'deviceId':'d-1','latency':null}}")))
                    .isEqualTo(new GuestMessage.Heartbeat("d-1", null));
            assertThat(valid(q("{'type':'HEARTBEAT'}"))).isEqualTo(new GuestMessage.Heartbeat(null, null));
            assertThat(valid(q("{'type':'HEARTBEAT','payload':{'latency':9007199254740993}}")))
                    .isEqualTo(new GuestMessage.Heartbeat(null, 9007199254740993L));
            assertThat(valid(q("{'type':'HEARTBEAT','payload':{'latency':-9223372036854775808}}")))
                    .isEqualTo(new GuestMessage.Heartbeat(null, Long.MIN_VALUE));
        }

        @ParameterizedTest(name = "latency {0} -> {1}")
        @CsvSource({"45.300000000000004, 45", "45.5, 46", "45.49, 45", "-0.4, 0", "-0.5, 0", "-0.6, -1",
            "1e3, 1000", "1.5E1, 15", "0.0, 0", "-0, 0", "2.5e-7, 0", "9.2e18, 9200000000000000000"})
        void heartbeatLatencyFloatsAreRoundedToTheNearestLong(String literal, long expected) {
            assertThat(valid("{\"type\":\"HEARTBEAT\",\"payload\":{\"latency\":" + literal + "}}"))
                    .isEqualTo(new GuestMessage.Heartbeat(null, expected));
        }

        @Test
        void pingTakesTheEnvelopeTimestamp() {
            assertThat(valid(q("{'type':'PING','timestamp':1738454400123}")))
                    .isEqualTo(new GuestMessage.Ping(1738454400123L));
            assertThat(valid(q("{'type':'PING'}"))).isEqualTo(new GuestMessage.Ping(null));
            assertThat(valid(q("{'type':'PING','timestamp':null,'payload':{}}")))
                    .isEqualTo(new GuestMessage.Ping(null));
            assertThat(valid(q("{'payload':{'timestamp':7},'timestamp':-5,'type':'PING'}")))
                    .isEqualTo(new GuestMessage.Ping(-5L));
            assertThat(valid(q("{'type':'PING','timestamp':9223372036854775807}")))
                    .isEqualTo(new GuestMessage.Ping(Long.MAX_VALUE));
        }

        @Test
        void pong() {
            assertThat(valid(q("{'type':'PONG','payload':{'pingTimestamp':1738454400000}}")))
                    .isEqualTo(new GuestMessage.Pong(1738454400000L));
            assertThat(valid(q("{'type':'PONG','payload':{'pingTimestamp':1738454400000.6}}")))
                    .isEqualTo(new GuestMessage.Pong(1738454400001L));
            assertThat(valid(q("{'type':'PONG'}"))).isEqualTo(new GuestMessage.Pong(null));
            assertThat(valid(q("{'type':'PONG','payload':{'pingTimestamp':null}}")))
                    .isEqualTo(new GuestMessage.Pong(null));
        }

        @Test
        void applicationMessageWithPlainJavaValues() {
            GuestMessage m = valid(q("{'type':'CHAT','timestamp':3,'payload':{'text':'hi','n':1,"
                    + "'big':3000000000,'huge':1180591620717411303424,'f':1.5,'e':1e2,'t':true,'no':false,"
                    + "'nil':null,'list':[1,'two',[],{}],'obj':{'z':{'y':[null]}}}}"));
            assertThat(m).isInstanceOf(ApplicationMessage.class);
            ApplicationMessage a = (ApplicationMessage) m;
            assertThat(a.type()).isEqualTo("CHAT");
            Map<String, Object> expected = new LinkedHashMap<>();
            expected.put("text", "hi");
            expected.put("n", 1);
            expected.put("big", 3000000000L);
            expected.put("huge", BigInteger.TWO.pow(70));
            expected.put("f", 1.5d);
            expected.put("e", 100.0d);
            expected.put("t", true);
            expected.put("no", false);
            expected.put("nil", null);
            expected.put("list", Arrays.asList(1, "two", List.of(), Map.of()));
            expected.put("obj", Map.of("z", Map.of("y", Arrays.asList((Object) null))));
            assertThat(a.payload()).isEqualTo(expected);
            assertThat(a.payload()).containsKey("nil");
            // Exact Java types, and insertion order.
            assertThat(a.payload().get("n")).isExactlyInstanceOf(Integer.class);
            assertThat(a.payload().get("big")).isExactlyInstanceOf(Long.class);
            assertThat(a.payload().get("huge")).isExactlyInstanceOf(BigInteger.class);
            assertThat(a.payload().get("f")).isExactlyInstanceOf(Double.class);
            assertThat(a.payload().get("e")).isExactlyInstanceOf(Double.class);
            assertThat(a.payload().keySet()).containsExactly("text", "n", "big", "huge", "f", "e", "t", "no",
                    "nil", "list", "obj");
        }

        @Test
        void applicationPayloadIsUnmodifiable() {
            ApplicationMessage a = (ApplicationMessage) valid(q("{'type':'CHAT','payload':{'l':[1],'o':{}}}"));
            assertThatThrownBy(() -> a.payload().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
            @SuppressWarnings("unchecked")
            List<Object> l = (List<Object>) a.payload().get("l");
            assertThatThrownBy(() -> l.add(2)).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void applicationMessageWithoutPayload() {
            assertThat(valid(q("{'type':'READY'}"))).isEqualTo(new ApplicationMessage("READY", Map.of()));
            assertThat(valid(q("{'type':'READY','payload':null}")))
                    .isEqualTo(new ApplicationMessage("READY", Map.of()));
        }

        @ParameterizedTest
        @ValueSource(strings = {"A", "A1", "X_", "SCORE_UPDATE_2", "JOINED", "PINGS", "ERRORS"})
        void applicationTypes(String type) {
            assertThat(valid("{\"type\":\"" + type + "\"}")).isEqualTo(new ApplicationMessage(type, Map.of()));
        }

        @Test
        void applicationTypeOfSixtyFourCharacters() {
            String type = "T".repeat(64);
            assertThat(valid("{\"type\":\"" + type + "\"}")).isEqualTo(new ApplicationMessage(type, Map.of()));
        }

        @Test
        void whitespaceAroundTheObject() {
            assertThat(valid(" \t\r\n{ \"type\" : \"PING\" , \"timestamp\" : 1 }\r\n "))
                    .isEqualTo(new GuestMessage.Ping(1L));
        }
    }

    @Nested
    class FieldOrderAndUnknownFields {

        static Stream<Arguments> everyGuestType() {
            return Stream.of(
                    Arguments.of("JOIN", "{'sessionId':'s','deviceId':'d','deviceName':'n','capabilities':['x']}",
                            new GuestMessage.Join("s", "d", "n", null, null, null, Set.of("x"))),
                    Arguments.of("LEAVE", "{'reason':'r'}", new GuestMessage.Leave("r")),
                    Arguments.of("HEARTBEAT", "{'deviceId':'d','latency':45.300000000000004}",
                            new GuestMessage.Heartbeat("d", 45L)),
                    Arguments.of("PING", "{}", new GuestMessage.Ping(99L)),
                    Arguments.of("PONG", "{'pingTimestamp':12.5}", new GuestMessage.Pong(13L)),
                    Arguments.of("CHAT", "{'a':[1,2.5,'x',null,true],'b':{'c':{}}}",
                            new ApplicationMessage("CHAT", Map.of("a", Arrays.asList(1, 2.5, "x", null, true),
                                    "b", Map.of("c", Map.of())))));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("everyGuestType")
        void anyOrderOfTheEnvelopeFields(String type, String payload, GuestMessage expected) {
            List<String> fields = List.of("'type':'" + type + "'", "'timestamp':99", "'payload':" + payload);
            for (List<String> order : permutations(fields)) {
                String json = q("{" + String.join(",", order) + "}");
                assertThat(valid(json)).as(json).isEqualTo(expected);
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("everyGuestType")
        void unknownFieldsAreIgnoredEverywhere(String type, String payload, GuestMessage expected) {
            String extra = "'zz':{'type':'WELCOME','payload':[1,{'deviceId':5}],'n':null},'version2':'x'";
            String innerPayload = payload.equals("{}") ? "{" + extra + "}"
                    : payload.substring(0, payload.length() - 1) + "," + extra + "}";
            String json = q("{'extra':[{'a':1}],'type':'" + type + "','timestamp':99,'payload':"
                    + innerPayload + "," + extra + "}");
            if (type.equals("CHAT")) {
                // An application payload keeps every field: unknown to the codec, known to the app.
                assertThat(((ApplicationMessage) valid(json)).payload()).containsKeys("a", "b", "zz", "version2");
            } else {
                assertThat(valid(json)).isEqualTo(expected);
            }
        }

        @Test
        void unknownTopLevelFieldsWithAnyValue() {
            assertThat(valid(q("{'v':1,'type':'PING','w':'s','x':[],'y':{},'z':null,'t':true,'f':-1.5e-3}")))
                    .isEqualTo(new GuestMessage.Ping(null));
        }

        @Test
        void sameNameInDifferentObjectsIsNotADuplicate() {
            assertThat(valid(q("{'type':'CHAT','payload':{'a':{'type':1},'b':{'type':2},'c':[{'a':1},{'a':2}]}}")))
                    .isInstanceOf(ApplicationMessage.class);
            assertThat(valid(q("{'type':'JOIN','payload':{'deviceId':'d','x':{'deviceId':5}}}")))
                    .isEqualTo(new GuestMessage.Join(null, "d", null, null, null, null, Set.of()));
        }

        private List<List<String>> permutations(List<String> items) {
            if (items.size() <= 1) {
                return List.of(items);
            }
            List<List<String>> out = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                List<String> rest = new ArrayList<>(items);
                String head = rest.remove(i);
                for (List<String> p : permutations(rest)) {
                    List<String> l = new ArrayList<>();
                    l.add(head);
                    l.addAll(p);
                    out.add(l);
                }
            }
            return out;
        }
    }

    @Nested
    class WellFormedness {

        @Test
        void emptyInput() {
            assertInvalid(new byte[0], null, GuestDecoder.EMPTY);
            assertInvalid(" \r\n\t", null, GuestDecoder.EMPTY);
        }

        @ParameterizedTest
        @ValueSource(strings = {"null", "[]", "[{'type':'PING'}]", "'PING'", "42", "-1.5", "true", "false"})
        void notAnObject(String json) {
            assertInvalid(q(json), null, GuestDecoder.NOT_AN_OBJECT);
        }

        @ParameterizedTest
        @ValueSource(strings = {"{", "{\"type\"", "{\"type\":", "{\"type\":\"PI", "}", "]", "x", "nul",
            "{'type':'PING'}", "{type:\"PING\"}", "/*c*/{\"type\":\"PING\"}", "// c\n{\"type\":\"PING\"}",
            "# c\n{\"type\":\"PING\"}", "{,\"type\":\"PING\"}", "{\"type\" \"PING\"}",
            "{\"a\":NaN,\"type\":\"PING\"}", "{\"a\":01,\"type\":\"PING\"}", "{\"a\":+1,\"type\":\"PING\"}",
            "{\"a\":.5,\"type\":\"PING\"}", "{\"a\":5.,\"type\":\"PING\"}", "{\"a\":[1,],\"type\":\"PING\"}",
            "{\"a\":[,1],\"type\":\"PING\"}", "{\"a\":\"x\ty\",\"type\":\"PING\"}", "{\"a\":\"\\x\",\"type\":\"PING\"}",
            "{\"a\":\"\\u12\",\"type\":\"PING\"}", "{\"a\":tru,\"type\":\"PING\"}", "{\"a\":Infinity,\"type\":\"PING\"}",
            "{\"a\":-Infinity}", "{\"a\":1e}", "{\"a\":0x10}", "{\"a\":\"\n\"}", "{\"a\":\"\u0000\"}",
            "{\"a\":1 2}", "{\"a\"::1}"})
        void malformedBeforeTheTypeWasRead(String json) {
            assertInvalid(json, null, GuestDecoder.MALFORMED);
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"type\":\"PING\"", "{\"type\":\"PING\",", "{\"type\":\"PING\",}",
            "{\"type\":\"PING\",\"a\":NaN}", "{\"type\":\"PING\",\"a\":'x'}", "{\"type\":\"PING\",a:1}",
            "{\"type\":\"PING\"/* c */}", "{\"type\":\"PING\",\"payload\":{\"a\":}}",
            "{\"type\":\"PING\",\"payload\":{\"a\":[1,2}}", "{\"type\":\"PING\",\"a\":\"\\u00\"}",
            "{\"type\":\"PING\",\"a\":\"tab\there\"}", "{\"type\":\"PING\",\"a\":1.}",
            "{\"type\":\"PING\"\"a\":1}", "{\"type\":\"PING\",\"a\":\"\n\"}"})
        void malformedAfterTheTypeWasRead(String json) {
            assertInvalid(json, "PING", GuestDecoder.MALFORMED);
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"type\":\"PING\"} x", "{\"type\":\"PING\"}{}", "{\"type\":\"PING\"}{\"type\":\"PING\"}",
            "{\"type\":\"PING\"}]", "{\"type\":\"PING\"}}", "{\"type\":\"PING\"} 1", "{\"type\":\"PING\"} \"x\"",
            "{\"type\":\"PING\"} null", "{\"type\":\"PING\"},", "{\"type\":\"PING\"}\n[]", "{\"type\":\"PING\"} {"})
        void trailingData(String json) {
            assertInvalid(json, "PING", GuestDecoder.TRAILING);
        }

        @Test
        void trailingDataWithoutType() {
            assertInvalid("{}{}", null, GuestDecoder.TRAILING);
            assertInvalid("{\"type\":\"join\"} x", null, GuestDecoder.TRAILING);
        }

        @Test
        void trailingWhitespaceIsFine() {
            assertThat(valid("{\"type\":\"PING\"} \n\t\r ")).isEqualTo(new GuestMessage.Ping(null));
        }

        @Test
        void duplicatesAtTheTopLevel() {
            assertInvalid(q("{'type':'PING','type':'PING'}"), "PING", "Duplicate field 'type'");
            assertInvalid(q("{'type':'PING','type':'CHAT'}"), "PING", "Duplicate field 'type'");
            assertInvalid(q("{'type':'PING','timestamp':1,'timestamp':1}"), "PING", "Duplicate field 'timestamp'");
            assertInvalid(q("{'type':'PING','payload':{},'payload':{}}"), "PING", "Duplicate field 'payload'");
            assertInvalid(q("{'x':1,'x':1,'type':'PING'}"), null, "Duplicate field 'x'");
            assertInvalid(q("{'type':'PING','x':null,'x':null}"), "PING", "Duplicate field 'x'");
        }

        @Test
        void duplicatesNested() {
            assertInvalid(q("{'type':'JOIN','payload':{'deviceId':'a','deviceId':'b'}}"), "JOIN",
                    "Duplicate field 'deviceId'");
            assertInvalid(q("{'type':'CHAT','payload':{'a':{'b':1,'b':2}}}"), "CHAT", "Duplicate field 'b'");
            assertInvalid(q("{'type':'CHAT','payload':{'a':[{'c':1},{'d':1,'d':1}]}}"), "CHAT",
                    "Duplicate field 'd'");
            // Inside fields the codec otherwise ignores.
            assertInvalid(q("{'type':'PING','x':{'y':{'z':1,'z':2}}}"), "PING", "Duplicate field 'z'");
            assertInvalid(q("{'type':'HEARTBEAT','payload':{'x':[{'k':1,'k':2}]}}"), "HEARTBEAT",
                    "Duplicate field 'k'");
            // In a payload buffered because it came before the type.
            assertInvalid(q("{'payload':{'deviceId':'a','deviceId':'a'},'type':'JOIN'}"), null,
                    "Duplicate field 'deviceId'");
        }

        @Test
        void aDuplicateNameIsQuotedShortAndPrintable() {
            String name = "n\u0001" + "x".repeat(100);
            String json = "{\"type\":\"PING\",\"" + name.replace("\u0001", "\\u0001") + "\":1,\""
                    + name.replace("\u0001", "\\u0001") + "\":2}";
            assertInvalid(json, "PING", "Duplicate field 'n?" + "x".repeat(30) + "...'");
        }

        @Test
        void aTypeIsReportedWhenItWasReadBeforeTheError() {
            assertInvalid(q("{'type':'JOIN','payload':{'deviceId':'a'}} x"), "JOIN", GuestDecoder.TRAILING);
            assertInvalid(q("{'type':'WELCOME'} x"), "WELCOME", GuestDecoder.TRAILING);
        }
    }

    @Nested
    class Depth {

        private String arrays(int levels) {
            return "[".repeat(levels) + "]".repeat(levels);
        }

        private String objects(int levels) {
            return "{\"a\":".repeat(levels) + "0" + "}".repeat(levels);
        }

        /*
         * Depth = the number of objects and arrays enclosing the innermost value; the envelope is 1.
         * A value of n levels in a top-level field reaches 1 + n; in the payload object, 2 + n.
         */

        @Test
        void sixteenLevelsInATopLevelField() {
            assertThat(valid("{\"type\":\"PING\",\"x\":" + arrays(15) + "}")).isEqualTo(new GuestMessage.Ping(null));
            assertThat(valid("{\"type\":\"PING\",\"x\":" + objects(15) + "}")).isEqualTo(new GuestMessage.Ping(null));
            assertThat(valid("{\"x\":" + arrays(15) + ",\"type\":\"PING\"}")).isEqualTo(new GuestMessage.Ping(null));
        }

        @Test
        void seventeenLevelsInATopLevelField() {
            assertInvalid("{\"type\":\"PING\",\"x\":" + arrays(16) + "}", "PING", GuestDecoder.TOO_DEEP);
            assertInvalid("{\"type\":\"PING\",\"x\":" + objects(16) + "}", "PING", GuestDecoder.TOO_DEEP);
            assertInvalid("{\"x\":" + arrays(16) + ",\"type\":\"PING\"}", null, GuestDecoder.TOO_DEEP);
        }

        @Test
        void sixteenLevelsInAnApplicationPayload() {
            ApplicationMessage a = (ApplicationMessage) valid(
                    "{\"type\":\"CHAT\",\"payload\":{\"a\":" + arrays(14) + ",\"o\":" + objects(14) + "}}");
            Object v = a.payload().get("a");
            int levels = 0;
            while (v instanceof List && !((List<?>) v).isEmpty()) {
                v = ((List<?>) v).get(0);
                levels++;
            }
            assertThat(levels).isEqualTo(13); // the innermost list is empty
            assertThat(valid("{\"payload\":{\"a\":" + arrays(14) + "},\"type\":\"CHAT\"}"))
                    .isInstanceOf(ApplicationMessage.class);
        }

        @Test
        void seventeenLevelsInAnApplicationPayload() {
            assertInvalid("{\"type\":\"CHAT\",\"payload\":{\"a\":" + arrays(15) + "}}", "CHAT", GuestDecoder.TOO_DEEP);
            assertInvalid("{\"type\":\"CHAT\",\"payload\":{\"a\":" + objects(15) + "}}", "CHAT", GuestDecoder.TOO_DEEP);
            assertInvalid("{\"payload\":{\"a\":" + arrays(15) + "},\"type\":\"CHAT\"}", null, GuestDecoder.TOO_DEEP);
        }

        @Test
        void protocolPayloadsToo() {
            assertThat(valid("{\"type\":\"JOIN\",\"payload\":{\"x\":" + arrays(14) + "}}"))
                    .isInstanceOf(GuestMessage.Join.class);
            assertInvalid("{\"type\":\"JOIN\",\"payload\":{\"x\":" + arrays(15) + "}}", "JOIN", GuestDecoder.TOO_DEEP);
            assertInvalid("{\"type\":\"JOIN\",\"payload\":{\"capabilities\":" + arrays(15) + "}}", "JOIN",
                    GuestDecoder.TOO_DEEP);
        }

        @Test
        void farTooDeep() {
            assertInvalid("{\"type\":\"PING\",\"x\":" + arrays(100_000) + "}", "PING", GuestDecoder.TOO_DEEP);
            assertInvalid("[".repeat(100_000), null, GuestDecoder.NOT_AN_OBJECT);
            assertInvalid("{\"a\":".repeat(100_000), null, GuestDecoder.TOO_DEEP);
        }
    }

    @Nested
    class StringLength {

        private final GuestDecoder small = new GuestDecoder(64);
        private final String tooLong = "String longer than 64 characters";

        private Decoded decodeSmall(String json) {
            return CodecTestSupport.decode(small, json);
        }

        @Test
        void limitIsTheFrameLimitInCharacters() {
            String s64 = "s".repeat(64);
            String s65 = "s".repeat(65);
            assertThat(decodeSmall("{\"type\":\"CHAT\",\"payload\":{\"t\":\"" + s64 + "\"}}").message())
                    .isEqualTo(new ApplicationMessage("CHAT", Map.of("t", s64)));
            assertThat(decodeSmall("{\"type\":\"CHAT\",\"payload\":{\"t\":\"" + s65 + "\"}}"))
                    .isEqualTo(Decoded.invalid("CHAT", tooLong));
            // Multi-byte characters count once; a supplementary character counts twice (UTF-16).
            String e64 = "\u00e9".repeat(64);
            assertThat(decodeSmall("{\"type\":\"JOIN\",\"payload\":{\"deviceName\":\"" + e64 + "\"}}").isValid())
                    .isTrue();
            assertThat(decodeSmall("{\"type\":\"JOIN\",\"payload\":{\"deviceName\":\"" + "\uD83D\uDE00".repeat(33)
                    + "\"}}")).isEqualTo(Decoded.invalid("JOIN", tooLong));
        }

        @Test
        void escapesCountAfterUnescaping() {
            String esc64 = "\\u0041".repeat(64);
            String esc65 = "\\u0041".repeat(65);
            assertThat(decodeSmall("{\"type\":\"JOIN\",\"payload\":{\"deviceName\":\"" + esc64 + "\"}}").message())
                    .isEqualTo(new GuestMessage.Join(null, null, "A".repeat(64), null, null, null, Set.of()));
            assertThat(decodeSmall("{\"type\":\"JOIN\",\"payload\":{\"deviceName\":\"" + esc65 + "\"}}"))
                    .isEqualTo(Decoded.invalid("JOIN", tooLong));
        }

        @Test
        void everywhere() {
            String s65 = "s".repeat(65);
            // Ignored fields, field names, the type, buffered payloads, arrays.
            assertThat(decodeSmall("{\"type\":\"PING\",\"x\":\"" + s65 + "\"}"))
                    .isEqualTo(Decoded.invalid("PING", tooLong));
            assertThat(decodeSmall("{\"type\":\"PING\",\"x\":[[\"" + s65 + "\"]]}"))
                    .isEqualTo(Decoded.invalid("PING", tooLong));
            assertThat(decodeSmall("{\"type\":\"PING\",\"" + s65 + "\":1}"))
                    .isEqualTo(Decoded.invalid("PING", tooLong));
            assertThat(decodeSmall("{\"type\":\"CHAT\",\"payload\":{\"" + s65 + "\":1}}"))
                    .isEqualTo(Decoded.invalid("CHAT", tooLong));
            assertThat(decodeSmall("{\"type\":\"" + "A".repeat(65) + "\"}"))
                    .isEqualTo(Decoded.invalid(null, tooLong));
            assertThat(decodeSmall("{\"payload\":{\"x\":\"" + s65 + "\"},\"type\":\"PING\"}"))
                    .isEqualTo(Decoded.invalid("PING", tooLong));
            assertThat(decodeSmall("{\"payload\":{\"x\":\"" + s65 + "\"},\"type\":\"WELCOME\"}"))
                    .isEqualTo(Decoded.invalid("WELCOME", tooLong));
            assertThat(decodeSmall("{\"type\":\"JOIN\",\"payload\":{\"capabilities\":[\"" + s65 + "\"]}}"))
                    .isEqualTo(Decoded.invalid("JOIN", tooLong));
            assertThat(decodeSmall("{\"type\":\"HEARTBEAT\",\"payload\":{\"deviceId\":\"" + s65 + "\"}}"))
                    .isEqualTo(Decoded.invalid("HEARTBEAT", tooLong));
        }

        @Test
        void numbersInIgnoredFieldsAreNotJudged() {
            // Measured (a buffer longer than the limit) or skipped, an ignored value is only checked
            // for well-formedness: an infinity there is no error.
            String json = "{\"type\":\"PING\",\"x\":[1e400,{\"y\":-1e400}],\"payload\":{\"z\":[1e400]}}";
            assertThat(decodeSmall(json)).isEqualTo(Decoded.of(new GuestMessage.Ping(null)));
            assertThat(decode(json)).isEqualTo(Decoded.of(new GuestMessage.Ping(null)));
        }

        @Test
        void numbersAreNotStrings() {
            // Number text is bounded by the number length limit, not by the string limit.
            String digits = "1".repeat(100);
            assertThat(decodeSmall("{\"payload\":{\"n\":" + digits + ".5},\"type\":\"CHAT\"}").isValid()).isTrue();
            assertThat(decodeSmall("{\"type\":\"CHAT\",\"payload\":{\"n\":" + digits + "}}").isValid()).isTrue();
        }

        @Test
        void defaultFrameLimit() {
            GuestDecoder codec = new GuestDecoder(65536);
            String ok = "{\"type\":\"CHAT\",\"payload\":{\"t\":\"" + "x".repeat(65536) + "\"}}";
            String tooLongJson = "{\"type\":\"CHAT\",\"payload\":{\"t\":\"" + "x".repeat(65537) + "\"}}";
            assertThat(CodecTestSupport.decode(codec, ok).isValid()).isTrue();
            assertThat(CodecTestSupport.decode(codec, tooLongJson))
                    .isEqualTo(Decoded.invalid("CHAT", "String longer than 65536 characters"));
        }

        @Test
        void numberLengthIsBoundedToo() {
            assertInvalid("{\"type\":\"CHAT\",\"payload\":{\"n\":" + "9".repeat(1001) + "}}", "CHAT",
                    GuestDecoder.NUMBER_TOO_LONG);
            assertThat(valid("{\"type\":\"CHAT\",\"payload\":{\"n\":" + "9".repeat(1000) + "}}"))
                    .isInstanceOf(ApplicationMessage.class);
        }

        @Test
        void frameLimitMustBePositive() {
            assertThatThrownBy(() -> new GuestDecoder(0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Utf8 {

        private byte[] inString(int... bad) {
            return concat(utf8("{\"type\":\"PING\",\"x\":\"a"), bytes(bad), utf8("b\"}"));
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = ';', value = {
            "lone continuation; 80", "invalid byte; FF", "invalid byte; FE", "C3 then ASCII; C3 28",
            "overlong slash; C0 AF", "overlong 2-byte; C1 BF", "overlong 3-byte; E0 80 80",
            "UTF-16 surrogate; ED A0 80", "low surrogate; ED BF BF", "overlong 4-byte; F0 80 80 80",
            "above U+10FFFF; F4 90 80 80", "F5 start; F5 80 80 80", "truncated 3-byte; E2 82",
            "truncated 4-byte; F0 9F 98"})
        void invalidUtf8InAString(String what, String hex) {
            assertInvalid(inString(hex(hex)), null, GuestDecoder.INVALID_UTF8);
        }

        @Test
        void invalidUtf8Elsewhere() {
            assertInvalid(concat(utf8("{\"type\":\"PING\"}"), bytes(0xC3)), null, GuestDecoder.INVALID_UTF8);
            assertInvalid(bytes(0xFF, 0xFE, '{', 0, '}', 0), null, GuestDecoder.INVALID_UTF8);
            assertInvalid(concat(utf8("{\"type\":\"PING\",\""), bytes(0xE9), utf8("\":1}")), null,
                    GuestDecoder.INVALID_UTF8);
        }

        @Test
        void validMultiByteSequences() {
            byte[] json = inString(0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80, 0xF4, 0x8F, 0xBF, 0xBF);
            assertThat(decode(json)).isEqualTo(Decoded.of(new GuestMessage.Ping(null)));
            ApplicationMessage a = (ApplicationMessage) valid("{\"type\":\"CHAT\",\"payload\":{\"t\":\"\u00e9\u20ac\uD83D\uDE00\"}}");
            assertThat(a.payload().get("t")).isEqualTo("\u00e9\u20ac\uD83D\uDE00");
        }

        @Test
        void otherEncodingsAreRefused() {
            String json = "{\"type\":\"PING\"}";
            // A byte order mark, UTF-16 and UTF-32 (which Jackson would otherwise auto-detect).
            assertInvalid(concat(bytes(0xEF, 0xBB, 0xBF), utf8(json)), null, GuestDecoder.MALFORMED);
            assertInvalid(json.getBytes(StandardCharsets.UTF_16BE), null, GuestDecoder.MALFORMED);
            assertInvalid(json.getBytes(StandardCharsets.UTF_16LE), null, GuestDecoder.MALFORMED);
            assertInvalid(json.getBytes(StandardCharsets.UTF_16), null, GuestDecoder.INVALID_UTF8);
            assertInvalid(json.getBytes(java.nio.charset.Charset.forName("UTF-32LE")), null, GuestDecoder.MALFORMED);
            assertInvalid(json.getBytes(java.nio.charset.Charset.forName("UTF-32BE")), null, GuestDecoder.MALFORMED);
            assertInvalid(concat(utf8(" "), json.getBytes(StandardCharsets.UTF_16LE)), null, GuestDecoder.MALFORMED);
        }

        @Test
        void nulBytes() {
            assertInvalid(bytes(0), null, GuestDecoder.MALFORMED);
            assertInvalid(concat(utf8("{\"type\":\"PING\"}"), bytes(0)), "PING", GuestDecoder.TRAILING);
            assertInvalid(concat(utf8("{\"type\":\"PING\",\"x\":\""), bytes(0), utf8("\"}")), "PING",
                    GuestDecoder.MALFORMED);
        }

        private int[] hex(String hex) {
            return Arrays.stream(hex.trim().split(" ")).mapToInt(h -> Integer.parseInt(h, 16)).toArray();
        }
    }

    @Nested
    class EnvelopeFields {

        @Test
        void missingType() {
            assertInvalid("{}", null, GuestDecoder.MISSING_TYPE);
            assertInvalid(q("{'timestamp':1,'payload':{'deviceId':'d'}}"), null, GuestDecoder.MISSING_TYPE);
            assertInvalid(q("{'payload':{'type':'PING'}}"), null, GuestDecoder.MISSING_TYPE);
        }

        @ParameterizedTest
        @ValueSource(strings = {"null", "5", "1.5", "true", "false", "{}", "['PING']", "{'type':'PING'}"})
        void typeNotAString(String value) {
            assertInvalid(q("{'type':" + value + "}"), null, GuestDecoder.TYPE_NOT_STRING);
            assertInvalid(q("{'payload':{},'type':" + value + ",'timestamp':1}"), null, GuestDecoder.TYPE_NOT_STRING);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "join", "Join", "jOIN", "ping", "chat", "1ABC", "_A", "A-B", "A B", " PING",
            "PING ", "\u00c4BC", "A\\u0000", "CHAT!", "\\u0050ING2\\u00e9"})
        void typeNotUpperCase(String type) {
            assertInvalid("{\"type\":\"" + type + "\"}", null, GuestDecoder.TYPE_SYNTAX);
        }

        @Test
        void typeLongerThanSixtyFour() {
            assertInvalid("{\"type\":\"" + "T".repeat(65) + "\"}", null, GuestDecoder.TYPE_SYNTAX);
        }

        @Test
        void escapedUpperCaseTypeIsJustAString() {
            assertThat(valid("{\"type\":\"\\u0050ING\"}")).isEqualTo(new GuestMessage.Ping(null));
        }

        @ParameterizedTest
        @ValueSource(strings = {MessageTypes.WELCOME, MessageTypes.MEMBER_LIST, MessageTypes.MEMBER_JOINED,
            MessageTypes.MEMBER_LEFT, MessageTypes.MEMBER_UPDATED, MessageTypes.KICKED, MessageTypes.SESSION_CLOSED,
            MessageTypes.ERROR, MessageTypes.JOIN_PENDING, MessageTypes.MEMBERS_CHANGED})
        void hostOnlyTypesFromAGuest(String type) {
            String detail = "Type " + type + " is not sent by guests";
            assertInvalid("{\"type\":\"" + type + "\"}", type, detail);
            assertInvalid("{\"type\":\"" + type + "\",\"payload\":{\"members\":[]}}", type, detail);
            assertInvalid("{\"payload\":{\"x\":[1]},\"type\":\"" + type + "\",\"timestamp\":\"bad\"}", type, detail);
        }

        @ParameterizedTest
        @ValueSource(strings = {"'1738454400000'", "''", "true", "{}", "[1]", "'abc'"})
        void timestampNotANumber(String value) {
            assertInvalid(q("{'type':'PING','timestamp':" + value + "}"), "PING",
                    "Field 'timestamp' must be a number");
            assertInvalid(q("{'timestamp':" + value + ",'type':'JOIN','payload':{}}"), "JOIN",
                    "Field 'timestamp' must be a number");
        }

        @ParameterizedTest
        @CsvSource({"1.5, 2", "1738454400000.4, 1738454400000", "1e3, 1000", "-0.0, 0", "1.7e12, 1700000000000"})
        void fractionalTimestamp_isRoundedToTheNearestMillisecond(String value, long expected) {
            GuestDecoder.Decoded d = decode("{\"type\":\"PING\",\"timestamp\":" + value + "}");
            assertThat(d.isValid()).as(d.toString()).isTrue();
            assertThat(d.message()).isEqualTo(new GuestMessage.Ping(expected));
        }

        @ParameterizedTest
        @ValueSource(strings = {"9223372036854775808", "-9223372036854775809", "100000000000000000000000"})
        void timestampOutOfRange(String value) {
            assertInvalid("{\"type\":\"PING\",\"timestamp\":" + value + "}", "PING", "Field 'timestamp' is out of range");
        }

        @ParameterizedTest
        @ValueSource(strings = {"[]", "[{}]", "'x'", "''", "1", "0.5", "true", "false"})
        void payloadNotAnObject(String value) {
            assertInvalid(q("{'type':'JOIN','payload':" + value + "}"), "JOIN", GuestDecoder.PAYLOAD_NOT_OBJECT);
            assertInvalid(q("{'payload':" + value + ",'type':'CHAT'}"), "CHAT", GuestDecoder.PAYLOAD_NOT_OBJECT);
            assertInvalid(q("{'type':'PING','payload':" + value + "}"), "PING", GuestDecoder.PAYLOAD_NOT_OBJECT);
        }
    }

    @Nested
    class PayloadFields {

        @ParameterizedTest(name = "{0} = {1}")
        @CsvSource(delimiter = ';', value = {"sessionId; 5", "deviceId; 123", "deviceName; true", "version; 1.0",
            "pin; 1234", "resumeToken; {}", "deviceId; []", "deviceName; ['n']", "sessionId; false"})
        void joinStringFieldsMustBeStrings(String field, String value) {
            assertInvalid(q("{'type':'JOIN','payload':{'" + field + "':" + value + "}}"), "JOIN",
                    "Field '" + field + "' must be a string");
            assertInvalid(q("{'payload':{'zz':'d','" + field + "':" + value + "},'type':'JOIN'}"), "JOIN",
                    "Field '" + field + "' must be a string");
        }

        @ParameterizedTest
        @ValueSource(strings = {"'membersChanged'", "1", "true", "{}", "[1]", "['a',null]", "[['a']]",
            "['a',{}]", "[false]"})
        void capabilitiesMustBeAnArrayOfStrings(String value) {
            assertInvalid(q("{'type':'JOIN','payload':{'capabilities':" + value + "}}"), "JOIN",
                    GuestDecoder.CAPABILITIES_SHAPE);
        }

        @Test
        void theFirstWrongPayloadFieldIsReported() {
            assertInvalid(q("{'type':'JOIN','payload':{'deviceName':1,'deviceId':2}}"), "JOIN",
                    "Field 'deviceName' must be a string");
            assertInvalid(q("{'type':'JOIN','payload':{'deviceId':2,'deviceName':1}}"), "JOIN",
                    "Field 'deviceId' must be a string");
        }

        @Test
        void leaveReasonMustBeAString() {
            assertInvalid(q("{'type':'LEAVE','payload':{'reason':5}}"), "LEAVE", "Field 'reason' must be a string");
        }

        @ParameterizedTest
        @ValueSource(strings = {"'45'", "''", "true", "{}", "[45]"})
        void heartbeatLatencyMustBeANumber(String value) {
            assertInvalid(q("{'type':'HEARTBEAT','payload':{'deviceId':'d','latency':" + value + "}}"), "HEARTBEAT",
                    "Field 'latency' must be a number");
        }

        @ParameterizedTest
        @ValueSource(strings = {"5", "true", "{}", "['d']"})
        void heartbeatDeviceIdMustBeAString(String value) {
            assertInvalid(q("{'type':'HEARTBEAT','payload':{'deviceId':" + value + ",'latency':3}}"), "HEARTBEAT",
                    "Field 'deviceId' must be a string");
        }

        @ParameterizedTest
        @ValueSource(strings = {"9223372036854775808", "1e19", "-1e19", "9.3e18", "1e400", "-1e400",
            "123456789012345678901234567890"})
        void latencyOutOfRange(String value) {
            assertInvalid("{\"type\":\"HEARTBEAT\",\"payload\":{\"latency\":" + value + "}}", "HEARTBEAT",
                    "Field 'latency' is out of range");
        }

        @ParameterizedTest
        @ValueSource(strings = {"'1738454400000'", "true", "{}", "[]"})
        void pongPingTimestampMustBeANumber(String value) {
            assertInvalid(q("{'type':'PONG','payload':{'pingTimestamp':" + value + "}}"), "PONG",
                    "Field 'pingTimestamp' must be a number");
        }

        @Test
        void pongPingTimestampOutOfRange() {
            assertInvalid("{\"type\":\"PONG\",\"payload\":{\"pingTimestamp\":1e30}}", "PONG",
                    "Field 'pingTimestamp' is out of range");
        }

        @Test
        void applicationFloatBeyondDoubleRange() {
            assertInvalid(q("{'type':'CHAT','payload':{'x':[1e400]}}"), "CHAT", GuestDecoder.NUMBER_OUT_OF_RANGE);
            assertInvalid(q("{'payload':{'x':-1e400},'type':'CHAT'}"), "CHAT", GuestDecoder.NUMBER_OUT_OF_RANGE);
            // Underflow is not an error: the nearest double is 0.
            assertThat(((ApplicationMessage) valid(q("{'type':'CHAT','payload':{'x':1e-400}}"))).payload())
                    .isEqualTo(Map.of("x", 0.0d));
        }
    }

    @Nested
    class Precedence {

        @Test
        void wellFormednessBeforeType() {
            assertInvalid(q("{'type':'join','timestamp':'x'} x"), null, GuestDecoder.TRAILING);
            assertInvalid(q("{'type':'WELCOME','a':1,'a':2}"), "WELCOME", "Duplicate field 'a'");
        }

        @Test
        void typeBeforeTimestampBeforePayload() {
            assertInvalid(q("{'payload':{'deviceId':5},'timestamp':'x','type':'join'}"), null,
                    GuestDecoder.TYPE_SYNTAX);
            assertInvalid(q("{'payload':{'deviceId':5},'timestamp':'x'}"), null, GuestDecoder.MISSING_TYPE);
            assertInvalid(q("{'payload':{'deviceId':5},'timestamp':'x','type':'JOIN'}"), "JOIN",
                    "Field 'timestamp' must be a number");
            assertInvalid(q("{'type':'JOIN','payload':{'deviceId':5},'timestamp':'x'}"), "JOIN",
                    "Field 'timestamp' must be a number");
            assertInvalid(q("{'type':'JOIN','payload':[],'timestamp':'x'}"), "JOIN",
                    "Field 'timestamp' must be a number");
        }
    }

    @Nested
    class Results {

        @Test
        void decodedIsEitherAMessageOrADetail() {
            assertThatThrownBy(() -> new Decoded(null, null, null, null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new Decoded(new GuestMessage.Ping(null), "PING", null, "x"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new Decoded(new GuestMessage.Ping(null), "PONG", null, null))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new Decoded(new GuestMessage.Approve("d", "r-1"), "APPROVE", "r-2", null))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(Decoded.of(new GuestMessage.Leave(null)).type()).isEqualTo("LEAVE");
            assertThat(Decoded.invalid(null, "x").isValid()).isFalse();
        }

        @Test
        void theSameCodecServesManyThreads() throws Exception {
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 4; t++) {
                int id = t;
                Thread thread = new Thread(() -> {
                    try {
                        for (int i = 0; i < 2000; i++) {
                            String json = "{\"payload\":{\"deviceId\":\"d" + id + "\",\"latency\":" + i
                                    + ".4},\"type\":\"HEARTBEAT\"}";
                            Decoded d = CodecTestSupport.decodeQuick(CODEC, utf8(json));
                            assertThat(d.message()).isEqualTo(new GuestMessage.Heartbeat("d" + id, (long) i));
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(failures).isEmpty();
        }
    }
}
