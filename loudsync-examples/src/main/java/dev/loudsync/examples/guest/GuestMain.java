package dev.loudsync.examples.guest;

import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.SessionCodes;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.examples.host.Durations;
import dev.loudsync.netty.client.ClientListener;
import dev.loudsync.netty.client.ClientState;
import dev.loudsync.netty.client.JoinRefusedException;
import dev.loudsync.netty.client.LoudSyncClient;
import dev.loudsync.netty.client.TlsFailedException;
import dev.loudsync.netty.discovery.DiscoveredSession;
import dev.loudsync.netty.discovery.LanDiscovery;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The example guest: finds sessions on the LAN, or joins one, prints the member list whenever it
 * changes and every {@code CHAT}, and sends each line typed on standard input as a {@code CHAT}.
 * Exits 0 when the host ends the session or kicks it (or on end of input after leaving), 1 when the
 * join fails, 2 on bad options.
 */
@Command(name = "loudsync-guest", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Joins a LoudSync session from the command line.",
                "Lines typed on standard input are sent as CHAT."})
public final class GuestMain implements Callable<Integer> {

    @Option(names = "--discover", description = "list the sessions found on the LAN, then exit")
    boolean discover;

    /** Where to join: an address, a session code found by discovery, or both. */
    static final class Target {
        @Option(names = "--url", paramLabel = "ws://HOST:PORT/", description = "the host's WebSocket address")
        URI url;

        @Option(names = "--session", paramLabel = "CODE",
                description = "the session code; without --url the session is found on the LAN")
        String session;
    }

    @ArgGroup(exclusive = false)
    Target target = new Target();

    @Option(names = "--device-id", paramLabel = "ID", description = "this device's id (default: guest-<random hex>)")
    String deviceId;

    @Option(names = "--device-name", paramLabel = "NAME", description = "display name (default: this machine's name)")
    String deviceName;

    @Option(names = "--pin", paramLabel = "PIN", description = "the session's PIN, if it has one")
    String pin;

    @Option(names = "--trust-fingerprint", paramLabel = "SHA256",
            description = {"for a wss:// host with a self-signed certificate: trust exactly the certificate with "
                    + "this SHA-256 fingerprint, as the host prints it (AB:CD:..., colons optional)"})
    String trustFingerprint;

    @Option(names = "--discover-for", paramLabel = "D", defaultValue = "3s",
            description = "how long to listen for sessions (default: ${DEFAULT-VALUE})")
    Duration discoverFor;

    @Option(names = "--beacon-port", paramLabel = "N", defaultValue = "8081",
            description = "UDP port of LAN beacons (default: ${DEFAULT-VALUE})")
    int beaconPort;

    @Option(names = "--beacon-bind", paramLabel = "ADDR",
            description = "address to listen for beacons on (default: all)")
    String beaconBind;

    @Option(names = "--no-dns-sd", description = "find sessions by beacons only")
    boolean noDnsSd;

    @Option(names = "--help", usageHelp = true, description = "show this help and exit")
    boolean help;

    private final PrintStream out;

    GuestMain(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.exit(commandLine(new GuestMain(out)).execute(args));
    }

    static CommandLine commandLine(GuestMain guest) {
        return new CommandLine(guest)
                .registerConverter(Duration.class, Durations::option)
                .setParameterExceptionHandler((ParameterException e, String[] args) -> {
                    PrintWriter err = e.getCommandLine().getErr();
                    err.println("loudsync-guest: " + e.getMessage());
                    err.println("Run with --help for the options.");
                    err.flush();
                    return ExitCode.USAGE;
                });
    }

