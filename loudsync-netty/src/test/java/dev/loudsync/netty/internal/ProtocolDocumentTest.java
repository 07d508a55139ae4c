package dev.loudsync.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.protocol.MessageTypes;
import dev.loudsync.netty.discovery.internal.Beacon;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The examples of {@code docs/PROTOCOL.md} are what LoudSync really sends and reads. Each fenced
 * example is tagged with what it is ({@code json host}, {@code json guest}, {@code json member},
 * {@code json beacon}; {@code text conversation} for a transcript whose lines start with
 * {@code →} or {@code ←}) and, when it shows protocol 1.1, {@code 1.1}. Every example must:
 *
 * <ul>
 *   <li>be strict JSON and valid against the schema of its type and direction, naming no field the
 *       schema does not (as {@link WireSchemaTest} requires of the codec's frames);</li>
 *   <li>come out of the codec unchanged: a host frame read by the client's codec and written again by
 *       the host's encoder gives the same bytes; a guest frame read by the host's decoder and written
 *       again by the client's codec gives the same JSON; a beacon read and written again gives the
 *       same bytes.</li>
 * </ul>
 *
 * <p>The second check runs for version-1 examples always, and for 1.1 examples (1.1 types, or
 * examples tagged {@code 1.1}) once the codec speaks 1.1, which {@link #codecSpeaks11()} finds
 * out by encoding an {@code ACK}. Until then those checks are reported as skipped, not passed.
 */
class ProtocolDocumentTest {

    /** The types of protocol version 1; every other protocol type came with 1.1. */
    private static final Set<String> VERSION_1 = Set.of(MessageTypes.JOIN, MessageTypes.LEAVE,
            MessageTypes.HEARTBEAT, MessageTypes.PING, MessageTypes.PONG, MessageTypes.WELCOME,
            MessageTypes.MEMBER_LIST, MessageTypes.MEMBER_JOINED, MessageTypes.MEMBER_LEFT,
            MessageTypes.MEMBER_UPDATED, MessageTypes.KICKED, MessageTypes.SESSION_CLOSED, MessageTypes.ERROR,
            MessageTypes.JOIN_PENDING, MessageTypes.MEMBERS_CHANGED);

    private static final String HOST = WireSchemaTest.HOST;
    private static final String GUEST = WireSchemaTest.GUEST;

    /** One example of the document: its kind (host, guest, member, beacon), whether it is 1.1, its JSON, its line. */
    record Example(String kind, boolean v11, String json, int line) {

        String type() {
            return kind.equals(HOST) || kind.equals(GUEST) ? WireSchemaTest.tree(json).path("type").asText() : kind;
        }

        boolean needs11() {
            return v11 || (kind.equals(HOST) || kind.equals(GUEST)) && MessageTypes.isProtocolType(type())
                    && !VERSION_1.contains(type());
        }

        @Override
        public String toString() {
            return "PROTOCOL.md:" + line + " " + kind + " " + type();
        }
    }

    static List<Example> examples() {
        List<String> lines;
        try {
            lines = Files.readAllLines(WireSchemaTest.DOCS.resolve("PROTOCOL.md"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Example> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String fence = lines.get(i).strip();
            if (!fence.startsWith("```json ") && !fence.equals("```text conversation")) {
                continue;
            }
            List<String> tags = List.of(fence.substring(3).split(" "));
            int start = i + 1;
            StringBuilder body = new StringBuilder();
            List<Example> lineExamples = new ArrayList<>();
            for (i = start; !lines.get(i).strip().equals("```"); i++) {
                String line = lines.get(i).strip();
                if (tags.get(0).equals("text")) {
                    if (line.startsWith("→ ") || line.startsWith("← ")) {
                        lineExamples.add(new Example(line.startsWith("→") ? GUEST : HOST, false,
                                line.substring(2), i + 1));
                    }
                } else {
                    body.append(line);
                }
            }
            if (tags.get(0).equals("text")) {
                found.addAll(lineExamples);
            } else {
                found.add(new Example(tags.get(1), tags.contains("1.1"), body.toString(), start));
            }
        }
        return found;
    }

    @Test
    void theDocumentHasAnExampleOfEveryMessageInEachDirection() throws IOException {
        List<Example> all = examples();
        assertThat(all).hasSizeGreaterThan(40);
        for (String direction : List.of(HOST, GUEST)) {
            Set<String> shown = new TreeSet<>();
            for (Example e : all) {
                if (e.kind().equals(direction)) {
                    shown.add(MessageTypes.isProtocolType(e.type()) ? e.type() : "application");
                }
            }
            Set<String> schemas = new TreeSet<>();
            try (Stream<Path> files = Files.list(WireSchemaTest.SCHEMAS.resolve(direction))) {
                files.forEach(f -> schemas.add(f.getFileName().toString().replace(".json", "")));
            }
            assertThat(shown).as("the %s messages PROTOCOL.md shows", direction).isEqualTo(schemas);
        }
        assertThat(all).extracting(Example::kind).contains("member", "beacon");
    }

    @TestFactory
    Stream<DynamicTest> everyExampleMatchesItsSchema() {
        return examples().stream().map(e -> DynamicTest.dynamicTest(e.toString(), () -> {
            JsonNode tree = WireSchemaTest.tree(e.json());
            switch (e.kind()) {
                case "member" -> assertThat(WireSchemaTest.validate("defs.json#/$defs/member", tree)).isEmpty();
                case "beacon" -> {
                    assertThat(WireSchemaTest.validate("discovery/beacon.json", tree)).isEmpty();
                    assertThat(WireSchemaTest.undocumented(tree, "discovery/beacon.json")).isEmpty();
                }
                default -> WireSchemaTest.checkFrame(e.kind(), tree, true);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyExampleIsWhatTheCodecWritesAndReads() {
        boolean speaks11 = codecSpeaks11();
        return examples().stream().map(e -> DynamicTest.dynamicTest(e.toString(), () -> {
            assumeTrue(speaks11 || !e.needs11(), "the codec does not speak protocol 1.1 yet");
            switch (e.kind()) {
                case HOST -> assertThat(hostRoundTrip(e.json())).isEqualTo(e.json());
                case GUEST -> assertThat(normalized(guestRoundTrip(e.json()))).isEqualTo(normalized(e.json()));
                case "member" -> {
                    String frame = "{\"type\":\"MEMBER_UPDATED\",\"timestamp\":1,\"payload\":{\"member\":" + e.json() + "}}";
                    assertThat(hostRoundTrip(frame)).isEqualTo(frame);
                }
                case "beacon" -> {
                    byte[] bytes = e.json().getBytes(StandardCharsets.UTF_8);
                    Beacon beacon = Beacon.parse(bytes, 0, bytes.length);
                    assertThat(beacon).as("the beacon as LoudSync reads it").isNotNull();
                    assertThat(new String(beacon.toJson(), StandardCharsets.UTF_8)).isEqualTo(e.json());
                }
                default -> throw new AssertionError("unknown kind of example: " + e.kind());
            }
        }));
    }

    /** Whether the host's encoder writes the 1.1 messages: then every 1.1 example is checked too. */
    static boolean codecSpeaks11() {
        try {
            new HostEncoder().encodeToString(new HostMessage.Ack("r-1", null), 1);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A host frame as the client reads it, written again by the host. */
    private static String hostRoundTrip(String json) {
        ClientCodec.Incoming in = new ClientCodec().decode(json);
        assertThat(in).as("%s as the client reads it", json).isNotNull();
        return new HostEncoder().encodeToString(in.message(), in.timestamp());
    }

    /** A guest frame as the host reads it, written again by the client. */
    private static String guestRoundTrip(String json) {
        GuestDecoder.Decoded d = new GuestDecoder(64 << 10).decode(Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8)));
        assertThat(d.isValid()).as("%s as the host reads it: %s", json, d.detail()).isTrue();
        long timestamp = WireSchemaTest.tree(json).path("timestamp").asLong();
        return new ClientCodec().encodeToString(d.message(), timestamp);
    }

    /**
     * A guest frame's JSON with what does not matter to its reader taken out: fields of value
     * {@code null} in the payload (the same as absent) and the order of {@code capabilities} (a set).
     */
    private static JsonNode normalized(String json) {
        JsonNode tree = WireSchemaTest.tree(json);
        JsonNode payload = tree.path("payload");
        if (payload instanceof ObjectNode) {
            for (Iterator<JsonNode> it = payload.iterator(); it.hasNext(); ) {
                if (it.next().isNull()) {
                    it.remove();
                }
            }
            JsonNode capabilities = payload.get("capabilities");
            if (capabilities instanceof ArrayNode) {
                List<String> sorted = new ArrayList<>();
                capabilities.forEach(c -> sorted.add(c.asText()));
                sorted.sort(null);
                ArrayNode array = ((ObjectNode) payload).putArray("capabilities");
                sorted.forEach(array::add);
            }
        }
        return tree;
    }
}
