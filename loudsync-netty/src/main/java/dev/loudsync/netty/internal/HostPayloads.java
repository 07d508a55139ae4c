package dev.loudsync.netty.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.MemberStatus;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.protocol.MessageTypes;
import dev.loudsync.core.protocol.ProtocolRules;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The payloads of the protocol's host-to-guest messages, each defined once: how a host writes it
 * ({@link HostEncoder}) and how a client reads it back ({@link ClientCodec}), with the member object
 * and the departures of {@code MEMBERS_CHANGED} they share. Application messages are not here:
 * their payload is the application's own object.
 *
 * <p>A new host message is one constant here or in {@link HostPayloads11} (and its record in
 * {@link HostMessage}).
 *
 * <p>Writing is exact: every field, in the order of {@code PROTOCOL.md}, {@code null} written as
 * {@code null} (only {@code ERROR.details} is left out when null). Reading follows
 * {@link WireReader}'s rules and is lenient where a host that follows {@code PROTOCOL.md} may
 * differ: an absent extension takes its protocol default ({@code heartbeatIntervalMs} and
 * {@code heartbeatTimeoutMs} those of {@link SessionConfig}, {@code protocolVersion}
 * {@value ProtocolRules#MAJOR_VERSION}, other numbers 0, lists empty, texts {@code null}); an
 * unknown {@code reason} is {@link LeaveReason#CONNECTION_LOST}, so that a departure is never
 * dropped, an unknown error {@code code} {@link ErrorCode#INVALID_MESSAGE}, an unknown
 * {@code connectionStatus} {@code connected}. A member without {@code id}, a {@code MEMBER_LEFT}
 * without {@code deviceId} or a {@code MEMBER_JOINED}/{@code MEMBER_UPDATED} without
 * {@code member} is a problem: the message is not understood.
 */
enum HostPayloads implements HostPayload {

    WELCOME(MessageTypes.WELCOME) {
        @Override
        public void write(JsonGenerator g, HostMessage m, ObjectMapper mapper) throws IOException {
            HostMessage.Welcome w = (HostMessage.Welcome) m;
            g.writeStringField(Wire.SESSION_ID, w.sessionId());
            g.writeStringField(Wire.SESSION_NAME, w.sessionName());
            g.writeStringField(Wire.HOST_ID, w.hostId());
            g.writeStringField(Wire.HOST_NAME, w.hostName());
            g.writeStringField(Wire.YOUR_DEVICE_ID, w.yourDeviceId());
            if ("1".equals(w.protocolVersion())) {
                g.writeNumberField(Wire.PROTOCOL_VERSION, 1); // what version-1 guests always saw
            } else {
                g.writeStringField(Wire.PROTOCOL_VERSION, w.protocolVersion());
            }
            g.writeNumberField(Wire.SERVER_TIME, w.serverTime());
            g.writeNumberField(Wire.HEARTBEAT_INTERVAL_MS, w.heartbeatIntervalMs());
            g.writeNumberField(Wire.HEARTBEAT_TIMEOUT_MS, w.heartbeatTimeoutMs());
            g.writeNumberField(Wire.MAX_MEMBERS, w.maxMembers());
            g.writeStringField(Wire.RESUME_TOKEN, w.resumeToken());
        }

        @Override
        public HostMessage read(WireReader in) throws IOException {
            String sessionId = null;
            String sessionName = null;
            String hostId = null;
            String hostName = null;
            String you = null;
            String version = null;
            Long serverTime = null;
            Long interval = null;
            Long timeout = null;
            Integer maxMembers = null;
            String token = null;
            for (String f; (f = in.nextField()) != null; ) {
                switch (f) {
                    case Wire.SESSION_ID -> sessionId = in.string(f);
                    case Wire.SESSION_NAME -> sessionName = in.string(f);
                    case Wire.HOST_ID -> hostId = in.string(f);
                    case Wire.HOST_NAME -> hostName = in.string(f);
                    case Wire.YOUR_DEVICE_ID -> you = in.string(f);
                    case Wire.PROTOCOL_VERSION -> version = in.version(f);
                    case Wire.SERVER_TIME -> serverTime = in.millis(f);
                    case Wire.HEARTBEAT_INTERVAL_MS -> interval = in.millis(f);
                    case Wire.HEARTBEAT_TIMEOUT_MS -> timeout = in.millis(f);
                    case Wire.MAX_MEMBERS -> maxMembers = in.integer(f);
                    case Wire.RESUME_TOKEN -> token = in.string(f);
                    default -> in.skip();
                }
            }
            return new HostMessage.Welcome(sessionId, sessionName, hostId, hostName, you,
                    version != null ? version : String.valueOf(ProtocolRules.MAJOR_VERSION), or(serverTime, 0),
                    or(interval, SessionConfig.DEFAULT_HEARTBEAT_INTERVAL.toMillis()),
                    or(timeout, SessionConfig.DEFAULT_HEARTBEAT_TIMEOUT.toMillis()),
                    maxMembers != null ? maxMembers : 0, token);
        }
    },

    MEMBER_LIST(MessageTypes.MEMBER_LIST) {
        @Override
        public void write(JsonGenerator g, HostMessage m, ObjectMapper mapper) throws IOException {
            g.writeFieldName(Wire.MEMBERS);
            writeMembers(g, ((HostMessage.MemberList) m).members());
        }

        @Override
        public HostMessage read(WireReader in) throws IOException {
            List<Member> members = null;
            for (String f; (f = in.nextField()) != null; ) {
                if (f.equals(Wire.MEMBERS)) {
                    members = in.list(f, HostPayloads::readMember);
                } else {
                    in.skip();
                }
            }
            return new HostMessage.MemberList(members != null ? members : List.of());
        }
    },

    MEMBER_JOINED(MessageTypes.MEMBER_JOINED) {
        @Override
        public void write(JsonGenerator g, HostMessage m, ObjectMapper mapper) throws IOException {
            g.writeFieldName(Wire.MEMBER);
            writeMember(g, ((HostMessage.MemberJoined) m).member());
        }

        @Override
        public HostMessage read(WireReader in) throws IOException {
            return new HostMessage.MemberJoined(readMemberField(in));
        }
    },

    MEMBER_UPDATED(MessageTypes.MEMBER_UPDATED) {
        @Override
        public void write(JsonGenerator g, HostMessage m, ObjectMapper mapper) throws IOException {
            g.writeFieldName(Wire.MEMBER);
            writeMember(g, ((HostMessage.MemberUpdated) m).member());
        }

        @Override
        public HostMessage read(WireReader in) throws IOException {
            return new HostMessage.MemberUpdated(readMemberField(in));
        }
    },

    MEMBER_LEFT(MessageTypes.MEMBER_LEFT) {
        @Override
        public void write(JsonGenerator g, HostMessage m, ObjectMapper mapper) throws IOException {
            HostMessage.MemberLeft l = (HostMessage.MemberLeft) m;
            writeDepartureFields(g, l.deviceId(), l.reason());
        }

        @Override
        public HostMessage read(WireReader in) throws IOException {
            HostMessage.Departure d = readDeparture(in);
            return d == null ? null : new HostMessage.MemberLeft(d.deviceId(), d.reason());
        }
    },

    KICKED(MessageTypes.KICKED) {
        @Override
        public void write(JsonGenerator g, HostMessage m, ObjectMapper mapper) throws IOException {
            g.writeStringField(Wire.REASON, ((HostMessage.Kicked) m).reason());
        }

        @Override
        public HostMessage read(WireReader in) throws IOException {
            return new HostMessage.Kicked(readText(in, Wire.REASON));
        }
    },

    SESSION_CLOSED(MessageTypes.SESSION_CLOSED) {
        @Override
        public void write(JsonGenerator g, HostMessage m, ObjectMapper mapper) throws IOException {
            g.writeStringField(Wire.REASON, ((HostMessage.SessionClosed) m).reason());
        }

        @Override
        public HostMessage read(WireReader in) throws IOException {
            return new HostMessage.SessionClosed(readText(in, Wire.REASON));
        }
    },

    ERROR(MessageTypes.ERROR) {
        @Override
        public void write(JsonGenerator g, HostMessage m, ObjectMapper mapper) throws IOException {
            HostMessage.Error e = (HostMessage.Error) m;
            g.writeStringField(Wire.CODE, e.code().name());
            g.writeStringField(Wire.MESSAGE, e.message());
            if (e.replyTo() != null) {
                g.writeStringField(Wire.REPLY_TO, e.replyTo());
            }
            if (e.details() != null) {
                g.writeFieldName(Wire.DETAILS);
                Wire.writeMap(g, e.details(), mapper);
            }
        }

        @Override
        public HostMessage read(WireReader in) throws IOException {
            String code = null;
            String message = null;
            Map<String, Object> details = null;
            String replyTo = null;
            for (String f; (f = in.nextField()) != null; ) {
                switch (f) {
                    case Wire.CODE -> code = in.string(f);
                    case Wire.MESSAGE -> message = in.string(f);
                    case Wire.DETAILS -> details = in.values(f);
                    case Wire.REPLY_TO -> replyTo = in.string(f);
                    default -> in.skip();
                }
            }
            return new HostMessage.Error(ErrorCode.isValid(code) ? ErrorCode.of(code) : ErrorCode.INVALID_MESSAGE,
                    message != null ? message : "", details, replyTo);
        }
    },

    PONG(MessageTypes.PONG) {
        @Override
        public void write(JsonGenerator g, HostMessage m, ObjectMapper mapper) throws IOException {
            HostMessage.Pong p = (HostMessage.Pong) m;
            g.writeFieldName(Wire.PING_TIMESTAMP);
            if (p.pingTimestamp() == null) {
                g.writeNull();
            } else {
                g.writeNumber(p.pingTimestamp().longValue());
            }
            g.writeNumberField(Wire.SERVER_TIME, p.serverTime());
        }

        @Override
        public HostMessage read(WireReader in) throws IOException {
            Long ping = null;
            Long serverTime = null;
            for (String f; (f = in.nextField()) != null; ) {
                switch (f) {
                    case Wire.PING_TIMESTAMP -> ping = in.millis(f);
                    case Wire.SERVER_TIME -> serverTime = in.millis(f);
                    default -> in.skip();
                }
            }
            return new HostMessage.Pong(ping, or(serverTime, 0));
        }
    },

    /** The time to echo in the answer is the envelope's {@code timestamp}. */
    PING(MessageTypes.PING) {
        @Override
        public void write(JsonGenerator g, HostMessage m, ObjectMapper mapper) {
            // no fields
        }

        @Override
        public HostMessage read(WireReader in) throws IOException {
            for (String f; (f = in.nextField()) != null; ) {
                in.skip();
            }
            return HostMessage.Ping.INSTANCE;
        }
    },

    JOIN_PENDING(MessageTypes.JOIN_PENDING) {
        @Override
        public void write(JsonGenerator g, HostMessage m, ObjectMapper mapper) throws IOException {
            g.writeStringField(Wire.MESSAGE, ((HostMessage.JoinPending) m).message());
        }

        @Override
        public HostMessage read(WireReader in) throws IOException {
            return new HostMessage.JoinPending(readText(in, Wire.MESSAGE));
        }
    },

    MEMBERS_CHANGED(MessageTypes.MEMBERS_CHANGED) {
        @Override
        public void write(JsonGenerator g, HostMessage m, ObjectMapper mapper) throws IOException {
            HostMessage.MembersChanged c = (HostMessage.MembersChanged) m;
            g.writeFieldName(Wire.JOINED);
            writeMembers(g, c.joined());
            g.writeArrayFieldStart(Wire.LEFT);
            for (HostMessage.Departure d : c.left()) {
                g.writeStartObject();
                writeDepartureFields(g, d.deviceId(), d.reason());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeFieldName(Wire.UPDATED);
            writeMembers(g, c.updated());
        }

        @Override
        public HostMessage read(WireReader in) throws IOException {
            List<Member> joined = null;
            List<HostMessage.Departure> left = null;
            List<Member> updated = null;
            for (String f; (f = in.nextField()) != null; ) {
                switch (f) {
                    case Wire.JOINED -> joined = in.list(f, HostPayloads::readMember);
                    case Wire.LEFT -> left = in.list(f, HostPayloads::readDeparture);
                    case Wire.UPDATED -> updated = in.list(f, HostPayloads::readMember);
                    default -> in.skip();
                }
            }
            return new HostMessage.MembersChanged(joined != null ? joined : List.of(),
                    left != null ? left : List.of(), updated != null ? updated : List.of());
        }
    };

    private static final Map<String, HostPayload> BY_TYPE = new HashMap<>();
    private static final Map<String, MemberStatus> STATUSES = new HashMap<>();

    static {
        for (HostPayloads p : values()) {
            BY_TYPE.put(p.type, p);
        }
        for (HostPayloads11 p : HostPayloads11.values()) {
            BY_TYPE.put(p.type(), p);
        }
        for (MemberStatus s : MemberStatus.values()) {
            STATUSES.put(s.wireName(), s);
        }
    }

    final String type;

    HostPayloads(String type) {
        this.type = type;
    }

    /**
     * The payload of a host message of {@code type}, or null for any other type: one of these
     * (version 1) or of {@link HostPayloads11}.
     */
    static HostPayload of(String type) {
        return BY_TYPE.get(type);
    }

    @Override
    public String type() {
        return type;
    }

    /** The member object, in the order of {@code PROTOCOL.md}; {@code isHost} mirrors the role. */
    static void writeMember(JsonGenerator g, Member m) throws IOException {
        g.writeStartObject();
        g.writeStringField(Wire.ID, m.id());
        g.writeStringField(Wire.NAME, m.name());
        g.writeStringField(Wire.ROLE, m.role().wireName());
        g.writeBooleanField(Wire.IS_HOST, m.isHost());
        g.writeStringField(Wire.CONNECTION_STATUS, m.status().wireName());
        g.writeNumberField(Wire.JOINED_AT, m.joinedAt());
        g.writeFieldName(Wire.LATENCY);
        if (m.latencyMillis().isPresent()) {
            g.writeNumber(m.latencyMillis().getAsInt());
        } else {
            g.writeNull();
        }
        g.writeEndObject();
    }

    private static void writeMembers(JsonGenerator g, List<Member> members) throws IOException {
        g.writeStartArray();
        for (int i = 0; i < members.size(); i++) {
            writeMember(g, members.get(i));
        }
        g.writeEndArray();
    }

    /** A member object; null without {@code id} (a problem of the reader). */
    static Member readMember(WireReader in) throws IOException {
        String id = null;
        String name = null;
        String role = null;
        Boolean isHost = null;
        String status = null;
        Long joinedAt = null;
        Integer latency = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case Wire.ID -> id = in.string(f);
                case Wire.NAME -> name = in.string(f);
                case Wire.ROLE -> role = in.string(f);
                case Wire.IS_HOST -> isHost = in.bool(f);
                case Wire.CONNECTION_STATUS -> status = in.string(f);
                case Wire.JOINED_AT -> joinedAt = in.millis(f);
                case Wire.LATENCY -> latency = in.integer(f);
                default -> in.skip();
            }
        }
        if (id == null) {
            in.problem("Missing field '" + Wire.ID + "'");
            return null;
        }
        // Older peers read one of role and isHost, newer ones either: both count.
        boolean host = Member.Role.HOST.wireName().equals(role) || Boolean.TRUE.equals(isHost);
        Member.Role r = host ? Member.Role.HOST
                : Member.Role.COHOST.wireName().equals(role) ? Member.Role.COHOST : Member.Role.CLIENT;
        return new Member(id, name != null ? name : "", r,
                STATUSES.getOrDefault(status, MemberStatus.CONNECTED), or(joinedAt, 0),
                latency != null ? OptionalInt.of(latency) : OptionalInt.empty());
    }

    private static Member readMemberField(WireReader in) throws IOException {
        Member member = null;
        for (String f; (f = in.nextField()) != null; ) {
            if (f.equals(Wire.MEMBER)) {
                member = in.object(f, HostPayloads::readMember);
            } else {
                in.skip();
            }
        }
        if (member == null) {
            in.problem("Missing field '" + Wire.MEMBER + "'");
        }
        return member;
    }

    private static void writeDepartureFields(JsonGenerator g, String deviceId, LeaveReason reason)
            throws IOException {
        g.writeStringField(Wire.DEVICE_ID, deviceId);
        g.writeStringField(Wire.REASON, reason.wireText());
    }

    /** {@code {deviceId, reason}}; null without {@code deviceId} (a problem of the reader). */
    private static HostMessage.Departure readDeparture(WireReader in) throws IOException {
        String deviceId = null;
        String reason = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case Wire.DEVICE_ID -> deviceId = in.string(f);
                case Wire.REASON -> reason = in.string(f);
                default -> in.skip();
            }
        }
        if (deviceId == null) {
            in.problem("Missing field '" + Wire.DEVICE_ID + "'");
            return null;
        }
        LeaveReason r = reason != null ? LeaveReason.fromWireText(reason).orElse(null) : null;
        return new HostMessage.Departure(deviceId, r != null ? r : LeaveReason.CONNECTION_LOST);
    }

    /** A payload of one text field (either direction: guest payloads read theirs here too). */
    static String readText(WireReader in, String field) throws IOException {
        String text = null;
        for (String f; (f = in.nextField()) != null; ) {
            if (f.equals(field)) {
                text = in.string(f);
            } else {
                in.skip();
            }
        }
        return text;
    }

    static long or(Long value, long absent) {
        return value != null ? value : absent;
    }
}
