package dev.loudsync.examples.host;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loudsync.testing.SocketGuest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the shaded {@code loudsync-host.jar} as its own process, as a user would, and drives it
 * through its standard input, its signals and guests on the JDK's WebSocket client.
 */
class HostProcessIT {

    private static final long WAIT_SECONDS = 15;
    private static final String EOF = "\u0000EOF";

    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> stderr = new LinkedBlockingQueue<>();
    private final List<SocketGuest> guests = new ArrayList<>();
    private Process process;

    @AfterEach
    void cleanUp() throws InterruptedException {
        guests.forEach(SocketGuest::close);
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void guestsJoinChatAndAreKicked_thenSigtermClosesSessionAndExits0() throws Exception {
        URI uri = startHost();

        SocketGuest a = join(uri, "a", "A");
        JsonNode welcome = a.next("WELCOME").path("payload");
        assertThat(welcome.path("sessionId").asText()).isEqualTo("TEST42");
        assertThat(welcome.path("hostName").asText()).isEqualTo("TestHost");
        assertThat(welcome.path("yourDeviceId").asText()).isEqualTo("a");
        String hostId = welcome.path("hostId").asText();
        assertThat(hostId).matches("host-[0-9a-f]{8}");
        assertThat(ids(a.next("MEMBER_LIST"))).containsExactly(hostId, "a");

        SocketGuest b = join(uri, "b", "B");
        b.next("WELCOME");
        JsonNode list = b.next("MEMBER_LIST");
        assertThat(ids(list)).containsExactly(hostId, "a", "b");
        assertThat(list.at("/payload/members/0/isHost").asBoolean()).isTrue();
        assertThat(list.at("/payload/members/0/name").asText()).isEqualTo("TestHost");
        JsonNode joined = a.next("MEMBER_JOINED").at("/payload/member");
        assertThat(joined.path("id").asText()).isEqualTo("b");
        assertThat(joined.path("name").asText()).isEqualTo("B");
        awaitLine(stderr, l -> l.contains("Joined: b (B)"));

        a.send("CHAT", TestHost.JSON.createObjectNode().put("text", "hi all"));
        for (SocketGuest g : List.of(a, b)) {
            JsonNode chat = g.next("CHAT").path("payload");
            assertThat(chat.path("from").asText()).isEqualTo("a");
            assertThat(chat.path("text").asText()).isEqualTo("hi all");
        }

        command("kick b Be nice");
        assertThat(b.next("KICKED").at("/payload/reason").asText()).isEqualTo("Be nice");
        assertThat(b.closeFrame().code()).isEqualTo(4505);
        JsonNode left = a.next("MEMBER_LEFT").path("payload");
        assertThat(left.path("deviceId").asText()).isEqualTo("b");
        assertThat(left.path("reason").asText()).isEqualTo("Kicked");
        awaitLine(stdout, l -> l.equals("Kicked b."));
        awaitLine(stderr, l -> l.contains("Left: b (B): Kicked"));

        terminate();

        assertThat(a.next("SESSION_CLOSED").at("/payload/reason").asText()).isEqualTo("Host closed session");
        assertThat(a.closeFrame().code()).isEqualTo(1000);
        assertExits(0);
        // The logs written while stopping made it out before the process halted.
        awaitLine(stderr, l -> l.contains("Left: a (A): Host closed session"));
        awaitLine(stderr, l -> l.contains("Session TES-T42 closed"));
    }

    @Test
    void closedStandardInput_hostKeepsRunningAndAcceptsJoins() throws Exception {
        URI uri = startHost();

        process.getOutputStream().close();
        awaitLine(stderr, l -> l.contains("Standard input closed"));

        assertThat(process.isAlive()).isTrue();
        SocketGuest c = join(uri, "c", "C");
        c.next("WELCOME");
        c.next("MEMBER_LIST");
        terminate();
        assertThat(c.next("SESSION_CLOSED").at("/payload/reason").asText()).isEqualTo("Host closed session");
        assertExits(0);
    }

    @Test
    void closeCommand_closesSessionAndExits0() throws Exception {
        URI uri = startHost();
        SocketGuest a = join(uri, "a", "A");
        a.next("WELCOME");
        a.next("MEMBER_LIST");

        command("members");
        awaitLine(stdout, l -> l.matches("  a +A +client +connected +(-|\\d+ ms)"));
        command("close");

        assertThat(a.next("SESSION_CLOSED").at("/payload/reason").asText()).isEqualTo("Host closed session");
        assertThat(a.closeFrame().code()).isEqualTo(1000);
        assertExits(0);
    }

    @Test
    void withMetricsAndJsonLogs_servesMetricsAndHealthOnLoopback_logsJsonLines_andAnswersStats() throws Exception {
        process = launch("--bind", "127.0.0.1", "--port", "0", "--session-id", "TEST42", "--host-name", "TestHost",
                "--metrics", "0", "--log-format", "json");
        URI uri = URI.create(awaitLine(stdout, l -> l.matches("  ws://127\\.0\\.0\\.1:\\d+/")).strip());
        String metrics = awaitLine(stdout, l -> l.startsWith("Metrics: "));
        assertThat(metrics).matches("Metrics: http://127\\.0\\.0\\.1:\\d+/metrics and http://127\\.0\\.0\\.1:\\d+/health");
        URI base = URI.create(metrics.substring("Metrics: ".length(), metrics.indexOf("/metrics")));

        SocketGuest a = join(uri, "a", "A");
        a.next("WELCOME");
        String line = awaitLine(stderr, l -> l.contains("\"Joined: a (A)\""));
        JsonNode event = TestHost.JSON.readTree(line);
        assertThat(event.path("level").asText()).isEqualTo("INFO");
        assertThat(event.path("kvpList").toString()).contains("{\"event\":\"join\"}", "{\"member\":\"a\"}");

        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        var health = http.send(java.net.http.HttpRequest.newBuilder(base.resolve("/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("running\n");
        var scrape = http.send(java.net.http.HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(PrometheusText.parse(scrape.body()).value("loudsync_joins_accepted_total")).isEqualTo(1.0);

        command("stats");
        awaitLine(stdout, l -> l.equals("Joins: 1 accepted; refused: none"));
        terminate();
        assertExits(0);
    }

    @Test
    void invalidOption_exits2WithMessageAndNoStackTrace() throws Exception {
        process = launch("--port", "eighty");

        assertExits(2);
        List<String> errors = drain(stderr);
        assertThat(errors).first().asString()
                .isEqualTo("loudsync-host: Invalid value for option '--port': 'eighty' is not an int");
        assertThat(errors).noneMatch(l -> l.contains("Exception") || l.startsWith("\tat "));
        assertThat(drain(stdout)).isEmpty();
    }

    @Test
    void theReadmeLauncher_runsTheHostWithTheSmallHostSettings() throws Exception {
        Path launcher = Path.of(System.getProperty("loudsync.host.jar", "target/loudsync-host.jar"))
                .resolveSibling("loudsync-host");
        assertThat(launcher).as("the launcher beside the jar").isExecutable();
        ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "--bind", "127.0.0.1", "--port", "0",
                "--session-id", "TEST42", "--host-name", "TestHost");
        builder.environment().put("JAVA", javaCommand());
        builder.environment().remove("JAVA_OPTS");
        process = start(builder);
        URI uri = awaitUri();

        // The script execs java: the process is the JVM itself, with the launcher's settings.
        List<String> jvmArguments = List.of(process.info().arguments().orElseThrow());
        assertThat(jvmArguments).contains("-XX:+UseSerialGC", "-Xms16m", "-Xmx512m", "-XX:TieredStopAtLevel=1");
        SocketGuest a = join(uri, "a", "A");
        a.next("WELCOME");
        a.next("MEMBER_LIST");
        terminate();
        assertThat(a.next("SESSION_CLOSED").at("/payload/reason").asText()).isEqualTo("Host closed session");
        assertExits(0);
    }

    /** Starts the host on 127.0.0.1 and returns its WebSocket URI, read from its standard output. */
    private URI startHost() throws IOException {
        process = launch("--bind", "127.0.0.1", "--port", "0", "--session-id", "TEST42", "--host-name", "TestHost");
        return awaitUri();
    }

    private URI awaitUri() {
        String banner = awaitLine(stdout, l -> l.startsWith("LoudSync host"));
        assertThat(banner).startsWith("LoudSync host \"LoudSync Party\" ").endsWith(" session code TES-T42");
        String url = awaitLine(stdout, l -> l.matches("  ws://127\\.0\\.0\\.1:\\d+/"));
        return URI.create(url.strip());
    }

    private Process launch(String... options) throws IOException {
        Path jar = Path.of(System.getProperty("loudsync.host.jar", "target/loudsync-host.jar"));
        assertThat(jar).as("the shaded jar (built by package)").exists();
        List<String> command = new ArrayList<>(List.of(javaCommand(), "-jar", jar.toString()));
        command.addAll(List.of(options));
        return start(new ProcessBuilder(command));
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private Process start(ProcessBuilder builder) throws IOException {
        Process p = builder.start();
        pump(p.getInputStream(), stdout, "host out");
        pump(p.getErrorStream(), stderr, "host err");
        return p;
    }

    /** Copies a stream's lines to {@code lines} (and this test's output), then an end marker. */
    private static void pump(InputStream in, BlockingQueue<String> lines, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    System.out.println("[" + name + "] " + line);
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("[pump failed: " + e + "]");
            } finally {
                lines.add(EOF);
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    /** Waits for a line that matches, skipping others; fails at the stream's end or after 15 s. */
    private static String awaitLine(BlockingQueue<String> lines, Predicate<String> wanted) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        try {
            while (true) {
                String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == null || line.equals(EOF)) {
                    throw new AssertionError(line == null ? "no such line within " + WAIT_SECONDS + " s"
                            : "no such line before the stream ended");
                }
                if (wanted.test(line)) {
                    return line;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The lines left, once the stream ended (the process exited). */
    private static List<String> drain(BlockingQueue<String> lines) throws InterruptedException {
        List<String> rest = new ArrayList<>();
        while (true) {
            String line = lines.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(line).as("a line or the end of the stream within %d s", WAIT_SECONDS).isNotNull();
            if (line.equals(EOF)) {
                return rest;
            }
            rest.add(line);
        }
    }

    private void command(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(UTF_8));
        in.flush();
    }

    /**
     * Sends SIGTERM, as {@code Process.destroy()} does on Linux, but through the process handle,
     * which leaves the process's output streams open for the test to read to the end.
     */
    private void terminate() {
        assertThat(process.toHandle().destroy()).as("SIGTERM sent").isTrue();
    }

    private void assertExits(int code) throws InterruptedException {
        assertThat(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as("exited within %d s", WAIT_SECONDS).isTrue();
        assertThat(process.exitValue()).isEqualTo(code);
    }

    private SocketGuest join(URI uri, String deviceId, String deviceName) {
        SocketGuest g = TestHost.sendJoin(uri, "TEST42", deviceId, deviceName);
        guests.add(g);
        return g;
    }

    private static List<String> ids(JsonNode memberList) {
        List<String> ids = new ArrayList<>();
        memberList.at("/payload/members").forEach(m -> ids.add(m.path("id").asText()));
        return ids;
    }
}
