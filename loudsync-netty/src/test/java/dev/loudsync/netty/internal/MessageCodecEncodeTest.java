package dev.loudsync.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.MemberStatus;
import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.HostMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Encoding host messages: exact shapes, escaping, application payloads, buffer hygiene. */
class MessageCodecEncodeTest {

    private static final HostEncoder CODEC = new HostEncoder();
    private static final GuestDecoder DECODER = new GuestDecoder(64 * 1024);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TS = 1738454400999L;

    private static final Member HOST = new Member("host-1", "Host", Member.Role.HOST, MemberStatus.CONNECTED,
            1738454400000L, OptionalInt.empty());
    private static final Member CLIENT = new Member("device-456", "Android", Member.Role.CLIENT,
            MemberStatus.CONNECTED, 1738454400500L, OptionalInt.of(45));
    private static final String HOST_JSON = "{\"id\":\"host-1\",\"name\":\"Host\",\"role\":\"host\",\"isHost\":true,"
            + "\"connectionStatus\":\"connected\",\"joinedAt\":1738454400000,\"latency\":null}";
    private static final String CLIENT_JSON = "{\"id\":\"device-456\",\"name\":\"Android\",\"role\":\"client\","
            + "\"isHost\":false,\"connectionStatus\":\"connected\",\"joinedAt\":1738454400500,\"latency\":45}";

    private static String encode(HostMessage m) {
        return CODEC.encodeToString(m, TS);
    }

    private static String envelope(String type, String payload) {
        return "{\"type\":\"" + type + "\",\"timestamp\":" + TS + ",\"payload\":" + payload + "}";
    }

    @Test
    void welcome() {
        HostMessage.Welcome w = new HostMessage.Welcome("A1B2C3", "Living room", "host-1", "Host", "device-456", "1",
                1738454400000L, 5000, 15000, 8, "tok-xyz");
        assertThat(encode(w)).isEqualTo(envelope("WELCOME", "{\"sessionId\":\"A1B2C3\",\"sessionName\":\"Living room\","
                + "\"hostId\":\"host-1\",\"hostName\":\"Host\",\"yourDeviceId\":\"device-456\",\"protocolVersion\":1,"
                + "\"serverTime\":1738454400000,\"heartbeatIntervalMs\":5000,\"heartbeatTimeoutMs\":15000,"
                + "\"maxMembers\":8,\"resumeToken\":\"tok-xyz\"}"));
        HostMessage.Welcome w11 = new HostMessage.Welcome("A1B2C3", "Living room", "host-1", "Host", "device-456",
                "1.1", 1738454400000L, 5000, 15000, 8, "tok-xyz");
        assertThat(encode(w11)).contains("\"protocolVersion\":\"1.1\",");
    }

    @Test
    void memberList() {
        assertThat(encode(new HostMessage.MemberList(List.of(HOST, CLIENT))))
                .isEqualTo(envelope("MEMBER_LIST", "{\"members\":[" + HOST_JSON + "," + CLIENT_JSON + "]}"));
        assertThat(encode(new HostMessage.MemberList(List.of())))
                .isEqualTo(envelope("MEMBER_LIST", "{\"members\":[]}"));
    }

    @Test
    void memberJoinedAndUpdated() {
        assertThat(encode(new HostMessage.MemberJoined(CLIENT)))
                .isEqualTo(envelope("MEMBER_JOINED", "{\"member\":" + CLIENT_JSON + "}"));
        assertThat(encode(new HostMessage.MemberUpdated(HOST)))
                .isEqualTo(envelope("MEMBER_UPDATED", "{\"member\":" + HOST_JSON + "}"));
    }

    @Test
    void memberMatchesTheProtocolExample() throws Exception {
        // PROTOCOL.md, "Member object".
        JsonNode example = JSON.readTree("{ \"id\": \"device-456\", \"name\": \"Android\", \"role\": \"client\", "
                + "\"isHost\": false, \"connectionStatus\": \"connected\", \"joinedAt\": 1738454400000, \"latency\": 45 }");
        Member m = new Member("device-456", "Android", Member.Role.CLIENT, MemberStatus.CONNECTED, 1738454400000L,
                OptionalInt.of(45));
        JsonNode encoded = JSON.readTree(encode(new HostMessage.MemberJoined(m)));
        assertThat(encoded.get("payload").get("member")).isEqualTo(example);
    }

