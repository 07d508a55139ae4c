package dev.loudsync.netty.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.MemberStatus;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.protocol.MessageTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The guest side's JSON: decodes what a host sends, encodes what a guest sends. Lenient where a host
 * following PROTOCOL.md may differ (unknown fields, missing extensions), since the client must work
 * with any conforming host; it is not on a hot path, so it works on trees.
 */
public final class ClientCodec {

    private final ObjectMapper mapper = new ObjectMapper();

    /** A host message with its envelope timestamp (0 when absent). */
    public record Incoming(String type, long timestamp, HostMessage message, Map<String, Object> payload) {
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** The decoded message, or null if the text is not a host message this client understands. */
    public Incoming decode(String text) {
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (root == null || !root.isObject() || !root.path("type").isTextual()) {
            return null;
        }
        String type = root.get("type").asText();
        long timestamp = root.path("timestamp").asLong(0);
        JsonNode p = root.path("payload");
        try {
            HostMessage m = message(type, p);
            Map<String, Object> payload = null;
            if (m == null && MessageTypes.isApplicationType(type)) {
                payload = p.isObject() ? mapper.convertValue(p, MAP) : Map.of();
            } else if (m == null) {
                return null;
            }
            return new Incoming(type, timestamp, m, payload);
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> MAP =
            new com.fasterxml.jackson.core.type.TypeReference<>() { };

    private static HostMessage message(String type, JsonNode p) {
        switch (type) {
            case MessageTypes.WELCOME:
                return new HostMessage.Welcome(p.path("sessionId").asText(), p.path("sessionName").asText(),
                        p.path("hostId").asText(), p.path("hostName").asText(), p.path("yourDeviceId").asText(),
                        p.path("protocolVersion").asText("1"), p.path("serverTime").asLong(0),
                        p.path("heartbeatIntervalMs").asLong(5000), p.path("heartbeatTimeoutMs").asLong(15000),
                        p.path("maxMembers").asInt(0), p.path("resumeToken").isTextual()
                                ? p.path("resumeToken").asText() : null);
            case MessageTypes.MEMBER_LIST:
                return new HostMessage.MemberList(members(p.path("members")));
            case MessageTypes.MEMBER_JOINED:
                return new HostMessage.MemberJoined(member(p.path("member")));
            case MessageTypes.MEMBER_UPDATED:
                return new HostMessage.MemberUpdated(member(p.path("member")));
            case MessageTypes.MEMBER_LEFT:
                return new HostMessage.MemberLeft(p.path("deviceId").asText(), reason(p.path("reason").asText()));
            case MessageTypes.KICKED:
                return new HostMessage.Kicked(p.path("reason").asText(""));
            case MessageTypes.SESSION_CLOSED:
                return new HostMessage.SessionClosed(p.path("reason").asText(""));
            case MessageTypes.ERROR:
                return new HostMessage.Error(errorCode(p.path("code").asText()), p.path("message").asText(""));
            case MessageTypes.PONG:
                return new HostMessage.Pong(p.path("pingTimestamp").isNumber() ? p.path("pingTimestamp").asLong()
                        : null, p.path("serverTime").asLong(0));
            case MessageTypes.PING:
                return HostMessage.Ping.INSTANCE;
            case MessageTypes.JOIN_PENDING:
                return new HostMessage.JoinPending(p.path("message").asText(""));
            case MessageTypes.MEMBERS_CHANGED:
                List<HostMessage.Departure> left = new ArrayList<>();
                for (JsonNode d : p.path("left")) {
                    left.add(new HostMessage.Departure(d.path("deviceId").asText(), reason(d.path("reason").asText())));
                }
                return new HostMessage.MembersChanged(members(p.path("joined")), left, members(p.path("updated")));
            default:
                return null;
        }
    }

    /** Unknown reasons map to CONNECTION_LOST so that a departure is never dropped. */
    private static LeaveReason reason(String text) {
        LeaveReason r = LeaveReason.fromWireText(text);
        return r != null ? r : LeaveReason.CONNECTION_LOST;
    }

    private static ErrorCode errorCode(String name) {
        try {
            return ErrorCode.of(name);
        } catch (IllegalArgumentException e) {
            return ErrorCode.INVALID_MESSAGE;
        }
    }

    private static List<Member> members(JsonNode array) {
        List<Member> list = new ArrayList<>();
        for (JsonNode m : array) {
            list.add(member(m));
        }
        return list;
    }

    private static Member member(JsonNode m) {
        boolean host = "host".equals(m.path("role").asText()) || m.path("isHost").asBoolean(false);
        MemberStatus status = MemberStatus.CONNECTED;
        for (MemberStatus s : MemberStatus.values()) {
            if (s.wireName().equals(m.path("connectionStatus").asText())) {
                status = s;
            }
        }
        JsonNode latency = m.path("latency");
        return new Member(m.path("id").asText(), m.path("name").asText(""), host ? Member.Role.HOST : Member.Role.CLIENT,
                status, m.path("joinedAt").asLong(0),
                latency.isNumber() ? OptionalInt.of(latency.asInt()) : OptionalInt.empty());
    }

    // ---- guest messages

    public String join(String sessionId, String deviceId, String deviceName, String pin, String resumeToken,
            List<String> capabilities, long timestamp) {
        ObjectNode p = mapper.createObjectNode();
        p.put("sessionId", sessionId).put("deviceId", deviceId).put("deviceName", deviceName).put("version", "1.0.0");
        if (pin != null) {
            p.put("pin", pin);
        }
        if (resumeToken != null) {
            p.put("resumeToken", resumeToken);
        }
        if (!capabilities.isEmpty()) {
            ArrayNode caps = p.putArray("capabilities");
            capabilities.forEach(caps::add);
        }
        return envelope(MessageTypes.JOIN, timestamp, p);
    }

    public String heartbeat(String deviceId, Integer latency, long timestamp) {
        ObjectNode p = mapper.createObjectNode().put("deviceId", deviceId);
        if (latency != null) {
            p.put("latency", latency);
        }
        return envelope(MessageTypes.HEARTBEAT, timestamp, p);
    }

    public String ping(long timestamp) {
        return envelope(MessageTypes.PING, timestamp, mapper.createObjectNode());
    }

    public String pong(long pingTimestamp, long timestamp) {
        return envelope(MessageTypes.PONG, timestamp, mapper.createObjectNode().put("pingTimestamp", pingTimestamp));
    }

    public String leave(long timestamp) {
        return envelope(MessageTypes.LEAVE, timestamp, mapper.createObjectNode());
    }

    /**
     * An application message; the payload may be a Jackson tree, a map or any value the mapper writes
     * as a JSON object.
     *
     * @throws IllegalArgumentException if the payload is not a JSON object
     */
    public String application(String type, Object payload, long timestamp) {
        JsonNode tree = payload == null ? mapper.createObjectNode() : mapper.valueToTree(payload);
        if (!tree.isObject()) {
            throw new IllegalArgumentException("payload: must be a JSON object, was " + tree.getNodeType());
        }
        return envelope(type, timestamp, (ObjectNode) tree);
    }

    private String envelope(String type, long timestamp, ObjectNode payload) {
        ObjectNode root = mapper.createObjectNode();
        root.put("type", type).put("timestamp", timestamp).set("payload", payload);
        return root.toString();
    }
}
