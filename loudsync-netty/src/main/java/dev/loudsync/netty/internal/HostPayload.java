package dev.loudsync.netty.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loudsync.core.protocol.HostMessage;
import java.io.IOException;

/**
 * The payload of one host-to-guest message type, defined once for both ends: how a host writes it
 * ({@link HostEncoder}) and how a client reads it back ({@link ClientCodec}). The constants of
 * {@link HostPayloads} (version 1) and {@link HostPayloads11} (1.1) are all of them; find one with
 * {@link HostPayloads#of(String)}.
 */
interface HostPayload {

    /** The envelope's {@code type}. */
    String type();

    /**
     * Writes the payload's fields (inside its object) of {@code m}, a message of this type;
     * {@code mapper} writes values that are not plain Java values.
     */
    void write(JsonGenerator g, HostMessage m, ObjectMapper mapper) throws IOException;

    /**
     * Reads the payload from its first field to its end. When the reader has a
     * {@linkplain WireReader#problem() problem} afterwards, the result (possibly null) is not the
     * message that was sent.
     */
    HostMessage read(WireReader in) throws IOException;
}
