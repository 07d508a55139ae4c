package dev.loudsync.netty.discovery.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionCodes;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.protocol.ProtocolRules;
import io.netty.util.NetUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a host tells the LAN about one open session: the fields of the UDP beacon (one JSON object
 * per datagram) and of the DNS-SD TXT record.
 *
 * <p>Parsing never throws: anything that is not a valid announcement is {@code null}. Valid means:
 * strict JSON (no duplicate names, nothing after the object, nesting at most {@value #MAX_DEPTH}),
 * at most {@value #MAX_DATAGRAM_BYTES} bytes, every field present with its JSON type (no coercion),
 * {@code sessionId} as {@link SessionConfig.Builder#sessionId} accepts it, names of 1 to 64
 * characters without control characters, {@code hostId} of 1 to 128 characters,
 * {@code hostAddress} an IP address literal (never looked up), ports 1 to 65535,
 * {@code 0 <= memberCount <= maxMembers <= 100000} and {@code protocolVersion} 1. Unknown fields
 * are ignored.
 *
 * <p>Hosts built to the original design send neither {@code protocolVersion} nor
 * {@code pinRequired}: a beacon or TXT record without them is read as version 1 with no PIN, and
 * is not {@linkplain #loudSyncNative native}. A field that is present must be valid either way.
 * LoudSync's own hosts always send both, so a host that sends only one of them is not taken for one.
 *
 * @param sessionId       the session id as configured
 * @param sessionName     the session's display name
 * @param hostId          the host device's id
 * @param hostName        the host device's display name
 * @param hostAddress     the address the host advertises from
 * @param port            the server's port
 * @param memberCount     members, host included
 * @param maxMembers      capacity, host included
 * @param protocolVersion the protocol major version
 * @param pinRequired     whether joining needs a PIN
 * @param loudSyncNative  whether the announcement has every field of this protocol
 *                        ({@code protocolVersion} and {@code pinRequired}), as LoudSync's hosts send
 *                        it; false for one in the original, shorter format
 */
public record Beacon(String sessionId, String sessionName, String hostId, String hostName, InetAddress hostAddress,
        int port, int memberCount, int maxMembers, int protocolVersion, boolean pinRequired,
        boolean loudSyncNative) {

    /** The largest accepted datagram. */
    public static final int MAX_DATAGRAM_BYTES = 2048;
    /** The protocol major version this code speaks. */
    static final int MAX_DEPTH = 3;


    private static final JsonFactory JSON = new JsonFactoryBuilder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_DATAGRAM_BYTES)
                    .maxNameLength(MAX_DATAGRAM_BYTES)
                    .maxNumberLength(32)
                    .build())
            .build();

    public Beacon {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(sessionName, "sessionName");
        Objects.requireNonNull(hostId, "hostId");
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(hostAddress, "hostAddress");
    }

    /** The announcement of {@code session} as served on {@code hostAddress:port}, with its current members. */
    public static Beacon of(Session session, InetAddress hostAddress, int port) {
        SessionConfig c = session.config();
        return new Beacon(c.sessionId(), c.name(), c.hostId(), c.hostName(), hostAddress, port,
                session.members().size(), c.maxMembers(), ProtocolRules.MAJOR_VERSION, c.pin().isPresent(), true);
    }

    /** The session id in the form ids compare in ({@link SessionCodes#normalize}). */
    public String normalizedSessionId() {
        return SessionCodes.normalize(sessionId);
    }

    /** The host address as text, without scope or brackets. */
    public String hostAddressText() {
        return NetUtil.toAddressString(hostAddress);
    }

    /**
     * The beacon datagram: one UTF-8 JSON object with exactly the ten fields, in protocol order
     * (eight, without {@code protocolVersion} and {@code pinRequired}, for one in the original format).
     */
    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("sessionId", sessionId);
            g.writeStringField("sessionName", sessionName);
            g.writeStringField("hostId", hostId);
            g.writeStringField("hostName", hostName);
            g.writeStringField("hostAddress", hostAddressText());
            g.writeNumberField("port", port);
            g.writeNumberField("memberCount", memberCount);
            g.writeNumberField("maxMembers", maxMembers);
            if (loudSyncNative) {
                g.writeNumberField("protocolVersion", protocolVersion);
                g.writeBooleanField("pinRequired", pinRequired);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
    }

    /** The DNS-SD TXT record: the beacon's fields as strings. */
    public Map<String, String> toTxt() {
        Map<String, String> txt = new LinkedHashMap<>();
        txt.put("sessionId", sessionId);
        txt.put("sessionName", sessionName);
        txt.put("hostId", hostId);
        txt.put("hostName", hostName);
        txt.put("hostAddress", hostAddressText());
        txt.put("port", Integer.toString(port));
        txt.put("memberCount", Integer.toString(memberCount));
        txt.put("maxMembers", Integer.toString(maxMembers));
        if (loudSyncNative) {
            txt.put("protocolVersion", Integer.toString(protocolVersion));
            txt.put("pinRequired", Boolean.toString(pinRequired));
        }
        return txt;
    }

    /**
     * Reads a beacon datagram.
     *
     * @return the beacon, or {@code null} if the bytes are not a valid one (see the class comment)
     */
    public static Beacon parse(byte[] data, int offset, int length) {
        if (length <= 0 || length > MAX_DATAGRAM_BYTES) {
            return null;
        }
        String sessionId = null;
        String sessionName = null;
        String hostId = null;
        String hostName = null;
        String hostAddress = null;
        Integer port = null;
        Integer memberCount = null;
        Integer maxMembers = null;
        Integer protocolVersion = null;
        Boolean pinRequired = null;
        boolean versionSeen = false;
        boolean pinSeen = false;
        try (JsonParser p = JSON.createParser(data, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "sessionId":
                        sessionId = string(p, value);
                        break;
                    case "sessionName":
                        sessionName = string(p, value);
                        break;
                    case "hostId":
                        hostId = string(p, value);
                        break;
                    case "hostName":
                        hostName = string(p, value);
                        break;
                    case "hostAddress":
                        hostAddress = string(p, value);
                        break;
                    case "port":
                        port = integer(p, value);
                        break;
                    case "memberCount":
                        memberCount = integer(p, value);
                        break;
                    case "maxMembers":
                        maxMembers = integer(p, value);
                        break;
                    case "protocolVersion":
                        protocolVersion = integer(p, value);
                        versionSeen = true;
                        break;
                    case "pinRequired":
                        pinRequired = value == JsonToken.VALUE_TRUE ? Boolean.TRUE
                                : value == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
                        if (pinRequired == null) {
                            return null;
                        }
                        pinSeen = true;
                        break;
                    default:
                        p.skipChildren(); // unknown fields are ignored, but must be well-formed
                        break;
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
        } catch (IOException | RuntimeException e) {
            // Malformed JSON, a duplicate name, too deep, a wrong type: not a beacon.
            return null;
        }
        return validated(sessionId, sessionName, hostId, hostName, hostAddress, port, memberCount, maxMembers,
                versionSeen ? protocolVersion : null, pinSeen ? pinRequired : null, versionSeen, pinSeen);
    }

    /**
     * Reads a DNS-SD TXT record with the beacon's fields as strings. {@code hostAddress} and
     * {@code port}, when absent, are taken from the service's address and SRV record.
     *
     * @return the announcement, or {@code null} if the record is not a valid one
     */
    public static Beacon fromTxt(Map<String, String> txt, InetAddress serviceAddress, int servicePort) {
        String hostAddress = txt.get("hostAddress");
        if (hostAddress == null && serviceAddress != null) {
            hostAddress = NetUtil.toAddressString(serviceAddress);
        }
        String port = txt.get("port");
        if (port == null && servicePort > 0) {
            port = Integer.toString(servicePort);
        }
        String pin = txt.get("pinRequired");
        Boolean pinRequired = "true".equals(pin) ? Boolean.TRUE : "false".equals(pin) ? Boolean.FALSE : null;
        String version = txt.get("protocolVersion");
        return validated(txt.get("sessionId"), txt.get("sessionName"), txt.get("hostId"), txt.get("hostName"),
                hostAddress, decimal(port), decimal(txt.get("memberCount")), decimal(txt.get("maxMembers")),
                decimal(version), pinRequired, version != null, pin != null);
    }

    private static String string(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw new IOException("not a string");
        }
        return p.getText();
    }

    private static Integer integer(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            throw new IOException("not an int");
        }
        return p.getIntValue();
    }

    /** A plain decimal of at most 9 digits, or null. */
    private static Integer decimal(String s) {
        if (s == null || s.isEmpty() || s.length() > 9) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return null;
            }
        }
        return Integer.parseInt(s);
    }

    private static Beacon validated(String sessionId, String sessionName, String hostId, String hostName,
            String hostAddress, Integer port, Integer memberCount, Integer maxMembers, Integer protocolVersion,
            Boolean pinRequired, boolean versionSent, boolean pinSent) {
        // Absent (the original format): version 1, no PIN. Present: it must be valid.
        if (!versionSent) {
            protocolVersion = ProtocolRules.MAJOR_VERSION;
        }
        if (!pinSent) {
            pinRequired = Boolean.FALSE;
        }
        if (!ProtocolRules.isSessionId(sessionId) || !ProtocolRules.isDisplayName(sessionName)
                || !ProtocolRules.isDisplayName(hostName) || !ProtocolRules.isDeviceId(hostId)
                || hostAddress == null || hostAddress.length() > 64
                || port == null || port < 1 || port > 65_535
                || maxMembers == null || maxMembers < 1 || maxMembers > ProtocolRules.MAX_MEMBERS
                || memberCount == null || memberCount < 0 || memberCount > maxMembers
                || protocolVersion == null || protocolVersion != ProtocolRules.MAJOR_VERSION
                || pinRequired == null) {
            return null;
        }
        // Only a literal: a host name here would make the guest look it up.
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(hostAddress);
        if (address == null || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return null;
        }
        return new Beacon(sessionId, sessionName, hostId, hostName, address, port, memberCount, maxMembers,
                protocolVersion, pinRequired, versionSent && pinSent);
    }
}
