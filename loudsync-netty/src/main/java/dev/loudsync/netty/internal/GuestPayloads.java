package dev.loudsync.netty.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.MessageTypes;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The payloads of the protocol's guest-to-host messages, each defined once: how a client writes it
 * ({@link ClientCodec}) and how a host reads it back ({@link GuestDecoder}). Application messages
 * are not here: their payload is the application's own object.
 *
 * <p>A new guest message is one constant here (and its record in {@link GuestMessage}). The
 * envelope's request {@code id} (1.1) is not part of a payload: the codecs read and write it around
 * the payload, and {@link #withId} puts it in the message.
 *
 * <p>Writing leaves out fields without a value. Reading passes fields on as sent ({@code null}
 * when absent): the session judges them.
 */
enum GuestPayloads {

    JOIN(MessageTypes.JOIN) {
        @Override
        void write(JsonGenerator g, GuestMessage m) throws IOException {
            GuestMessage.Join j = (GuestMessage.Join) m;
            writeString(g, Wire.SESSION_ID, j.sessionId());
            writeString(g, Wire.DEVICE_ID, j.deviceId());
            writeString(g, Wire.DEVICE_NAME, j.deviceName());
            writeString(g, Wire.VERSION, j.version());
            writeString(g, Wire.PIN, j.pin());
            writeString(g, Wire.RESUME_TOKEN, j.resumeToken());
            writeString(g, Wire.AUTH, j.auth());
            if (!j.capabilities().isEmpty()) {
                g.writeArrayFieldStart(Wire.CAPABILITIES);
                for (String c : j.capabilities()) {
                    g.writeString(c);
                }
                g.writeEndArray();
            }
        }

        @Override
        GuestMessage read(WireReader in) throws IOException {
            String sessionId = null;
            String deviceId = null;
            String deviceName = null;
            String version = null;
            String pin = null;
            String resumeToken = null;
            Set<String> capabilities = null;
            String auth = null;
            for (String f; (f = in.nextField()) != null; ) {
                switch (f) {
                    case Wire.SESSION_ID -> sessionId = in.string(f);
                    case Wire.DEVICE_ID -> deviceId = in.string(f);
                    case Wire.DEVICE_NAME -> deviceName = in.string(f);
                    case Wire.VERSION -> version = in.string(f);
                    case Wire.PIN -> pin = in.string(f);
                    case Wire.RESUME_TOKEN -> resumeToken = in.string(f);
                    case Wire.CAPABILITIES -> capabilities = in.strings(f);
                    case Wire.AUTH -> auth = in.string(f, Wire.MAX_AUTH_CHARS);
                    default -> in.skip();
                }
            }
            return new GuestMessage.Join(sessionId, deviceId, deviceName, version, pin, resumeToken, capabilities,
                    auth);
        }
    },

    LEAVE(MessageTypes.LEAVE) {
        @Override
        void write(JsonGenerator g, GuestMessage m) throws IOException {
            writeString(g, Wire.REASON, ((GuestMessage.Leave) m).reason());
        }

        @Override
        GuestMessage read(WireReader in) throws IOException {
            String reason = null;
            for (String f; (f = in.nextField()) != null; ) {
                if (f.equals(Wire.REASON)) {
                    reason = in.string(f);
                } else {
                    in.skip();
                }
            }
            return new GuestMessage.Leave(reason);
        }
    },

    HEARTBEAT(MessageTypes.HEARTBEAT) {
        @Override
        void write(JsonGenerator g, GuestMessage m) throws IOException {
            GuestMessage.Heartbeat h = (GuestMessage.Heartbeat) m;
            writeString(g, Wire.DEVICE_ID, h.deviceId());
            if (h.latencyMillis() != null) {
                g.writeNumberField(Wire.LATENCY, h.latencyMillis().longValue());
            }
        }

        @Override
        GuestMessage read(WireReader in) throws IOException {
            String deviceId = null;
            Long latency = null;
            for (String f; (f = in.nextField()) != null; ) {
                switch (f) {
                    case Wire.DEVICE_ID -> deviceId = in.string(f);
                    case Wire.LATENCY -> latency = in.millis(f);
                    default -> in.skip();
                }
            }
            return new GuestMessage.Heartbeat(deviceId, latency);
        }
    },

    /** The time a guest's {@code PING} asks to have echoed is its envelope's {@code timestamp}. */
    PING(MessageTypes.PING) {
        @Override
        void write(JsonGenerator g, GuestMessage m) {
            // no fields
        }

        @Override
        GuestMessage read(WireReader in) throws IOException {
            for (String f; (f = in.nextField()) != null; ) {
                in.skip();
            }
            return new GuestMessage.Ping(null);
        }

        @Override
        Long envelopeTimestamp(GuestMessage m, long clock) {
            return ((GuestMessage.Ping) m).timestamp(); // none when the ping has none
        }

        @Override
        GuestMessage withTimestamp(GuestMessage m, Long timestamp) {
            return new GuestMessage.Ping(timestamp);
        }
    },

    PONG(MessageTypes.PONG) {
        @Override
        void write(JsonGenerator g, GuestMessage m) throws IOException {
            Long ping = ((GuestMessage.Pong) m).pingTimestamp();
            if (ping != null) {
                g.writeNumberField(Wire.PING_TIMESTAMP, ping.longValue());
            }
        }

        @Override
        GuestMessage read(WireReader in) throws IOException {
            Long ping = null;
            for (String f; (f = in.nextField()) != null; ) {
                if (f.equals(Wire.PING_TIMESTAMP)) {
                    ping = in.millis(f);
                } else {
                    in.skip();
                }
            }
            return new GuestMessage.Pong(ping);
        }
    },

    KICK(MessageTypes.KICK) {
        @Override
        void write(JsonGenerator g, GuestMessage m) throws IOException {
            GuestMessage.Kick k = (GuestMessage.Kick) m;
            writeString(g, Wire.DEVICE_ID, k.deviceId());
            writeString(g, Wire.REASON, k.reason());
            if (k.ban()) {
                g.writeBooleanField(Wire.BAN, true);
            }
        }

        @Override
        GuestMessage read(WireReader in) throws IOException {
            String deviceId = null;
            String reason = null;
            Boolean ban = null;
            for (String f; (f = in.nextField()) != null; ) {
                switch (f) {
                    case Wire.DEVICE_ID -> deviceId = in.string(f);
                    case Wire.REASON -> reason = in.string(f);
                    case Wire.BAN -> ban = in.bool(f);
                    default -> in.skip();
                }
            }
            return new GuestMessage.Kick(deviceId, reason, Boolean.TRUE.equals(ban), null);
        }

        @Override
        GuestMessage withId(GuestMessage m, String id) {
            GuestMessage.Kick k = (GuestMessage.Kick) m;
            return new GuestMessage.Kick(k.deviceId(), k.reason(), k.ban(), id);
        }
    },

    SET_ROLE(MessageTypes.SET_ROLE) {
        @Override
        void write(JsonGenerator g, GuestMessage m) throws IOException {
            GuestMessage.SetRole r = (GuestMessage.SetRole) m;
            writeString(g, Wire.DEVICE_ID, r.deviceId());
            writeString(g, Wire.ROLE, r.role());
        }

        @Override
        GuestMessage read(WireReader in) throws IOException {
            String deviceId = null;
            String role = null;
            for (String f; (f = in.nextField()) != null; ) {
                switch (f) {
                    case Wire.DEVICE_ID -> deviceId = in.string(f);
                    case Wire.ROLE -> role = in.string(f);
                    default -> in.skip();
                }
            }
            return new GuestMessage.SetRole(deviceId, role, null);
        }

        @Override
        GuestMessage withId(GuestMessage m, String id) {
            GuestMessage.SetRole r = (GuestMessage.SetRole) m;
            return new GuestMessage.SetRole(r.deviceId(), r.role(), id);
        }
    },

    APPROVE(MessageTypes.APPROVE) {
        @Override
        void write(JsonGenerator g, GuestMessage m) throws IOException {
            writeString(g, Wire.DEVICE_ID, ((GuestMessage.Approve) m).deviceId());
        }

        @Override
        GuestMessage read(WireReader in) throws IOException {
            return new GuestMessage.Approve(HostPayloads.readText(in, Wire.DEVICE_ID), null);
        }

        @Override
        GuestMessage withId(GuestMessage m, String id) {
            return new GuestMessage.Approve(((GuestMessage.Approve) m).deviceId(), id);
        }
    },

    DENY(MessageTypes.DENY) {
        @Override
        void write(JsonGenerator g, GuestMessage m) throws IOException {
            writeString(g, Wire.DEVICE_ID, ((GuestMessage.Deny) m).deviceId());
        }

        @Override
        GuestMessage read(WireReader in) throws IOException {
            return new GuestMessage.Deny(HostPayloads.readText(in, Wire.DEVICE_ID), null);
        }

        @Override
        GuestMessage withId(GuestMessage m, String id) {
            return new GuestMessage.Deny(((GuestMessage.Deny) m).deviceId(), id);
        }
    },

    TRANSFER_HOST(MessageTypes.TRANSFER_HOST) {
        @Override
        void write(JsonGenerator g, GuestMessage m) throws IOException {
            writeString(g, Wire.DEVICE_ID, ((GuestMessage.TransferHost) m).deviceId());
        }

        @Override
        GuestMessage read(WireReader in) throws IOException {
            return new GuestMessage.TransferHost(HostPayloads.readText(in, Wire.DEVICE_ID), null);
        }

        @Override
        GuestMessage withId(GuestMessage m, String id) {
            return new GuestMessage.TransferHost(((GuestMessage.TransferHost) m).deviceId(), id);
        }
    },

    END_SESSION(MessageTypes.END_SESSION) {
        @Override
        void write(JsonGenerator g, GuestMessage m) throws IOException {
            writeString(g, Wire.REASON, ((GuestMessage.EndSession) m).reason());
        }

        @Override
        GuestMessage read(WireReader in) throws IOException {
            return new GuestMessage.EndSession(HostPayloads.readText(in, Wire.REASON), null);
        }

        @Override
        GuestMessage withId(GuestMessage m, String id) {
            return new GuestMessage.EndSession(((GuestMessage.EndSession) m).reason(), id);
        }
    };

    private static final Map<String, GuestPayloads> BY_TYPE = new HashMap<>();

    static {
        for (GuestPayloads p : values()) {
            BY_TYPE.put(p.type, p);
        }
    }

    final String type;

    GuestPayloads(String type) {
        this.type = type;
    }

    /** The payload of a guest message of {@code type}, or null for any other type. */
    static GuestPayloads of(String type) {
        return BY_TYPE.get(type);
    }

    /** Writes the payload's fields (inside its object) of {@code m}, a message of this type. */
    abstract void write(JsonGenerator g, GuestMessage m) throws IOException;

    /** Reads the payload from its first field to its end. */
    abstract GuestMessage read(WireReader in) throws IOException;

    /**
     * The envelope {@code timestamp} of {@code m}: the sender's {@code clock}, unless the message
     * carries its own (null: none is written).
     */
    Long envelopeTimestamp(GuestMessage m, long clock) {
        return clock;
    }

    /** The message read from the payload, completed with its envelope's {@code timestamp}. */
    GuestMessage withTimestamp(GuestMessage m, Long timestamp) {
        return m;
    }

    /**
     * The message read from the payload, completed with its envelope's request {@code id} (1.1);
     * the types that take none ({@link MessageTypes#takesRequestId}) return {@code m} as it is.
     */
    GuestMessage withId(GuestMessage m, String id) {
        return m;
    }


    private static void writeString(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }
}