    @ParameterizedTest
    @EnumSource(MemberStatus.class)
    void memberShapeForEveryRoleAndStatus(MemberStatus status) throws Exception {
        for (Member.Role role : Member.Role.values()) {
            Member m = new Member("i", "n", role, status, 7, OptionalInt.empty());
            JsonNode member = JSON.readTree(encode(new HostMessage.MemberUpdated(m))).get("payload").get("member");
            assertThat(member.get("role").asText()).isEqualTo(role.wireName());
            assertThat(member.get("isHost").isBoolean()).isTrue();
            assertThat(member.get("isHost").booleanValue()).isEqualTo(role == Member.Role.HOST);
            assertThat(member.get("connectionStatus").asText()).isEqualTo(status.wireName());
            assertThat(member.get("latency").isNull()).isTrue();
            assertThat(member.get("joinedAt").isIntegralNumber()).isTrue();
            List<String> names = new ArrayList<>();
            member.fieldNames().forEachRemaining(names::add);
            assertThat(names).containsExactly("id", "name", "role", "isHost", "connectionStatus", "joinedAt", "latency");
        }
        assertThat(MemberStatus.RECONNECTING.wireName()).isEqualTo("reconnecting");
        assertThat(Member.Role.values()).extracting(Member.Role::wireName).containsExactly("host", "cohost", "client");
    }

    @ParameterizedTest
    @EnumSource(LeaveReason.class)
    void memberLeft(LeaveReason reason) {
        assertThat(encode(new HostMessage.MemberLeft("d-9", reason)))
                .isEqualTo(envelope("MEMBER_LEFT", "{\"deviceId\":\"d-9\",\"reason\":\"" + reason.wireText() + "\"}"));
    }

    @Test
    void memberLeftWireTexts() {
        assertThat(encode(new HostMessage.MemberLeft("d", LeaveReason.TIMED_OUT))).contains("\"Heartbeat timeout\"");
        assertThat(encode(new HostMessage.MemberLeft("d", LeaveReason.CONNECTION_LOST))).contains("\"Connection closed\"");
    }

    @Test
    void kickedAndSessionClosed() {
        assertThat(encode(new HostMessage.Kicked("Too loud")))
                .isEqualTo(envelope("KICKED", "{\"reason\":\"Too loud\"}"));
        assertThat(encode(new HostMessage.SessionClosed("Host closed session")))
                .isEqualTo(envelope("SESSION_CLOSED", "{\"reason\":\"Host closed session\"}"));
        assertThat(encode(new HostMessage.Kicked(null))).isEqualTo(envelope("KICKED", "{\"reason\":null}"));
    }

    @Test
    void error() {
        assertThat(encode(new HostMessage.Error(ErrorCode.INVALID_MESSAGE, "Malformed JSON")))
                .isEqualTo(envelope("ERROR", "{\"code\":\"INVALID_MESSAGE\",\"message\":\"Malformed JSON\"}"));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("members", 8);
        details.put("maxMembers", 8);
        details.put("extra", Arrays.asList("a", null, Map.of("k", true)));
        assertThat(encode(new HostMessage.Error(ErrorCode.SESSION_FULL, "Session is full (8/8)", details)))
                .isEqualTo(envelope("ERROR", "{\"code\":\"SESSION_FULL\",\"message\":\"Session is full (8/8)\","
                        + "\"details\":{\"members\":8,\"maxMembers\":8,\"extra\":[\"a\",null,{\"k\":true}]}}"));
        assertThat(encode(new HostMessage.Error(ErrorCode.RATE_LIMITED, "Slow down", Map.of())))
                .isEqualTo(envelope("ERROR", "{\"code\":\"RATE_LIMITED\",\"message\":\"Slow down\",\"details\":{}}"));
    }

