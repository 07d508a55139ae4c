package dev.loudsync.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.protocol.MessageTypes;
import dev.loudsync.core.protocol.ProtocolRules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JSON Schemas of {@code docs/schema} describe what LoudSync really puts on the wire: every frame
 * the host's encoder writes and every frame the client's codec writes for the samples of
 * {@link WireRoundTripTest} is checked against the schema of its type and direction, so a type the
 * codec learns (the 1.1 messages, as they join the samples) is checked as soon as it is there, and
 * fails if it has no schema.
 *
 * <p>A sample is not always a message the protocol allows: the round-trip samples include codec edge
 * cases (a {@code JOIN} without fields, a {@code KICKED} without reason). Those must be <em>refused</em>
 * by the schema, so the schemas are tested in both directions. Which samples the protocol allows is
 * decided without the schemas: for the host, a message whose record has no {@code null} in a component
 * not marked {@link Nullable} (the core marks where null is real); for a guest, the core's
 * {@link ProtocolRules} and the limits PROTOCOL.md states ({@link #followsTheProtocol}).
 *
 * <p>Every field of an accepted frame must also be named by its schema (objects the schema leaves
 * free, such as application payloads, excepted): the schemas do not forbid unknown fields, since
 * receivers ignore them, so this is how a field added to the codec but not to the documentation is
 * caught.
 */
class WireSchemaTest {

    static final String BASE = "https://loudsync.dev/schema/v1/";
    static final String DRAFT = "https://json-schema.org/draft/2020-12/schema";
    static final String HOST = "host";
    static final String GUEST = "guest";

    private static final long CLOCK = 1738454400123L;
    /** Longest {@code JOIN.auth} (1.1), as PROTOCOL.md states it. */
    private static final int MAX_AUTH_CHARS = 4096;
    /** Longest request id (1.1), as PROTOCOL.md states it. */
    private static final int MAX_REQUEST_ID_CHARS = 64;
    /** Longest reason of a {@code KICK} or {@code END_SESSION} (1.1), as PROTOCOL.md states it. */
    private static final int MAX_REASON_CHARS = 200;

    static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    static final Path DOCS = findDocs();
    static final Path SCHEMAS = DOCS.resolve("schema");

    private static final Map<String, JsonNode> FILES = new ConcurrentHashMap<>();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemas((String iri) -> iri.startsWith(BASE) ? text(iri.substring(BASE.length())) : null));

    private static final HostEncoder HOST_ENCODER = new HostEncoder();
    private static final ClientCodec CLIENT = new ClientCodec();

    static Stream<HostMessage> hostSamples() {
        return WireRoundTripTest.hostMessages();
    }

    static Stream<GuestMessage> guestSamples() {
        return WireRoundTripTest.guestMessages();
    }

    @ParameterizedTest
    @MethodSource("hostSamples")
    void hostFrames_matchTheSchemaOfTheirType(HostMessage message) {
        JsonNode frame = tree(HOST_ENCODER.encodeToString(message, CLOCK));
        checkFrame(HOST, frame, theHostSends(message));
    }

    @ParameterizedTest
    @MethodSource("guestSamples")
    void guestFrames_matchTheSchemaOfTheirType(GuestMessage message) {
        JsonNode frame = tree(CLIENT.encodeToString(message, CLOCK));
        checkFrame(GUEST, frame, followsTheProtocol(message));
    }

    /** Checks one frame of {@code direction}: valid (and fully documented) exactly when {@code allowed}. */
    static void checkFrame(String direction, JsonNode frame, boolean allowed) {
        String type = frame.path("type").asText();
        String file = schemaFile(direction, type);
        assertThat(SCHEMAS.resolve(file)).as("the schema of %s message %s", direction, type).exists();
        List<String> errors = validate(file, frame);
        if (!allowed) {
            assertThat(errors).as("%s is not a message the protocol allows, yet %s accepts it", frame, file)
                    .isNotEmpty();
            return;
        }
        assertThat(errors).as("%s against %s", frame, file).isEmpty();
        assertThat(validate(direction + "-message.json", frame)).as("%s against %s-message.json", frame, direction)
                .isEmpty();
        assertThat(undocumented(frame, file)).as("fields of %s that %s does not name", frame, file).isEmpty();
    }

    @Test
    void everyTypeTheCodecWritesHasASchema() {
        for (HostPayloads p : HostPayloads.values()) {
            assertThat(SCHEMAS.resolve(schemaFile(HOST, p.type))).as("schema of host message %s", p.type).exists();
        }
        for (GuestPayloads p : GuestPayloads.values()) {
            assertThat(SCHEMAS.resolve(schemaFile(GUEST, p.type))).as("schema of guest message %s", p.type).exists();
        }
    }

    @Test
    void everyProtocolTypeHasASchema_andEverySchemaIsOfAProtocolType() throws Exception {
        Set<String> host = typesWithSchemas(HOST);
        Set<String> guest = typesWithSchemas(GUEST);
        for (String type : protocolTypes()) {
            assertThat(host.contains(type) || guest.contains(type)).as("a schema for %s", type).isTrue();
        }
        Stream.concat(host.stream(), guest.stream())
                .forEach(t -> assertThat(MessageTypes.isProtocolType(t)).as("%s is a protocol type", t).isTrue());
        // The schemas of "any message" of a direction list exactly the types that have a schema.
        assertThat(unionTypes(HOST)).isEqualTo(host);
        assertThat(unionTypes(GUEST)).isEqualTo(guest);
    }

    @Test
    void everySchemaIsDraft202012_withItsOwnId_andEveryReferenceResolves() throws Exception {
        Schema meta = REGISTRY.getSchema(SchemaLocation.of(DRAFT));
        List<String> files = schemaFiles();
        assertThat(files).hasSizeGreaterThan(30);
        for (String file : files) {
            JsonNode schema = file(file);
            assertThat(schema.path("$schema").asText()).as("$schema of %s", file).isEqualTo(DRAFT);
            assertThat(schema.path("$id").asText()).as("$id of %s", file).isEqualTo(BASE + file);
            assertThat(meta.validate(schema)).as("%s against the 2020-12 meta-schema", file).isEmpty();
            List<String> refs = new ArrayList<>();
            collectRefs(schema, refs);
            for (String ref : refs) {
                assertThat(resolve(URI.create(BASE + file), ref).node().isMissingNode())
                        .as("$ref %s in %s", ref, file).isFalse();
            }
        }
    }

    @Test
    void theSchemasRefuseWhatTheProtocolRefuses() {
        // A few refusals the samples do not show: each would be accepted if its rule were missing.
        assertRefused(GUEST, "{\"type\":\"JOIN\",\"payload\":{\"sessionId\":\"A1B2C3\",\"deviceId\":\"d-1\","
                + "\"deviceName\":\"Bell\\u0007\"}}");
        assertRefused(GUEST, "{\"type\":\"JOIN\",\"payload\":{\"sessionId\":\"A1B2C3\",\"deviceId\":\"d-1\","
                + "\"deviceName\":\"Phone\",\"version\":\"2.0.0\"}}");
        assertRefused(GUEST, "{\"type\":\"SET_ROLE\",\"payload\":{\"deviceId\":\"d-1\",\"role\":\"host\"}}");
        assertRefused(GUEST, "{\"type\":\"CHAT\",\"id\":\"\",\"payload\":{}}");
        assertRefused(GUEST, "{\"type\":\"WELCOME\",\"payload\":{}}");
        assertRefused(HOST, "{\"type\":\"MEMBER_JOINED\",\"timestamp\":1,\"payload\":{\"member\":{\"id\":\"d\","
                + "\"name\":\"D\",\"role\":\"client\",\"isHost\":true,\"connectionStatus\":\"connected\","
                + "\"joinedAt\":1,\"latency\":null}}}");
        assertRefused(HOST, "{\"type\":\"STATE\",\"timestamp\":1,\"payload\":{\"version\":1,"
                + "\"state\":{\"queue\":[\"a\",null]}}}");
        assertRefused(HOST, "{\"type\":\"KICK\",\"timestamp\":1,\"payload\":{\"deviceId\":\"d-1\"}}");
    }

    private static void assertRefused(String direction, String json) {
        JsonNode frame = tree(json);
        String file = schemaFile(direction, frame.path("type").asText());
        if (Files.exists(SCHEMAS.resolve(file))) {
            assertThat(validate(file, frame)).as("%s against %s", json, file).isNotEmpty();
        }
        assertThat(validate(direction + "-message.json", frame)).as("%s against %s-message.json", json, direction)
                .isNotEmpty();
    }

    // ------------------------------------------------------------------ which samples the protocol allows

    /**
     * Whether the host sends messages like this: no null where the core's record does not allow one,
     * and none inside an array of the shared state or a patch of it, which the core refuses
     * ({@code Session.patchState}).
     */
    static boolean theHostSends(HostMessage message) {
        if (message instanceof HostMessage.State && nullInAnArray(((HostMessage.State) message).state(), false)
                || message instanceof HostMessage.StatePatch
                && nullInAnArray(((HostMessage.StatePatch) message).patch(), false)) {
            return false;
        }
        for (RecordComponent c : message.getClass().getRecordComponents()) {
            Object value;
            try {
                value = c.getAccessor().invoke(message);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
            if (value == null && !c.getAnnotatedType().isAnnotationPresent(Nullable.class)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code value} holds a null inside an array, at any depth ({@code inArray}: it is in one). */
    private static boolean nullInAnArray(@Nullable Object value, boolean inArray) {
        if (value == null) {
            return inArray;
        }
        if (value instanceof Map) {
            return ((Map<?, ?>) value).values().stream().anyMatch(v -> nullInAnArray(v, false));
        }
        if (value instanceof List) {
            return ((List<?>) value).stream().anyMatch(v -> nullInAnArray(v, true));
        }
        return false;
    }

    /** Whether a guest that follows PROTOCOL.md may send this, by the core's rules and the stated limits. */
    static boolean followsTheProtocol(GuestMessage m) {
        if (m.id() != null && (m.id().isEmpty() || m.id().length() > MAX_REQUEST_ID_CHARS)) {
            return false;
        }
        if (m instanceof GuestMessage.Join) {
            GuestMessage.Join j = (GuestMessage.Join) m;
            return ProtocolRules.invalidJoinField(j) == null && ProtocolRules.isSupportedVersion(j.version())
                    && (j.pin() == null || !j.pin().isEmpty() && j.pin().length() <= ProtocolRules.MAX_PIN_CHARS)
                    && (j.resumeToken() == null || !j.resumeToken().isEmpty())
                    && (j.auth() == null || j.auth().length() <= MAX_AUTH_CHARS);
        }
        if (m instanceof GuestMessage.Heartbeat) {
            GuestMessage.Heartbeat h = (GuestMessage.Heartbeat) m;
            return ProtocolRules.isDeviceId(h.deviceId())
                    && (h.latencyMillis() == null || ProtocolRules.isLatency(h.latencyMillis()));
        }
        if (m instanceof GuestMessage.Kick) {
            GuestMessage.Kick k = (GuestMessage.Kick) m;
            return ProtocolRules.isDeviceId(k.deviceId()) && reason(k.reason());
        }
        if (m instanceof GuestMessage.SetRole) {
            GuestMessage.SetRole s = (GuestMessage.SetRole) m;
            return ProtocolRules.isDeviceId(s.deviceId()) && ("cohost".equals(s.role()) || "client".equals(s.role()));
        }
        if (m instanceof GuestMessage.Approve) {
            return ProtocolRules.isDeviceId(((GuestMessage.Approve) m).deviceId());
        }
        if (m instanceof GuestMessage.Deny) {
            return ProtocolRules.isDeviceId(((GuestMessage.Deny) m).deviceId());
        }
        if (m instanceof GuestMessage.TransferHost) {
            return ProtocolRules.isDeviceId(((GuestMessage.TransferHost) m).deviceId());
        }
        if (m instanceof GuestMessage.EndSession) {
            return reason(((GuestMessage.EndSession) m).reason());
        }
        return m instanceof GuestMessage.Leave || m instanceof GuestMessage.Ping || m instanceof GuestMessage.Pong
                || m instanceof ApplicationMessage;
    }

    private static boolean reason(String reason) {
        return reason == null || reason.length() <= MAX_REASON_CHARS;
    }

    // ------------------------------------------------------------------ schemas

    /** The schema file of a message of {@code type} sent in {@code direction}, relative to docs/schema. */
    static String schemaFile(String direction, String type) {
        return direction + "/" + (MessageTypes.isProtocolType(type) ? type : "application") + ".json";
    }

    /** What is wrong with {@code instance} according to the schema {@code file} (may carry a fragment). */
    static List<String> validate(String file, JsonNode instance) {
        return REGISTRY.getSchema(SchemaLocation.of(BASE + file)).validate(instance).stream()
                .map(Object::toString).collect(Collectors.toList());
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(json, e);
        }
    }

    /** The schema files, relative to docs/schema, in a stable order. */
    static List<String> schemaFiles() throws IOException {
        try (Stream<Path> files = Files.walk(SCHEMAS)) {
            return files.filter(f -> f.toString().endsWith(".json"))
                    .map(f -> SCHEMAS.relativize(f).toString().replace('\\', '/')).sorted()
                    .collect(Collectors.toList());
        }
    }

    static JsonNode file(String relative) {
        return FILES.computeIfAbsent(relative, r -> tree(text(r)));
    }

    private static String text(String relative) {
        try {
            return Files.readString(SCHEMAS.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(relative, e);
        }
    }

    private static Set<String> typesWithSchemas(String direction) throws IOException {
        try (Stream<Path> files = Files.list(SCHEMAS.resolve(direction))) {
            return files.map(f -> f.getFileName().toString().replace(".json", ""))
                    .filter(n -> !n.equals("application")).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Set<String> unionTypes(String direction) {
        Set<String> types = new TreeSet<>();
        file(direction + "-message.json").path("properties").path("type").path("anyOf").path(0).path("enum")
                .forEach(t -> types.add(t.asText()));
        return types;
    }

    /** The protocol's own types: MessageTypes' constants. */
    static Set<String> protocolTypes() throws IllegalAccessException {
        Set<String> types = new TreeSet<>();
        for (Field f : MessageTypes.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                types.add((String) f.get(null));
            }
        }
        return types;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, refs));
        }
    }

    /** A schema node and the URI of the file it is in, against which its references resolve. */
    record Located(JsonNode node, URI base) {
    }

    /** The node {@code ref} names, from a schema in {@code base}. */
    static Located resolve(URI base, String ref) {
        URI target = base.resolve(ref);
        String document = target.toString().replaceFirst("#.*$", "");
        assertThat(document).as("$ref %s from %s stays among the project's schemas", ref, base).startsWith(BASE);
        JsonNode root = file(document.substring(BASE.length()));
        String fragment = target.getFragment();
        JsonNode node = fragment == null || fragment.isEmpty() ? root : root.at(JsonPointer.compile(fragment));
        return new Located(node, URI.create(document));
    }

    /**
     * The JSON pointers of the fields of {@code instance} that the schema {@code file} does not name:
     * where the schema (through {@code $ref}, {@code allOf}, {@code anyOf}, {@code oneOf},
     * {@code then} and {@code else}) declares {@code properties} of an object and no
     * {@code additionalProperties}, every field must be one of them.
     */
    static List<String> undocumented(JsonNode instance, String file) {
        List<String> found = new ArrayList<>();
        Located root = resolve(URI.create(BASE), file);
        undocumented(instance, List.of(root), "", found);
        return found;
    }

    private static void undocumented(JsonNode value, List<Located> schemas, String path, List<String> found) {
        List<Located> parts = new ArrayList<>();
        for (Located s : schemas) {
            flatten(s, parts, 0);
        }
        if (value.isObject()) {
            List<Located> additional = new ArrayList<>();
            boolean declared = false;
            for (Located p : parts) {
                declared |= p.node().has("properties");
                if (p.node().has("additionalProperties")) {
                    additional.add(new Located(p.node().get("additionalProperties"), p.base()));
                }
            }
            if (!declared && additional.isEmpty()) {
                return; // an object the schema leaves free
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                List<Located> named = new ArrayList<>();
                for (Located p : parts) {
                    JsonNode property = p.node().path("properties").get(field.getKey());
                    if (property != null) {
                        named.add(new Located(property, p.base()));
                    }
                }
                String at = path + "/" + field.getKey();
                if (!named.isEmpty()) {
                    undocumented(field.getValue(), named, at, found);
                } else if (!additional.isEmpty()) {
                    undocumented(field.getValue(), additional, at, found);
                } else {
                    found.add(at);
                }
            }
        } else if (value.isArray()) {
            List<Located> items = new ArrayList<>();
            for (Located p : parts) {
                if (p.node().has("items")) {
                    items.add(new Located(p.node().get("items"), p.base()));
                }
            }
            for (int i = 0; i < value.size(); i++) {
                undocumented(value.get(i), items, path + "/" + i, found);
            }
        }
    }

    /** {@code s} and the schemas that apply with it to the same value. */
    private static void flatten(Located s, List<Located> out, int depth) {
        if (!s.node().isObject() || depth > 32) {
            return;
        }
        out.add(s);
        if (s.node().has("$ref")) {
            flatten(resolve(s.base(), s.node().get("$ref").asText()), out, depth + 1);
        }
        for (String key : List.of("allOf", "anyOf", "oneOf")) {
            for (JsonNode sub : s.node().path(key)) {
                flatten(new Located(sub, s.base()), out, depth + 1);
            }
        }
        for (String key : List.of("then", "else")) {
            if (s.node().has(key)) {
                flatten(new Located(s.node().get(key), s.base()), out, depth + 1);
            }
        }
    }

    private static Path findDocs() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs/schema"))) {
                return dir.resolve("docs");
            }
        }
        throw new IllegalStateException("no docs/schema above " + Path.of("").toAbsolutePath());
    }
}
