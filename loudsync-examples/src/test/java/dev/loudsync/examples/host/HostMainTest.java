package dev.loudsync.examples.host;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.SessionConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HostMainTest {

    private final StringWriter err = new StringWriter();
    private final StringWriter out = new StringWriter();

    private HostMain parse(String... args) {
        HostMain host = new HostMain(System.out);
        HostMain.commandLine(host).parseArgs(args);
        return host;
    }

    /** Runs the command line as main does (without exiting); only invalid options return here. */
    private int execute(String... args) {
        CommandLine cl = HostMain.commandLine(new HostMain(System.out));
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(out, true));
        return cl.execute(args);
    }

    @Test
    void defaults() {
        HostMain host = parse();
        SessionConfig config = host.sessionConfig();

        assertThat(host.options.port).isEqualTo(8080);
        assertThat(host.options.bind).isEqualTo("0.0.0.0");
        assertThat(host.joinTimeout).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.name()).isEqualTo("LoudSync Party");
        assertThat(config.sessionId()).hasSize(6);
        assertThat(config.hostId()).matches("host-[0-9a-f]{8}");
        assertThat(config.hostName()).isEqualTo(HostMain.machineName());
        assertThat(config.maxMembers()).isEqualTo(8);
        assertThat(config.pin()).isEmpty();
        assertThat(config.requireApproval()).isFalse();
        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.heartbeatCheckInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.reconnectGrace()).isEqualTo(Duration.ZERO);
        assertThat(config.latencyProbes()).isTrue();
    }

    @Test
    void everyOption_reachesTheConfiguration() {
        HostMain host = parse("--port", "0", "--bind", "127.0.0.1", "--session-id", "abc-123",
                "--session-name", "Movie night", "--host-id", "laptop", "--host-name", "My Laptop",
                "--max-members", "3", "--pin", "1234", "--require-approval", "--heartbeat-timeout", "2m",
                "--heartbeat-check-interval", "500ms", "--join-timeout", "1h", "--reconnect-grace", "30s",
                "--no-latency-probes");
        SessionConfig config = host.sessionConfig();

        assertThat(host.options.port).isZero();
        assertThat(host.options.bind).isEqualTo("127.0.0.1");
        assertThat(host.joinTimeout).isEqualTo(Duration.ofHours(1));
        assertThat(config.sessionId()).isEqualTo("abc-123");
        assertThat(config.name()).isEqualTo("Movie night");
        assertThat(config.hostId()).isEqualTo("laptop");
        assertThat(config.hostName()).isEqualTo("My Laptop");
        assertThat(config.maxMembers()).isEqualTo(3);
        assertThat(config.pin()).contains("1234");
        assertThat(config.requireApproval()).isTrue();
        assertThat(config.heartbeatTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.heartbeatCheckInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.reconnectGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.latencyProbes()).isFalse();
    }

    @Test
    void heartbeatTimeoutAlone_setsTheIntervalAndTheCheckToAThird() {
        SessionConfig config = parse("--heartbeat-timeout", "1s").sessionConfig();

        assertThat(config.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofMillis(333));
        assertThat(config.heartbeatCheckInterval()).isEqualTo(Duration.ofMillis(333));
    }

    @Test
    void heartbeatTimeoutWithAnInterval_keepsTheInterval() {
        SessionConfig config = parse("--heartbeat-timeout", "30s", "--heartbeat-interval", "2s").sessionConfig();

        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.heartbeatCheckInterval()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void badDuration_exits2WithMessage() {
        assertThat(execute("--heartbeat-timeout", "15")).isEqualTo(2);

        assertThat(err.toString())
                .startsWith("loudsync-host: Invalid value for option '--heartbeat-timeout': '15' is not a duration")
                .contains("Run with --help")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void unknownOptionOrBadNumber_exits2() {
        assertThat(execute("--colour")).isEqualTo(2);
        assertThat(execute("--port", "eighty")).isEqualTo(2);

        assertThat(err.toString()).contains("Unknown option: '--colour'", "'--port': 'eighty'");
    }

    @Test
    void valueTheLibraryRefuses_exits2WithItsMessage_beforeListening() {
        assertThat(execute("--max-members", "1")).isEqualTo(2);
        assertThat(execute("--port", "70000")).isEqualTo(2);
        assertThat(execute("--heartbeat-timeout", "5s", "--heartbeat-interval", "5s")).isEqualTo(2);

        assertThat(err.toString())
                .contains("maxMembers: 1 (expected: 2-100000)", "port: 70000 (expected: 0-65535)", "heartbeatTimeout")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void help_printsOptionsAndExits0() {
        assertThat(execute("--help")).isZero();

        assertThat(out.toString()).contains("--port=N", "--require-approval", "--reconnect-grace=D", "500ms")
                .contains("given alone, it also");
    }

    @Test
    void machineName_isAValidDisplayName() {
        assertThat(HostMain.machineName()).isNotBlank().hasSizeLessThanOrEqualTo(64);
    }

    @Test
    void banner_showsNameDisplayCodeAndUrls() {
        HostMain host = parse("--session-id", "k7m2qx", "--session-name", "Party");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TestHost server = TestHost.start()) {
            var session = server.server.openSession(host.sessionConfig());
            HostMain.printBanner(new PrintStream(bytes, true, UTF_8), session,
                    new InetSocketAddress("127.0.0.1", 9000), false);
        }

        assertThat(bytes.toString(UTF_8).split("\\R")).containsExactly(
                "LoudSync host \"Party\" — session code K7M-2QX",
                "  ws://127.0.0.1:9000/",
                "Guest page: open it on a phone on the same network",
                "  http://127.0.0.1:9000/",
                "Type help for commands.");
    }
}