    static List<ErrorCode> protocolCodes() {
        return ErrorCode.protocolCodes();
    }

    @ParameterizedTest
    @MethodSource("protocolCodes")
    void everyErrorCodeByName(ErrorCode code) {
        assertThat(encode(new HostMessage.Error(code, "m")))
                .isEqualTo(envelope("ERROR", "{\"code\":\"" + code.name() + "\",\"message\":\"m\"}"));
    }

    @Test
    void pongAndPing() {
        assertThat(encode(new HostMessage.Pong(1738454400000L, 1738454400042L)))
                .isEqualTo(envelope("PONG", "{\"pingTimestamp\":1738454400000,\"serverTime\":1738454400042}"));
        assertThat(encode(new HostMessage.Pong(null, 5)))
                .isEqualTo(envelope("PONG", "{\"pingTimestamp\":null,\"serverTime\":5}"));
        assertThat(encode(HostMessage.Ping.INSTANCE)).isEqualTo(envelope("PING", "{}"));
    }

    @Test
    void joinPending() {
        assertThat(encode(new HostMessage.JoinPending("Waiting for the host")))
                .isEqualTo(envelope("JOIN_PENDING", "{\"message\":\"Waiting for the host\"}"));
    }

    @Test
    void membersChanged() {
        HostMessage.MembersChanged c = new HostMessage.MembersChanged(List.of(CLIENT),
                List.of(new HostMessage.Departure("d-9", LeaveReason.LEFT),
                        new HostMessage.Departure("d-8", LeaveReason.SLOW)),
                List.of(HOST));
        assertThat(encode(c)).isEqualTo(envelope("MEMBERS_CHANGED", "{\"joined\":[" + CLIENT_JSON + "],"
                + "\"left\":[{\"deviceId\":\"d-9\",\"reason\":\"Left\"},{\"deviceId\":\"d-8\",\"reason\":\"Slow connection\"}],"
                + "\"updated\":[" + HOST_JSON + "]}"));
        assertThat(encode(new HostMessage.MembersChanged(List.of(), List.of(), List.of())))
                .isEqualTo(envelope("MEMBERS_CHANGED", "{\"joined\":[],\"left\":[],\"updated\":[]}"));
    }

    @Test
    void largeMemberList() throws Exception {
        List<Member> members = new ArrayList<>();
        members.add(HOST);
        for (int i = 0; i < 500; i++) {
            members.add(new Member("device-" + i, "Phone \u00e9 " + i, Member.Role.CLIENT, MemberStatus.CONNECTED,
                    1738454400000L + i, i % 2 == 0 ? OptionalInt.of(i) : OptionalInt.empty()));
        }
        JsonNode list = JSON.readTree(encode(new HostMessage.MemberList(members))).get("payload").get("members");
        assertThat(list).hasSize(501);
        assertThat(list.get(0).get("isHost").booleanValue()).isTrue();
        assertThat(list.get(500).get("name").asText()).isEqualTo("Phone \u00e9 499");
        assertThat(list.get(499).get("latency").intValue()).isEqualTo(498);
        assertThat(list.get(500).get("latency").isNull()).isTrue();
    }

