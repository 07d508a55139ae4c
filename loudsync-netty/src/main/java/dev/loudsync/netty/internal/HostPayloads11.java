package dev.loudsync.netty.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.protocol.MessageTypes;
import java.io.IOException;
import java.util.Map;

/**
 * The payloads of the host-to-guest messages that protocol 1.1 added, as {@link HostPayloads}
 * defines those of version 1, with the same rules: writing is exact (every field, in the order of
 * {@code PROTOCOL.md}; only {@code ACK.result} is left out when null), reading is lenient where a
 * host may differ (texts default to {@code ""}, numbers to 0) and refuses what it cannot stand for:
 * an {@code ACK} without {@code replyTo}, a {@code HOST_CHANGED} without {@code hostId}, a
 * {@code JOIN_REQUESTED} or {@code JOIN_REQUEST_ENDED} without {@code deviceId}, an
 * {@code outcome} this version does not know (a later one may mean anything), a {@code STATE}
 * without {@code state} or a {@code STATE_PATCH} without {@code patch} or {@code version} is a
 * problem: the message is not understood.
 */
enum HostPayloads11 implements HostPayload {

    /** {@code result} is any JSON value; absent when the handler returned none. */
    ACK(MessageTypes.ACK) {
        @Override
        public void write(JsonGenerator g, HostMessage m, ObjectMapper mapper) throws IOException {
            HostMessage.Ack a = (HostMessage.Ack) m;
            g.writeStringField(Wire.REPLY_TO, a.replyTo());
            if (a.result() != null) {
                g.writeFieldName(Wire.RESULT);
                Wire.writeValue(g, a.result(), mapper);
            }
        }

        @Override
        public HostMessage read(WireReader in) throws IOException {
            String replyTo = null;
            Object result = null;
            for (String f; (f = in.nextField()) != null; ) {
                switch (f) {
                    case Wire.REPLY_TO -> replyTo = in.string(f);
                    case Wire.RESULT -> result = in.value();
                    default -> in.skip();
                }
            }
            return replyTo == null ? missing(in, Wire.REPLY_TO) : new HostMessage.Ack(replyTo, result);
        }
    },

    HOST_CHANGED(MessageTypes.HOST_CHANGED) {
        @Override
        public void write(JsonGenerator g, HostMessage m, ObjectMapper mapper) throws IOException {
            HostMessage.HostChanged h = (HostMessage.HostChanged) m;
            g.writeStringField(Wire.HOST_ID, h.hostId());
            g.writeStringField(Wire.HOST_NAME, h.hostName());
            g.writeStringField(Wire.PREVIOUS_HOST_ID, h.previousHostId());
            g.writeStringField(Wire.REASON, h.reason());
        }

        @Override
        public HostMessage read(WireReader in) throws IOException {
            String hostId = null;
            String hostName = null;
            String previous = null;
            String reason = null;
            for (String f; (f = in.nextField()) != null; ) {
                switch (f) {
                    case Wire.HOST_ID -> hostId = in.string(f);
                    case Wire.HOST_NAME -> hostName = in.string(f);
                    case Wire.PREVIOUS_HOST_ID -> previous = in.string(f);
                    case Wire.REASON -> reason = in.string(f);
                    default -> in.skip();
                }
            }
            return hostId == null ? missing(in, Wire.HOST_ID)
                    : new HostMessage.HostChanged(hostId, text(hostName), text(previous), text(reason));
        }
    },

    JOIN_REQUESTED(MessageTypes.JOIN_REQUESTED) {
        @Override
        public void write(JsonGenerator g, HostMessage m, ObjectMapper mapper) throws IOException {
            HostMessage.JoinRequested r = (HostMessage.JoinRequested) m;
            g.writeStringField(Wire.DEVICE_ID, r.deviceId());
            g.writeStringField(Wire.DEVICE_NAME, r.deviceName());
        }

        @Override
        public HostMessage read(WireReader in) throws IOException {
            String deviceId = null;
            String deviceName = null;
            for (String f; (f = in.nextField()) != null; ) {
                switch (f) {
                    case Wire.DEVICE_ID -> deviceId = in.string(f);
                    case Wire.DEVICE_NAME -> deviceName = in.string(f);
                    default -> in.skip();
                }
            }
            return deviceId == null ? missing(in, Wire.DEVICE_ID)
                    : new HostMessage.JoinRequested(deviceId, text(deviceName));
        }
    },

