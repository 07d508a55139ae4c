package dev.loudsync.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.MemberStatus;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.Capability;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.protocol.ProtocolRules;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client's codec: the exact frames a guest sends, and how leniently it reads a host. */
class ClientCodecTest {

    private static final ClientCodec CODEC = new ClientCodec();

    /** JSON with single quotes for readability. */
    private static String q(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private static HostMessage read(String json) {
        ClientCodec.Incoming in = CODEC.decode(q(json));
        assertThat(in).as("decoded %s", json).isNotNull();
        return in.message();
    }

    @Test
    void guestFramesHaveTheProtocolsShapes() {
        assertThat(CODEC.encodeToString(new GuestMessage.Join("ABC123", "d-1", "Phone", ProtocolRules.CLIENT_VERSION,
                null, null, Set.of(Capability.MEMBERS_CHANGED)), 7))
                .isEqualTo(q("{'type':'JOIN','timestamp':7,'payload':{'sessionId':'ABC123','deviceId':'d-1',"
                        + "'deviceName':'Phone','version':'1.1.0','capabilities':['membersChanged']}}"));
        assertThat(CODEC.encodeToString(new GuestMessage.Heartbeat("d-1", 45L), 7))
                .isEqualTo(q("{'type':'HEARTBEAT','timestamp':7,'payload':{'deviceId':'d-1','latency':45}}"));
        assertThat(CODEC.encodeToString(new GuestMessage.Heartbeat("d-1", null), 7))
                .isEqualTo(q("{'type':'HEARTBEAT','timestamp':7,'payload':{'deviceId':'d-1'}}"));
        assertThat(CODEC.encodeToString(new GuestMessage.Leave(null), 7))
                .isEqualTo(q("{'type':'LEAVE','timestamp':7,'payload':{}}"));
        assertThat(CODEC.encodeToString(new GuestMessage.Pong(5L), 7))
                .isEqualTo(q("{'type':'PONG','timestamp':7,'payload':{'pingTimestamp':5}}"));
        // A PING's timestamp is the one it asks to have echoed, not the clock.
        assertThat(CODEC.encodeToString(new GuestMessage.Ping(99L), 7))
                .isEqualTo(q("{'type':'PING','timestamp':99,'payload':{}}"));
        assertThat(CODEC.encodeToString(new ApplicationMessage("CHAT", Map.of("text", "hi")), 7))
                .isEqualTo(q("{'type':'CHAT','timestamp':7,'payload':{'text':'hi'}}"));
    }

    /** A value the mapper writes as a bean. */
    record Point(int x, int y) {
    }

    @Test
    void applicationPayloadsOfAnyObjectShape() {
        assertThat(CODEC.application("MOVE", new Point(1, 2)).payload()).isEqualTo(Map.of("x", 1, "y", 2));
        assertThat(CODEC.application("READY", null).payload()).isEmpty();
        assertThatThrownBy(() -> CODEC.application("MOVE", List.of(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> CODEC.application("WELCOME", Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void absentExtensionsTakeTheirDefaults() {
        assertThat(read("{'type':'WELCOME','payload':{'sessionId':'S','sessionName':'N','hostId':'h','hostName':'H',"
                + "'yourDeviceId':'d'}}")).isEqualTo(new HostMessage.Welcome("S", "N", "h", "H", "d",
                        "1", 0, SessionConfig.DEFAULT_HEARTBEAT_INTERVAL.toMillis(),
                        SessionConfig.DEFAULT_HEARTBEAT_TIMEOUT.toMillis(), 0, null));
        assertThat(read("{'type':'MEMBER_JOINED','payload':{'member':{'id':'d','name':'N'}}}"))
                .isEqualTo(new HostMessage.MemberJoined(new Member("d", "N", Member.Role.CLIENT,
                        MemberStatus.CONNECTED, 0, OptionalInt.empty())));
        assertThat(read("{'type':'MEMBERS_CHANGED','payload':{'joined':[]}}"))
                .isEqualTo(new HostMessage.MembersChanged(List.of(), List.of(), List.of()));
        assertThat(read("{'type':'MEMBER_LIST'}")).isEqualTo(new HostMessage.MemberList(List.of()));
    }

    @Test
    void unknownValuesAreReadAsTheNearestKnownOnes() {
        assertThat(read("{'type':'MEMBER_LEFT','payload':{'deviceId':'d','reason':'Gone fishing'}}"))
                .isEqualTo(new HostMessage.MemberLeft("d", LeaveReason.CONNECTION_LOST));
        assertThat(read("{'type':'ERROR','payload':{'code':'not a code','message':'m'}}"))
                .isEqualTo(new HostMessage.Error(ErrorCode.INVALID_MESSAGE, "m"));
        // 1.1: an upper-case code the client does not know is an application's own
        assertThat(read("{'type':'ERROR','payload':{'code':'SOMETHING_NEW','message':'m'}}"))
                .isEqualTo(new HostMessage.Error(ErrorCode.of("SOMETHING_NEW"), "m"));
        Member m = ((HostMessage.MemberUpdated) read("{'type':'MEMBER_UPDATED','payload':{'member':{'id':'d',"
                + "'name':'N','role':'client','isHost':true,'connectionStatus':'sleeping','latency':45.4}}}")).member();
        assertThat(m.role()).isEqualTo(Member.Role.HOST); // an older host may set only one of the two
        assertThat(m.status()).isEqualTo(MemberStatus.CONNECTED);
        assertThat(m.latencyMillis()).hasValue(45);
    }

    @Test
    void fieldOrderAndUnknownFieldsDoNotMatter() {
        assertThat(read("{'extra':[1,{'a':2}],'payload':{'x':{},'pingTimestamp':4,'serverTime':5},'timestamp':6,"
                + "'type':'PONG'}")).isEqualTo(new HostMessage.Pong(4L, 5));
        assertThat(CODEC.decode(q("{'payload':{},'timestamp':6,'type':'PING'}")))
                .isEqualTo(new ClientCodec.Incoming(HostMessage.Ping.INSTANCE, 6));
        assertThat(read("{'type':'SCORE','payload':{'a':[1,2.5]}}"))
                .isEqualTo(new ApplicationMessage("SCORE", Map.of("a", List.of(1, 2.5))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "[]", "{}", "{'type':5}", "{'type':'ack','payload':{}}",
        "{'type':'MEMBER_LEFT','payload':{'reason':'Left'}}", "{'type':'MEMBER_JOINED','payload':{}}",
        "{'type':'MEMBER_LIST','payload':{'members':[{'name':'no id'}]}}", "{'type':'KICKED','payload':{'reason':5}}",
        "{'type':'PONG','payload':{'serverTime':'5'}}", "{'type':'CHAT','payload':[]}",
        "{'type':'PING','timestamp':'now'}", "{'type':'CHAT','payload':{'x':1e400}}"})
    void whatItDoesNotUnderstandIsNull(String json) {
        assertThat(CODEC.decode(q(json))).isNull();
    }
}
