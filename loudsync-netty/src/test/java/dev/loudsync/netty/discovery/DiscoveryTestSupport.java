package dev.loudsync.netty.discovery;

import static org.assertj.core.api.Assertions.fail;

import dev.loudsync.testing.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/** Loopback-only helpers for the discovery tests: waiting on conditions, a JDK guest, socket and thread counts. */
final class DiscoveryTestSupport {

    static final InetAddress LOOPBACK = loopback();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private DiscoveryTestSupport() {
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(LOOPBACK, port);
    }

    /** Waits until {@code condition} holds, polling every 5 ms, failing after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        Await.until(what, timeout, condition);
    }

    /** Joins a session over the JDK's WebSocket client; the socket stays open until aborted. */
    static WebSocket join(int port, String sessionId, String deviceId) {
        return joinWithPin(port, sessionId, deviceId, null);
    }

    /** Like {@link #join}, giving {@code pin} (null for none). */
    static WebSocket joinWithPin(int port, String sessionId, String deviceId, String pin) {
        WebSocket ws = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(2))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        webSocket.request(1);
                        return null;
                    }
                })
                .orTimeout(5, TimeUnit.SECONDS).join();
        ws.sendText("{\"type\":\"JOIN\",\"payload\":{\"sessionId\":\"" + sessionId + "\",\"deviceId\":\"" + deviceId
                + "\",\"deviceName\":\"Guest " + deviceId + "\",\"version\":\"1.0.0\""
                + (pin != null ? ",\"pin\":\"" + pin + "\"" : "") + "}}", true)
                .orTimeout(5, TimeUnit.SECONDS).join();
        return ws;
    }

    /** Names of this JVM's live threads. */
    static Set<String> threadNames() {
        Set<String> names = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive()) {
                names.add(t.getName());
            }
        }
        return names;
    }

    /** Whether a thread of LAN discovery or of JmDNS is alive. */
    static boolean discoveryThreadsAlive() {
        return !discoveryThreads().isEmpty();
    }

    /** The live threads of LAN discovery and of JmDNS (whose listener threads are named {@code JmDNS pool-N-...}). */
    static Set<String> discoveryThreads() {
        Set<String> names = threadNames();
        names.removeIf(n -> !(n.startsWith("loudsync-dnssd") || n.startsWith("loudsync-discovery")
                || n.contains("JmDNS") || n.startsWith("SocketListener(loudsync")));
        return names;
    }

    /**
     * The number of UDP sockets this process holds (Linux: its socket descriptors matched against
     * /proc/net/udp and udp6), or -1 where that cannot be read.
     */
    static int udpSocketCount() {
        try {
            Set<String> udpInodes = new HashSet<>();
            for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
                Path p = Path.of(table);
                if (!Files.isReadable(p)) {
                    continue;
                }
                List<String> lines = Files.readAllLines(p);
                for (String line : lines.subList(1, lines.size())) {
                    String[] cols = line.trim().split("\\s+");
                    if (cols.length > 9) {
                        udpInodes.add(cols[9]);
                    }
                }
            }
            Path fds = Path.of("/proc/self/fd");
            if (!Files.isDirectory(fds)) {
                return -1;
            }
            int count = 0;
            try (var stream = Files.list(fds)) {
                for (Path fd : (Iterable<Path>) stream::iterator) {
                    String target;
                    try {
                        target = Files.readSymbolicLink(fd).toString();
                    } catch (IOException e) {
                        continue; // closed meanwhile
                    }
                    if (target.startsWith("socket:[") && udpInodes.contains(target.substring(8, target.length() - 1))) {
                        count++;
                    }
                }
            }
            return count;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Records listener events in order. */
    static final class Recorder implements LanDiscovery.Listener {
        record Event(String kind, DiscoveredSession session) {
        }

        final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

        @Override
        public void sessionFound(DiscoveredSession session) {
            events.add(new Event("found", session));
        }

        @Override
        public void sessionUpdated(DiscoveredSession session) {
            events.add(new Event("updated", session));
        }

        @Override
        public void sessionLost(DiscoveredSession session) {
            events.add(new Event("lost", session));
        }

        /** Skips events until one of {@code kind} matching {@code test} comes, within {@code timeout}. */
        DiscoveredSession next(String kind, Predicate<DiscoveredSession> test, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                Event e;
                try {
                    e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
                } catch (InterruptedException ex) {
                    throw new AssertionError(ex);
                }
                if (e == null) {
                    fail("no '%s' event within %d ms", kind, timeout.toMillis());
                }
                if (e.kind().equals(kind) && test.test(e.session())) {
                    return e.session();
                }
            }
        }
    }
}
