package dev.loudsync.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.GuestMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The envelope's request {@code id} (1.1) and {@code JOIN.auth} as the host's decoder reads them:
 * a string of 1-64 characters on every type but the five that ignore it, whatever it holds there;
 * the id of an invalid frame is kept for the error's {@code replyTo}.
 */
class RequestIdDecodingTest {

    private static final GuestDecoder DECODER = new GuestDecoder(64 * 1024);

    private static GuestDecoder.Decoded decode(String json) {
        ByteBuf buf = Unpooled.copiedBuffer(json, StandardCharsets.UTF_8);
        try {
            return DECODER.decode(buf);
        } finally {
            buf.release();
        }
    }

    @Test
    void anIdOnAnApplicationMessageOrAControlMessage_isTheMessagesId_inAnyFieldOrder() {
        assertThat(decode("{\"type\":\"CHAT\",\"id\":\"r-1\",\"payload\":{\"t\":1}}").message())
                .isEqualTo(new ApplicationMessage("CHAT", Map.of("t", 1), "r-1"));
        assertThat(decode("{\"payload\":{\"deviceId\":\"d\"},\"id\":\"r-2\",\"type\":\"APPROVE\"}").message())
                .isEqualTo(new GuestMessage.Approve("d", "r-2"));
        assertThat(decode("{\"id\":null,\"type\":\"END_SESSION\"}").message())
                .isEqualTo(new GuestMessage.EndSession(null, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\"", "7", "true", "{}", "[\"r\"]", "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\""})
    void anIdThatIsNotAStringOf1To64Characters_isInvalid_namingTheField(String id) {
        GuestDecoder.Decoded d = decode("{\"type\":\"KICK\",\"id\":" + id + ",\"payload\":{\"deviceId\":\"d\"}}");
        assertThat(d.isValid()).isFalse();
        assertThat(d.type()).isEqualTo("KICK");
        assertThat(d.id()).isNull();
        assertThat(d.detail()).contains("'id'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"JOIN", "LEAVE", "HEARTBEAT", "PING", "PONG"})
    void onTheFiveTypesWithAnswersOfTheirOwn_theIdIsIgnored_whateverItHolds(String type) {
        for (String id : new String[] {"\"r-1\"", "\"\"", "42", "{\"a\":[1]}"}) {
            GuestDecoder.Decoded d = decode("{\"type\":\"" + type + "\",\"id\":" + id + "}");
            assertThat(d.isValid()).as("%s with id %s", type, id).isTrue();
            assertThat(d.message().id()).isNull();
            assertThat(d.id()).isNull();
        }
    }

    @Test
    void anInvalidFrame_carriesTheIdWhenItWasRead() {
        GuestDecoder.Decoded wrongPayload = decode("{\"type\":\"KICK\",\"id\":\"r-9\",\"payload\":{\"deviceId\":5}}");
        assertThat(wrongPayload.detail()).isEqualTo("Field 'deviceId' must be a string");
        assertThat(wrongPayload.id()).isEqualTo("r-9");
        GuestDecoder.Decoded malformed = decode("{\"id\":\"r-8\",\"type\":\"CHAT\",\"payload\":{\"a\":}");
        assertThat(malformed.isValid()).isFalse();
        assertThat(malformed.id()).isEqualTo("r-8");
        GuestDecoder.Decoded badTimestamp = decode("{\"type\":\"CHAT\",\"id\":\"r-7\",\"timestamp\":\"x\"}");
        assertThat(badTimestamp.id()).isEqualTo("r-7");
        // on a type that takes no id, an invalid frame carries none
        assertThat(decode("{\"type\":\"HEARTBEAT\",\"id\":\"r-6\",\"payload\":{\"latency\":\"x\"}}").id()).isNull();
    }

    @Test
    void joinAuth_isAStringOfAtMost4096Characters() {
        String ok = "a".repeat(Wire.MAX_AUTH_CHARS);
        GuestDecoder.Decoded d = decode("{\"type\":\"JOIN\",\"payload\":{\"auth\":\"" + ok + "\"}}");
        assertThat(((GuestMessage.Join) d.message()).auth()).isEqualTo(ok);
        assertThat(decode("{\"type\":\"JOIN\",\"payload\":{\"auth\":\"" + ok + "b\"}}").detail())
                .isEqualTo("Field 'auth' is longer than 4096 characters");
        assertThat(decode("{\"type\":\"JOIN\",\"payload\":{\"auth\":12}}").detail())
                .isEqualTo("Field 'auth' must be a string");
    }

    @Test
    void controlMessages_takeTheirFields_andKickBanIsABoolean() {
        assertThat(decode("{\"type\":\"KICK\",\"payload\":{\"deviceId\":\"d\",\"reason\":\"r\",\"ban\":true}}")
                .message()).isEqualTo(new GuestMessage.Kick("d", "r", true, null));
        assertThat(decode("{\"type\":\"KICK\",\"payload\":{\"deviceId\":\"d\",\"ban\":\"yes\"}}").detail())
                .isEqualTo("Field 'ban' must be a boolean");
        assertThat(decode("{\"type\":\"SET_ROLE\",\"payload\":{\"deviceId\":\"d\",\"role\":\"cohost\"}}").message())
                .isEqualTo(new GuestMessage.SetRole("d", "cohost", null));
        assertThat(decode("{\"type\":\"TRANSFER_HOST\",\"payload\":{\"deviceId\":1}}").detail())
                .isEqualTo("Field 'deviceId' must be a string");
    }
}