    @Test
    void applicationMessage() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("text", "hi");
        payload.put("n", 1);
        payload.put("list", List.of(1L, 2.5d, false));
        payload.put("nil", null);
        assertThat(encode(new ApplicationMessage("CHAT", payload)))
                .isEqualTo(envelope("CHAT", "{\"text\":\"hi\",\"n\":1,\"list\":[1,2.5,false],\"nil\":null}"));
        assertThat(encode(new ApplicationMessage("READY", null))).isEqualTo(envelope("READY", "{}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "", "quote \" backslash \\ slash /", "new\nline\r\ttab\b\f",
        "ctrl \u0000 \u0001 \u001f \u007f", "emoji \uD83D\uDE00 \uD83C\uDDEB\uD83C\uDDF7", "\u2028\u2029",
        "</script><!--", "\u00e9\u4e2d\u0416", "'single'", "\uFEFFbom", "\\u0041 not an escape"})
    void trickyStringsRoundTrip(String s) throws Exception {
        Member m = new Member(s, s, Member.Role.CLIENT, MemberStatus.PENDING, 0, OptionalInt.of(0));
        byte[] encoded = encodeBytes(new HostMessage.MemberJoined(m));
        assertThat(ByteBufUtil.isText(io.netty.buffer.Unpooled.wrappedBuffer(encoded), StandardCharsets.UTF_8))
                .isTrue();
        JsonNode member = JSON.readTree(encoded).get("payload").get("member");
        assertThat(member.get("id").asText()).isEqualTo(s);
        assertThat(member.get("name").asText()).isEqualTo(s);
        // Raw control characters never appear in the output.
        for (byte b : encoded) {
            assertThat(b & 0xff).isGreaterThanOrEqualTo(0x20);
        }
    }

    @Test
    void escapingIsExact() {
        String s = "a\"b\\c\nd\te\u0001f\u001fg/h\uD83D\uDE00";
        assertThat(encode(new HostMessage.Kicked(s))).isEqualTo(envelope("KICKED",
                "{\"reason\":\"a\\\"b\\\\c\\nd\\te\\u0001f\\u001Fg/h\uD83D\uDE00\"}"));
        // Supplementary characters are one 4-byte UTF-8 sequence, not an escaped surrogate pair.
        byte[] b = encodeBytes(new HostMessage.Kicked("\uD83D\uDE00"));
        String raw = new String(b, StandardCharsets.ISO_8859_1);
        assertThat(raw).contains("\"reason\":\"\u00f0\u009f\u0098\u0080\"");
    }

    @Test
    void loneSurrogatesAreEscapedNotBroken() throws Exception {
        for (String s : List.of("x\uD800y", "\uDC00", "a\uD83D", "\uDE00\uD83D")) {
            byte[] b = encodeBytes(new HostMessage.JoinPending(s));
            assertThat(ByteBufUtil.isText(io.netty.buffer.Unpooled.wrappedBuffer(b), StandardCharsets.UTF_8))
                    .as("valid UTF-8 for %s", s).isTrue();
            assertThat(JSON.readTree(b).get("payload").get("message").asText()).isEqualTo(s);
        }
    }

    @Test
    void applicationPayloadRoundTrip() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z", List.of());
        inner.put("y", Map.of());
        inner.put("x", Arrays.asList(null, true, false, "s"));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("int", 42);
        payload.put("negative", -7);
        payload.put("long", 1738454400000L);
        payload.put("big", BigInteger.TWO.pow(100));
        payload.put("double", 45.300000000000004);
        payload.put("whole", 3.0);
        payload.put("tiny", 4.9e-324);
        payload.put("huge", 1.7976931348623157e308);
        payload.put("negZero", -0.0);
        payload.put("text", "Zo\u00eb \uD83D\uDCF1 \"\\\n");
        payload.put("nil", null);
        payload.put("yes", true);
        payload.put("nested", List.of(inner, List.of(List.of(1, 2), List.of())));
        payload.put("", "empty key");
        ApplicationMessage original = new ApplicationMessage("STATE_SYNC", payload);

