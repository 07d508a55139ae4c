package dev.loudsync.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.MemberStatus;
import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.Capability;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.protocol.ProtocolRules;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both ends of both directions agree: every host message the host's encoder writes, the client's
 * codec reads back equal; every guest message the client's codec writes, the host's decoder reads
 * back equal. Every message type, every extension field set and unset.
 */
class WireRoundTripTest {

    private static final long CLOCK = 1738454400123L;

    private static final HostEncoder HOST_ENCODER = new HostEncoder();
    private static final GuestDecoder HOST_DECODER = new GuestDecoder(64 * 1024);
    private static final ClientCodec CLIENT = new ClientCodec();

    private static final Member HOST = new Member("host-1", "Laptop", Member.Role.HOST, MemberStatus.CONNECTED,
            1738454400000L, OptionalInt.empty());
    private static final Member COHOST = new Member("device-c", "DJ", Member.Role.COHOST, MemberStatus.CONNECTED,
            1738454400500L, OptionalInt.of(12));

    /** A member of every status, with and without latency, with text that needs escaping. */
    private static List<Member> guests() {
        List<Member> list = new ArrayList<>();
        int i = 0;
        for (MemberStatus status : MemberStatus.values()) {
            list.add(new Member("device-" + i, "Zo\u00eb \"" + i + "\" \uD83D\uDCF1", Member.Role.CLIENT, status,
                    1738454401000L + i, i % 2 == 0 ? OptionalInt.of(45 + i) : OptionalInt.empty()));
            i++;
        }
        return list;
    }