    @Override
    public Integer call() throws Exception {
        if (discover) {
            List<DiscoveredSession> found = scan();
            if (found.isEmpty()) {
                out.println("No sessions found.");
            }
            for (DiscoveredSession s : found) {
                out.println(describe(s));
            }
            return 0;
        }
        URI url = target.url;
        String code = target.session;
        if (url == null && code == null) {
            throw new ParameterException(new CommandLine(this), "give --url, --session, or --discover");
        }
        if (url == null) {
            Optional<DiscoveredSession> match = scan().stream()
                    .filter(s -> SessionCodes.normalize(s.sessionId()).equals(SessionCodes.normalize(code)))
                    .findFirst();
            if (match.isEmpty()) {
                System.err.println("loudsync-guest: no session " + SessionCodes.display(code) + " found on the LAN");
                return 1;
            }
            url = URI.create("ws://" + hostPart(match.get()) + ":" + match.get().address().getPort() + "/");
        }
        if (code == null) {
            System.err.println("loudsync-guest: give the session code with --session");
            return ExitCode.USAGE;
        }
        return join(url, code);
    }

    private static String hostPart(DiscoveredSession s) {
        String host = s.address().getAddress().getHostAddress();
        return host.contains(":") ? "[" + host + "]" : host;
    }

    static String describe(DiscoveredSession s) {
        return SessionCodes.display(s.sessionId()) + "  \"" + s.sessionName() + "\" hosted by " + s.hostName()
                + "  " + s.memberCount() + "/" + s.maxMembers() + (s.pinRequired() ? "  PIN" : "")
                + "  ws://" + hostPart(s) + ":" + s.address().getPort() + "/"
                + (s.loudSyncNative() ? "" : "  (original-design host: protocol 1, PIN not announced)");
    }

    private List<DiscoveredSession> scan() throws InterruptedException, UnknownHostException {
        LanDiscovery.Builder b = LanDiscovery.builder().beaconPort(beaconPort).dnsSd(!noDnsSd);
        if (beaconBind != null) {
            b.beaconBindAddress(InetAddress.getByName(beaconBind));
        }
        return LanDiscovery.scan(discoverFor, b);
    }

    private int join(URI url, String code) throws InterruptedException {
        CompletableFuture<String> ended = new CompletableFuture<>();
        Printer printer = new Printer(ended);
        LoudSyncClient.Builder b = LoudSyncClient.builder().url(url).sessionId(code)
                .device(deviceId != null ? deviceId : randomId(), deviceName != null ? deviceName : machineName())
                .listener(printer);
        if (pin != null) {
            b.pin(pin);
        }
        if (trustFingerprint != null) {
            if (!"wss".equals(url.getScheme())) {
                System.err.println("loudsync-guest: --trust-fingerprint is for a wss:// address (given: " + url + ")");
                return ExitCode.USAGE;
            }
            try {
                b.trustFingerprint(trustFingerprint);
            } catch (IllegalArgumentException e) {
                System.err.println("loudsync-guest: --trust-fingerprint: " + trustFingerprint
                        + " is not a SHA-256 fingerprint (64 hex digits, colons allowed)");
                return ExitCode.USAGE;
            }
        }
        LoudSyncClient client = b.build();
        printer.client = client;
        try {
            HostMessage.Welcome w = client.connect().get(30, TimeUnit.SECONDS);
            out.println("Joined \"" + w.sessionName() + "\" hosted by " + w.hostName() + " as " + w.yourDeviceId()
                    + ". Type to chat; end input to leave.");
        } catch (ExecutionException e) {
            System.err.println("loudsync-guest: could not join: " + reason(e.getCause()));
            client.close();
            return 1;
        } catch (java.util.concurrent.TimeoutException e) {
            System.err.println("loudsync-guest: could not join within 30 s");
            client.close();
            return 1;
        }
        Thread reader = new Thread(() -> readChat(client, ended), "loudsync-guest-input");
        reader.setDaemon(true);
        reader.start();
        String why;
        try {
            why = ended.get();
        } catch (ExecutionException e) {
            why = "Error: " + e.getCause().getMessage();
        }
        out.println(why);
        client.close();
        return why.startsWith("Error") ? 1 : 0;
    }