    JOIN_REQUEST_ENDED(MessageTypes.JOIN_REQUEST_ENDED) {
        @Override
        public void write(JsonGenerator g, HostMessage m, ObjectMapper mapper) throws IOException {
            HostMessage.JoinRequestEnded e = (HostMessage.JoinRequestEnded) m;
            g.writeStringField(Wire.DEVICE_ID, e.deviceId());
            g.writeStringField(Wire.OUTCOME, e.outcome().wireName());
        }

        @Override
        public HostMessage read(WireReader in) throws IOException {
            String deviceId = null;
            String outcome = null;
            for (String f; (f = in.nextField()) != null; ) {
                switch (f) {
                    case Wire.DEVICE_ID -> deviceId = in.string(f);
                    case Wire.OUTCOME -> outcome = in.string(f);
                    default -> in.skip();
                }
            }
            if (deviceId == null) {
                return missing(in, Wire.DEVICE_ID);
            }
            for (HostMessage.Outcome o : HostMessage.Outcome.values()) {
                if (o.wireName().equals(outcome)) {
                    return new HostMessage.JoinRequestEnded(deviceId, o);
                }
            }
            in.problem("Unknown outcome");
            return null;
        }
    },

    STATE(MessageTypes.STATE) {
        @Override
        public void write(JsonGenerator g, HostMessage m, ObjectMapper mapper) throws IOException {
            HostMessage.State s = (HostMessage.State) m;
            g.writeNumberField(Wire.VERSION, s.version());
            g.writeFieldName(Wire.STATE);
            Wire.writeMap(g, s.state(), mapper);
        }

        @Override
        public HostMessage read(WireReader in) throws IOException {
            Long version = null;
            Map<String, Object> state = null;
            for (String f; (f = in.nextField()) != null; ) {
                switch (f) {
                    case Wire.VERSION -> version = in.millis(f);
                    case Wire.STATE -> state = in.values(f);
                    default -> in.skip();
                }
            }
            return state == null ? missing(in, Wire.STATE) : new HostMessage.State(HostPayloads.or(version, 0), state);
        }
    },

    /** {@code patch} may hold {@code null} values: they remove keys. */
    STATE_PATCH(MessageTypes.STATE_PATCH) {
        @Override
        public void write(JsonGenerator g, HostMessage m, ObjectMapper mapper) throws IOException {
            HostMessage.StatePatch p = (HostMessage.StatePatch) m;
            g.writeNumberField(Wire.VERSION, p.version());
            g.writeFieldName(Wire.PATCH);
            Wire.writeMap(g, p.patch(), mapper);
        }

        @Override
        public HostMessage read(WireReader in) throws IOException {
            Long version = null;
            Map<String, Object> patch = null;
            for (String f; (f = in.nextField()) != null; ) {
                switch (f) {
                    case Wire.VERSION -> version = in.millis(f);
                    case Wire.PATCH -> patch = in.values(f);
                    default -> in.skip();
                }
            }
            // without its version a patch cannot be placed: applying it could corrupt the view
            return patch == null ? missing(in, Wire.PATCH) : version == null ? missing(in, Wire.VERSION)
                    : new HostMessage.StatePatch(version, patch);
        }
    };

    private final String type;

    HostPayloads11(String type) {
        this.type = type;
    }

    @Override
    public String type() {
        return type;
    }

    private static HostMessage missing(WireReader in, String field) {
        in.problem("Missing field '" + field + "'");
        return null;
    }

    private static String text(String s) {
        return s != null ? s : "";
    }
}
