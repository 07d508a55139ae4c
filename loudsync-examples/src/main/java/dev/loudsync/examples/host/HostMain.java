package dev.loudsync.examples.host;

import ch.qos.logback.classic.LoggerContext;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionCodes;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.netty.LoudSyncServer;
import dev.loudsync.netty.discovery.LanAdvertising;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The example host: runs one LoudSync session on this machine until it is told to stop.
 *
 * <p>On start it prints the session code and one {@code ws://ADDRESS:PORT/} line per LAN address
 * to standard output, then reads {@link HostCommands commands} from standard input. It keeps running
 * when standard input ends. The {@code close} command, SIGINT and SIGTERM end the session
 * gracefully (every guest gets {@code SESSION_CLOSED}) and exit with 0. Invalid options exit with 2,
 * a port that cannot be bound with 1. Logs go to standard error.
 */
@Command(name = "loudsync-host", sortOptions = false,
        subcommands = {dev.loudsync.examples.jam.JamCommand.class, dev.loudsync.examples.chat.ChatCommand.class},
        description = {"Hosts a LoudSync session on the local network.",
                "Commands on standard input: members, stats, kick ID [REASON...], approve ID, deny ID, close, help."},
        footer = "Durations are a whole number and a unit: 500ms, 15s, 2m, 1h.")
public final class HostMain implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(HostMain.class);

    /** Shown when the machine's name cannot be found (or is not a valid display name). */
    static final String FALLBACK_HOST_NAME = "LoudSync Host";

    /** The longest a graceful stop may take before the process exits anyway. */
    private static final long STOP_LIMIT_SECONDS = 15;

    @Option(names = "--session-id", paramLabel = "CODE", description = "session code guests join with (default: random)")
    String sessionId;

    @Option(names = "--session-name", paramLabel = "NAME", defaultValue = SessionConfig.DEFAULT_NAME,
            description = "session name shown to guests (default: ${DEFAULT-VALUE})")
    String sessionName;

    @Option(names = "--host-id", paramLabel = "ID", description = "the host's device id (default: host-<random hex>)")
    String hostId;

    @Option(names = "--host-name", paramLabel = "NAME", description = "the host's display name (default: this machine's name)")
    String hostName;

    @Option(names = "--max-members", paramLabel = "N", defaultValue = "8",
            description = "capacity, host included (default: ${DEFAULT-VALUE})")
    int maxMembers;

    @Option(names = "--pin", paramLabel = "PIN", description = "PIN guests must give to join (default: none)")
    String pin;

    @Option(names = "--require-approval", description = "each join waits for approve ID / deny ID")
    boolean requireApproval;

    @Option(names = "--heartbeat-interval", paramLabel = "D",
            description = "how often guests are asked to send HEARTBEAT (default: 5s, or a third of "
                    + "--heartbeat-timeout when only that is given)")
    Duration heartbeatInterval;

    @Option(names = "--heartbeat-timeout", paramLabel = "D",
            description = "silence after which a member is removed (default: 15s); given alone, it also "
                    + "sets the heartbeat interval and the check interval to a third of it")
    Duration heartbeatTimeout;

    @Option(names = "--heartbeat-check-interval", paramLabel = "D",
            description = "how often silent members are looked for (default: 5s, or a third of "
                    + "--heartbeat-timeout when only that is given and a third is shorter)")
    Duration heartbeatCheckInterval;

    @Option(names = "--join-timeout", paramLabel = "D", defaultValue = "10s",
            description = "time a connection has to send its JOIN (default: ${DEFAULT-VALUE})")
    Duration joinTimeout;

    @Option(names = "--reconnect-grace", paramLabel = "D", defaultValue = "0s",
            description = "how long a lost member may resume; 0s = off (default: ${DEFAULT-VALUE})")
    Duration reconnectGrace;

    @Option(names = "--no-latency-probes",
            description = "do not PING members to measure their latency (guests may still report it)")
    boolean noLatencyProbes;

    @Option(names = "--no-lan-discovery", description = "do not advertise the session on the LAN")
    boolean noLanDiscovery;

    @Option(names = "--no-dns-sd", description = "advertise with UDP beacons only, not DNS-SD")
    boolean noDnsSd;

    @Option(names = "--beacon-target", paramLabel = "HOST:PORT", defaultValue = "255.255.255.255:8081",
            description = "where UDP beacons go (default: ${DEFAULT-VALUE}, LAN broadcast)")
    String beaconTarget;

    @Option(names = "--metrics", paramLabel = "[ADDR:]PORT",
            description = "serve GET /metrics (Prometheus) and GET /health on PORT of the loopback address,"
                    + " or of ADDR (default: off)")
    String metrics;

    @Mixin
    ServerOptions options = new ServerOptions();

    @Spec
    CommandSpec spec;

    private final PrintStream console;

    HostMain(PrintStream console) {
        this.console = console;
    }

    /** Runs the host; see the class comment for the exit codes. */
    public static void main(String[] args) {
        System.exit(commandLine(new HostMain(System.out)).execute(args));
    }

    /** The command line of {@code host}: our duration syntax, and short messages for usage errors. */
    static CommandLine commandLine(HostMain host) {
        return new CommandLine(host)
                .registerConverter(Duration.class, Durations::option)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(HostMain::usageError);
    }

    private static int usageError(ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("loudsync-host: " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Run with --help for the options.");
        err.flush();
        return ExitCode.USAGE;
    }

    @Override
    public Integer call() {
        options.configureLogs();
        SessionConfig config;
        LoudSyncServer server;
        String bind = options.bind();
        int port = options.port();
        GuestPage page = new GuestPage();
        InetSocketAddress metricsAddress;
        try {
            config = sessionConfig();
            metricsAddress = metrics != null ? MetricsEndpoint.parseAddress(metrics) : null;
            LoudSyncServer.Builder builder = options.serverBuilder()
                    .joinTimeout(joinTimeout).webHandler(page).listener(new ServerEvents());
            if (!noLanDiscovery) {
                builder.lanDiscovery(LanAdvertising.builder().dnsSd(!noDnsSd)
                        .beaconTarget(hostAndPort(beaconTarget)).build());
            }
            server = builder.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            // The library's builders name the setting and the expected range.
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        Session session = server.openSession(config);
        session.addListener(new HostEvents(console));
        session.handle(Chat.TYPE, new Chat());
        page.show(session);
        try {
            server.start().join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            spec.commandLine().getErr().println("loudsync-host: cannot listen on " + bind + " port " + port + ": "
                    + (cause.getMessage() != null ? cause.getMessage() : cause));
            spec.commandLine().getErr().flush();
            return 1;
        }
        MetricsEndpoint endpoint = null;
        if (metricsAddress != null) {
            try {
                endpoint = MetricsEndpoint.start(metricsAddress, server, session);
            } catch (IOException e) {
                server.stop().join();
                spec.commandLine().getErr().println("loudsync-host: cannot serve metrics on " + metrics + ": " + e);
                spec.commandLine().getErr().flush();
                return 1;
            }
        }
        MetricsEndpoint ops = endpoint;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(server, ops), "loudsync-shutdown"));
        printBanner(console, session, server.localAddress(), options.qr(), options.tlsOn(),
                options.tlsFingerprint());
        if (ops != null) {
            console.println("Metrics: " + ops.url() + "/metrics and " + ops.url() + "/health");
            console.flush();
        }

        CompletableFuture<Void> closeRequested = new CompletableFuture<>();
        HostCommands commands = new HostCommands(session, server::stats, console, () -> closeRequested.complete(null));
        Thread reader = new Thread(() -> readCommands(commands), "loudsync-console");
        reader.setDaemon(true); // the end of input must not keep or end the process
        reader.start();
        closeRequested.join();
        return 0; // main exits; the shutdown hook stops the server
    }

    private static String webPage(String webSocketUrl) {
        return webSocketUrl.replaceFirst("^ws://", "http://").replaceFirst("^wss://", "https://");
    }

    private static InetSocketAddress hostAndPort(String text) {
        int colon = text.lastIndexOf(':');
        try {
            return new InetSocketAddress(InetAddress.getByName(text.substring(0, colon)),
                    Integer.parseInt(text.substring(colon + 1)));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("beacon target: " + text + " (expected: HOST:PORT)");
        }
    }

    /** The session configuration the options describe. */
    SessionConfig sessionConfig() {
        SessionConfig.Builder b = SessionConfig.builder()
                .name(sessionName)
                .host(hostId != null ? hostId : randomHostId(), hostName != null ? hostName : machineName())
                .maxMembers(maxMembers)
                .requireApproval(requireApproval)
                .reconnectGrace(reconnectGrace)
                .latencyProbes(!noLatencyProbes);
        // Only what was given: SessionConfig derives the rest from the timeout.
        if (heartbeatInterval != null) {
            b.heartbeatInterval(heartbeatInterval);
        }
        if (heartbeatTimeout != null) {
            b.heartbeatTimeout(heartbeatTimeout);
        }
        if (heartbeatCheckInterval != null) {
            b.heartbeatCheckInterval(heartbeatCheckInterval);
        }
        if (sessionId != null) {
            b.sessionId(sessionId);
        }
        if (pin != null) {
            b.pin(pin);
        }
        return b.build();
    }

    static void printBanner(PrintStream out, Session session, InetSocketAddress bound, boolean qr) {
        printBanner(out, session, bound, qr, false, null);
    }

    /** The banner; with TLS the URLs are wss:// and https://, and a self-signed certificate's fingerprint shows. */
    static void printBanner(PrintStream out, Session session, InetSocketAddress bound, boolean qr, boolean tls,
            String fingerprint) {
        out.println("LoudSync host \"" + session.config().name() + "\" — session code "
                + SessionCodes.display(session.id()));
        List<String> webSockets = LanAddresses.webSocketUrls(bound);
        if (tls) {
            webSockets = webSockets.stream().map(u -> u.replaceFirst("^ws://", "wss://")).toList();
        }
        if (fingerprint != null) {
            out.println("TLS certificate SHA-256 fingerprint: " + fingerprint);
        }
        for (String url : webSockets) {
            out.println("  " + url);
        }
        out.println("Guest page: open it on a phone on the same network");
        for (String url : webSockets) {
            out.println("  " + webPage(url));
        }
        if (qr && !webSockets.isEmpty()) {
            out.print(TerminalQr.render(webPage(webSockets.get(0))));
        }
        out.println("Type help for commands.");
        out.flush();
    }

    private static void readCommands(HostCommands commands) {
        try {
            if (!commands.run(new InputStreamReader(System.in))) {
                log.info("Standard input closed; the host keeps running (stop it with Ctrl+C or SIGTERM)");
            }
        } catch (IOException e) {
            log.warn("Cannot read commands from standard input: {}", e.toString());
        }
    }

    /**
     * The shutdown hook: stops the server (guests get {@code SESSION_CLOSED}), flushes the logs and
     * halts with 0, so that SIGTERM ends the process like {@code close} does rather than with 143.
     */
    private void shutdown(LoudSyncServer server, MetricsEndpoint endpoint) {
        log.info("Stopping: closing the session");
        int status = 0;
        try {
            server.stop().get(STOP_LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            log.warn("The server did not stop within {} s", STOP_LIMIT_SECONDS);
            status = 1;
        } catch (ExecutionException | InterruptedException e) {
            log.warn("Stopping the server failed", e);
            status = 1;
        } finally {
            if (endpoint != null) {
                endpoint.close(); // after the stop: /health answers 503 while it lasts
            }
            console.flush();
            if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
                logback.stop();
            }
            Runtime.getRuntime().halt(status);
        }
    }

    private static String randomHostId() {
        return String.format("host-%08x", ThreadLocalRandom.current().nextInt());
    }

    /** This machine's name as a valid display name, or {@link #FALLBACK_HOST_NAME}; never throws. */
    static String machineName() {
        try {
            String name = InetAddress.getLocalHost().getHostName().strip();
            if (!name.isEmpty() && name.chars().noneMatch(Character::isISOControl)) {
                return name.length() <= 64 ? name : name.substring(0, 64);
            }
        } catch (IOException | RuntimeException e) {
            log.debug("Cannot find this machine's name: {}", e.toString());
        }
        return FALLBACK_HOST_NAME;
    }
}