        ByteBuf encoded = CODEC.encode(original, TS, PooledByteBufAllocator.DEFAULT);
        try {
            GuestDecoder.Decoded decoded = DECODER.decode(encoded);
            assertThat(decoded.message()).isEqualTo(original);
            ApplicationMessage back = (ApplicationMessage) decoded.message();
            assertThat(back.payload().keySet()).containsExactlyElementsOf(payload.keySet());
            assertThat(back.payload().get("long")).isExactlyInstanceOf(Long.class);
            assertThat(back.payload().get("big")).isExactlyInstanceOf(BigInteger.class);
            assertThat(back.payload().get("whole")).isExactlyInstanceOf(Double.class);
        } finally {
            encoded.release();
        }
    }

    /** A value type the mapper writes as a bean. */
    record Point(int x, int y) {
    }

    enum Color { RED }

    @Test
    void otherValuesGoThroughTheMapper() {
        Map<Object, Object> keyed = new LinkedHashMap<>();
        keyed.put(7, "seven");
        keyed.put(Color.RED, "red");
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("point", new Point(1, 2));
        payload.put("color", Color.RED);
        payload.put("ints", new int[] {1, 2});
        payload.put("set", new LinkedHashSet<>(List.of("a", "b")));
        payload.put("float", 1.5f);
        payload.put("short", (short) 3);
        payload.put("byte", (byte) 4);
        payload.put("decimal", new BigDecimal("0.10"));
        payload.put("keyed", keyed);
        payload.put("nan", Double.NaN);
        payload.put("chars", new StringBuilder("sb"));
        assertThat(encode(new ApplicationMessage("MISC", payload))).isEqualTo(envelope("MISC",
                "{\"point\":{\"x\":1,\"y\":2},\"color\":\"RED\",\"ints\":[1,2],\"set\":[\"a\",\"b\"],\"float\":1.5,"
                        + "\"short\":3,\"byte\":4,\"decimal\":0.10,\"keyed\":{\"7\":\"seven\",\"RED\":\"red\"},"
                        + "\"nan\":\"NaN\",\"chars\":\"sb\"}"));
    }

    @Test
    void unwritableValueThrowsAndReleasesTheBuffer() {
        CodecTestSupport.TrackingAllocator alloc = new CodecTestSupport.TrackingAllocator(true);
        ApplicationMessage m = new ApplicationMessage("BAD", Map.of("o", new Object()));
        assertThatThrownBy(() -> CODEC.encode(m, TS, alloc))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Cannot encode BAD");
        alloc.assertAllReleased();
    }

    @Test
    void cyclicPayloadThrowsAndReleasesTheBuffer() {
        CodecTestSupport.TrackingAllocator alloc = new CodecTestSupport.TrackingAllocator(false);
        Map<String, Object> cyclic = new LinkedHashMap<>();
        cyclic.put("self", cyclic);
        assertThatThrownBy(() -> CODEC.encode(new ApplicationMessage("LOOP", cyclic), TS, alloc))
                .isInstanceOf(IllegalArgumentException.class);
        alloc.assertAllReleased();
    }

    @Test
    void encodeWritesIntoABufferOfTheAllocator() {
        for (boolean direct : new boolean[] {true, false}) {
            CodecTestSupport.TrackingAllocator alloc = new CodecTestSupport.TrackingAllocator(direct);
            ByteBuf buf = CODEC.encode(new HostMessage.MemberList(List.of(HOST, CLIENT)), TS, alloc);
            try {
                assertThat(buf.isDirect()).isEqualTo(direct);
                assertThat(buf.refCnt()).isEqualTo(1);
                assertThat(buf.readerIndex()).isZero();
                assertThat(buf.toString(StandardCharsets.UTF_8))
                        .isEqualTo(envelope("MEMBER_LIST", "{\"members\":[" + HOST_JSON + "," + CLIENT_JSON + "]}"));
            } finally {
                assertThat(buf.release()).isTrue();
            }
            alloc.assertAllReleased();
        }
    }

    @Test
    void encodedHostMessagesAreNotAcceptedFromGuests() {
        ByteBuf buf = CODEC.encode(new HostMessage.MemberJoined(CLIENT), TS, PooledByteBufAllocator.DEFAULT);
        try {
            assertThat(DECODER.decode(buf))
                    .isEqualTo(GuestDecoder.Decoded.invalid("MEMBER_JOINED", "Type MEMBER_JOINED is not sent by guests"));
        } finally {
            buf.release();
        }
    }

    private static byte[] encodeBytes(HostMessage m) {
        ByteBuf buf = CODEC.encode(m, TS, PooledByteBufAllocator.DEFAULT);
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }
}