    private void readChat(LoudSyncClient client, CompletableFuture<String> ended) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String text = line.strip();
                if (!text.isEmpty()) {
                    client.send("CHAT", Map.of("text", text));
                }
            }
        } catch (IOException | RuntimeException e) {
            // input unavailable: leave as on end of input
        }
        client.leave().whenComplete((v, e) -> ended.complete("Left the session."));
    }

    private static String reason(Throwable t) {
        if (t instanceof JoinRefusedException) {
            return t.getMessage();
        }
        if (t instanceof TlsFailedException) {
            TlsFailedException tls = (TlsFailedException) t;
            String fingerprint = tls.certificateFingerprint().orElse(null);
            return switch (tls.reason()) {
                case UNTRUSTED -> tls.getMessage() + ". If the host printed the same fingerprint, run again with "
                        + "--trust-fingerprint " + fingerprint;
                case FINGERPRINT_MISMATCH -> tls.getMessage() + ". It is not the certificate --trust-fingerprint "
                        + "names: check the fingerprint the host printed (a restarted host has a new one)";
                default -> tls.getMessage();
            };
        }
        return t.getClass().getSimpleName() + (t.getMessage() != null ? ": " + t.getMessage() : "");
    }

    private static String randomId() {
        return String.format("guest-%08x", ThreadLocalRandom.current().nextInt());
    }

    private static String machineName() {
        try {
            String n = InetAddress.getLocalHost().getHostName().strip();
            return n.isEmpty() ? "Java guest" : n.length() > 64 ? n.substring(0, 64) : n;
        } catch (IOException e) {
            return "Java guest";
        }
    }

    /** Prints what happens in the session; completes {@code ended} when the session is over for us. */
    private final class Printer implements ClientListener {
        private final CompletableFuture<String> ended;
        private volatile LoudSyncClient client;
        private List<String> lastPrinted = List.of();

        Printer(CompletableFuture<String> ended) {
            this.ended = ended;
        }

        @Override
        public void memberList(List<Member> members) {
            print(members);
        }

        @Override
        public void memberJoined(Member member) {
            out.println("+ " + member.name() + " joined");
            print(client.members());
        }

        @Override
        public void memberLeft(String deviceId, LeaveReason reason) {
            out.println("- " + deviceId + " left" + (reason != null ? " (" + reason.wireText() + ")" : ""));
            print(client.members());
        }

        @Override
        public void message(String type, Map<String, Object> payload) {
            if ("CHAT".equals(type)) {
                out.println("[" + payload.get("from") + "] " + payload.get("text"));
            }
        }

        @Override
        public void kicked(String reason) {
            ended.complete("Kicked by the host" + (reason.isEmpty() ? "." : ": " + reason));
        }

        @Override
        public void sessionClosed(String reason) {
            ended.complete("The host ended the session (" + reason + ").");
        }

        @Override
        public void error(ErrorCode code, String message) {
            out.println("! " + code + ": " + message);
        }

        @Override
        public void stateChanged(ClientState from, ClientState to) {
            if (to == ClientState.RECONNECTING) {
                out.println("Connection lost; reconnecting...");
            } else if (to == ClientState.FAILED && from != ClientState.CONNECTING) {
                ended.completeExceptionally(new IllegalStateException("connection lost for good"));
            }
        }

        @Override
        public void memberUpdated(Member member) {
            print(client.members());
        }

        /** Prints the list when names or statuses changed (latency changes alone are not news). */
        private void print(List<Member> members) {
            List<String> shown = members.stream()
                    .map(m -> m.name() + (m.isHost() ? " (host)" : "")
                            + (m.status() == dev.loudsync.core.MemberStatus.RECONNECTING ? " (reconnecting)" : ""))
                    .collect(Collectors.toList());
            if (shown.equals(lastPrinted)) {
                return;
            }
            lastPrinted = shown;
            out.println("Members (" + shown.size() + "): " + String.join(", ", shown));
        }
    }
}