    /** Plain Java values of every kind the decoders produce, nested. */
    private static Map<String, Object> values() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("list", Arrays.asList(1, "two", null, List.of(), Map.of()));
        inner.put("yes", true);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("int", 42);
        values.put("long", 3_000_000_000L);
        values.put("big", BigInteger.TWO.pow(70));
        values.put("double", 45.300000000000004);
        values.put("text", "hi \"there\"\n\u00e9");
        values.put("no", false);
        values.put("nil", null);
        values.put("inner", inner);
        return values;
    }

    static Stream<HostMessage> hostMessages() {
        List<HostMessage> all = new ArrayList<>();
        all.add(new HostMessage.Welcome("A1B2C3", "Living room", "host-1", "Laptop", "device-0", "1", CLOCK, 250,
                1000, 100_000, "tok-xyz"));
        all.add(new HostMessage.Welcome("A1B2C3", "Living room", "host-1", "Laptop", "device-0", "1.1", CLOCK, 5000,
                15000, 8, null));
        List<Member> everyone = new ArrayList<>(List.of(HOST));
        everyone.addAll(guests());
        all.add(new HostMessage.MemberList(everyone));
        all.add(new HostMessage.MemberList(List.of()));
        for (Member m : everyone) {
            all.add(new HostMessage.MemberJoined(m));
            all.add(new HostMessage.MemberUpdated(m));
        }
        for (LeaveReason r : LeaveReason.values()) {
            all.add(new HostMessage.MemberLeft("device-1", r));
        }
        all.add(new HostMessage.Kicked("Be nice"));
        all.add(new HostMessage.Kicked(null));
        all.add(new HostMessage.SessionClosed("Host closed session"));
        all.add(new HostMessage.SessionClosed(null));
        for (ErrorCode c : ErrorCode.protocolCodes()) {
            all.add(new HostMessage.Error(c, "Session is full (8/8)"));
            all.add(new HostMessage.Error(c, "", values()));
        }
        all.add(new HostMessage.Error(ErrorCode.RATE_LIMITED, "Slow down", Map.of()));
        all.add(new HostMessage.Pong(1738454400000L, CLOCK));
        all.add(new HostMessage.Pong(null, CLOCK));
        all.add(HostMessage.Ping.INSTANCE);
        all.add(new HostMessage.JoinPending("Waiting for the host"));
        all.add(new HostMessage.JoinPending(null));
        List<HostMessage.Departure> departures = new ArrayList<>();
        for (LeaveReason r : LeaveReason.values()) {
            departures.add(new HostMessage.Departure("gone-" + r.ordinal(), r));
        }
        all.add(new HostMessage.MembersChanged(guests(), departures, List.of(HOST)));
        all.add(new HostMessage.MembersChanged(List.of(), List.of(), List.of()));
        all.add(new ApplicationMessage("CHAT", values()));
        all.add(new ApplicationMessage("READY", Map.of()));
        // 1.1
        all.add(new HostMessage.MemberList(List.of(HOST, COHOST)));
        all.add(new HostMessage.MemberUpdated(COHOST));
        all.add(new HostMessage.Error(ErrorCode.of("QUEUE_FULL"), "The queue is full", null, "r-1"));
        all.add(new HostMessage.Error(ErrorCode.SERVER_ERROR, "Internal error", values(), "x".repeat(64)));
        all.add(new HostMessage.Ack("r-1", null));
        all.add(new HostMessage.Ack("r-2", values()));
        all.add(new HostMessage.Ack("r-3", "text"));
        all.add(new HostMessage.Ack("r-4", 42));
        all.add(new HostMessage.Ack("r-5", Arrays.asList(1, null, "x")));
        all.add(new HostMessage.Ack("r-6", false));
        all.add(new HostMessage.HostChanged("device-1", "Zo\u00eb", "host-1", HostMessage.HostChanged.HOST_LEFT));
        all.add(new HostMessage.HostChanged("host-1", "Laptop", "device-1", HostMessage.HostChanged.TRANSFERRED));
        all.add(new HostMessage.JoinRequested("device-9", "Zo\u00eb \"9\""));
        for (HostMessage.Outcome o : HostMessage.Outcome.values()) {
            all.add(new HostMessage.JoinRequestEnded("device-9", o));
        }
        all.add(new HostMessage.State(0, Map.of()));
        all.add(new HostMessage.State(Long.MAX_VALUE, Map.of("queue", List.of("a", "b"), "playing", true)));
        Map<String, Object> patch = new LinkedHashMap<>(values());
        patch.put("removed", null);
        all.add(new HostMessage.StatePatch(7, patch));
        all.add(new HostMessage.StatePatch(1, Map.of()));
        return all.stream();
    }

    static Stream<GuestMessage> guestMessages() {
        return Stream.of(
                new GuestMessage.Join("A1B2C3", "device-456", "Zo\u00eb's phone", ProtocolRules.CLIENT_VERSION, "1234",
                        "tok-1", Set.of(Capability.MEMBERS_CHANGED, "future")),
                GuestMessage.Join.of("a1b-2c3", "d", "Phone"),
                new GuestMessage.Join(null, null, null, null, null, null, Set.of()),
                new GuestMessage.Join("", "", "", "2.0", "", "", Set.of("")),
                new GuestMessage.Leave("bye"),
                new GuestMessage.Leave(null),
                new GuestMessage.Heartbeat("d-1", 45L),
                new GuestMessage.Heartbeat("d-1", null),
                new GuestMessage.Heartbeat(null, Long.MIN_VALUE),
                new GuestMessage.Ping(CLOCK),
                new GuestMessage.Ping(null),
                new GuestMessage.Pong(1738454400000L),
                new GuestMessage.Pong(null),
                new ApplicationMessage("CHAT", values()),
                new ApplicationMessage("READY", Map.of()),
                // 1.1
                GuestMessage.Join.of("A1B2C3", "d", "Phone").withAuth("token-\u00e9".repeat(10))
                        .withVersion(ProtocolRules.CLIENT_VERSION).withCapabilities(Set.of(Capability.STATE)),
                GuestMessage.Join.of("A1B2C3", "d", "Phone").withAuth("a".repeat(Wire.MAX_AUTH_CHARS)),
                new ApplicationMessage("CHAT", values(), "r-1"),
                new ApplicationMessage("READY", Map.of(), "x".repeat(Wire.MAX_REQUEST_ID_CHARS)),
                new GuestMessage.Kick("device-1", "Be nice", true, "r-2"),
                new GuestMessage.Kick("device-1", null, false, null),
                new GuestMessage.Kick(null, null, false, "r"),
                new GuestMessage.SetRole("device-1", "cohost", "r-3"),
                new GuestMessage.SetRole("device-1", "client", null),
                new GuestMessage.SetRole(null, null, null),
                new GuestMessage.Approve("device-9", "r-4"),
                new GuestMessage.Approve(null, null),
                new GuestMessage.Deny("device-9", "r-5"),
                new GuestMessage.Deny("device-9", null),
                new GuestMessage.TransferHost("device-1", "r-6"),
                new GuestMessage.TransferHost("device-1", null),
                new GuestMessage.EndSession("Good night", "r-7"),
                new GuestMessage.EndSession(null, null));
    }

    @ParameterizedTest
    @MethodSource("hostMessages")
    void hostToGuest_theClientReadsWhatTheHostWrote(HostMessage message) {
        ByteBuf encoded = HOST_ENCODER.encode(message, CLOCK, PooledByteBufAllocator.DEFAULT);
        try {
            ClientCodec.Incoming in = CLIENT.decode(encoded);
            assertThat(in).as("decoded %s", encoded.toString(java.nio.charset.StandardCharsets.UTF_8)).isNotNull();
            assertThat(in.message()).isEqualTo(message);
            assertThat(in.timestamp()).isEqualTo(CLOCK);
        } finally {
            encoded.release();
        }
        // The string form reads the same.
        assertThat(CLIENT.decode(HOST_ENCODER.encodeToString(message, CLOCK)).message()).isEqualTo(message);
    }

    @ParameterizedTest
    @MethodSource("guestMessages")
    void guestToHost_theHostReadsWhatTheClientWrote(GuestMessage message) {
        ByteBuf encoded = CLIENT.encode(message, CLOCK, PooledByteBufAllocator.DEFAULT);
        try {
            assertThat(HOST_DECODER.decode(encoded)).isEqualTo(GuestDecoder.Decoded.of(message));
        } finally {
            encoded.release();
        }
    }

    @Test
    void everyMessageTypeIsCovered() {
        Set<Class<?>> host = new HashSet<>();
        hostMessages().forEach(m -> host.add(m.getClass()));
        assertThat(host).containsExactlyInAnyOrder(HostMessage.class.getPermittedSubclasses());
        Set<Class<?>> guest = new HashSet<>();
        guestMessages().forEach(m -> guest.add(m.getClass()));
        assertThat(guest).containsExactlyInAnyOrder(GuestMessage.class.getPermittedSubclasses());
    }

    @Test
    void everyExtensionFieldIsSetSomewhere() {
        // Welcome's extensions, Join's pin/resumeToken/capabilities, Heartbeat.latency, Error.details,
        // member latency and every status: a sample with each set to a non-default value.
        assertThat(hostMessages()).anyMatch(m -> m instanceof HostMessage.Welcome w && w.resumeToken() != null
                && w.heartbeatIntervalMs() != 5000 && w.maxMembers() > 8);
        assertThat(hostMessages()).anyMatch(m -> m instanceof HostMessage.Error e && e.details() != null
                && !e.details().isEmpty());
        assertThat(guestMessages()).anyMatch(m -> m instanceof GuestMessage.Join j && j.pin() != null
                && j.resumeToken() != null && !j.capabilities().isEmpty());
        assertThat(guestMessages()).anyMatch(m -> m instanceof GuestMessage.Heartbeat h && h.latencyMillis() != null);
        // 1.1: JOIN.auth, the request id on every type that takes one, KICK.ban, ERROR.replyTo,
        // ACK.result, the cohost role, a STATE_PATCH removing a key.
        assertThat(guestMessages()).anyMatch(m -> m instanceof GuestMessage.Join j && j.auth() != null);
        Set<String> withId = new HashSet<>();
        guestMessages().filter(m -> m.id() != null).forEach(m -> withId.add(m.getClass().getSimpleName()));
        assertThat(withId).containsExactlyInAnyOrder("ApplicationMessage", "Kick", "SetRole", "Approve", "Deny",
                "TransferHost", "EndSession");
        assertThat(guestMessages()).anyMatch(m -> m instanceof GuestMessage.Kick k && k.ban());
        assertThat(hostMessages()).anyMatch(m -> m instanceof HostMessage.Error e && e.replyTo() != null);
        assertThat(hostMessages()).anyMatch(m -> m instanceof HostMessage.Ack a && a.result() instanceof Map);
        assertThat(hostMessages()).anyMatch(m -> m instanceof HostMessage.MemberList l
                && l.members().stream().anyMatch(x -> x.role() == Member.Role.COHOST));
        assertThat(hostMessages()).anyMatch(m -> m instanceof HostMessage.StatePatch p && p.patch().containsValue(null));
        Set<MemberStatus> statuses = new HashSet<>();
        hostMessages().filter(m -> m instanceof HostMessage.MemberList)
                .forEach(m -> ((HostMessage.MemberList) m).members().forEach(x -> statuses.add(x.status())));
        assertThat(statuses).containsExactlyInAnyOrder(MemberStatus.values());
    }
}
