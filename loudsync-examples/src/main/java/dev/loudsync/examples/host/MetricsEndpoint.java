package dev.loudsync.examples.host;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.loudsync.core.Session;
import dev.loudsync.micrometer.LoudSyncMetrics;
import dev.loudsync.micrometer.SessionMetrics;
import dev.loudsync.netty.LoudSyncServer;
import dev.loudsync.netty.ServerState;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The host's operations endpoint, a small HTTP server of its own (the JDK's), apart from the guests'
 * port so that it can stay on the loopback address while guests come from the LAN:
 *
 * <pre>
 * GET /metrics   Prometheus text format (Micrometer's Prometheus registry): LoudSync's meters,
 *                the session's, and the JVM's memory, CPU and uptime
 * GET /health    200 "running" while the server runs, 503 and its state otherwise (stopping...)
 * </pre>
 *
 * <p>Requests are served one at a time on one daemon thread; each scrape reads the server's stats.
 */
final class MetricsEndpoint implements AutoCloseable {

    /** The content type of Prometheus' text exposition format, version 0.0.4. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer http;
    private final ExecutorService thread;
    private final PrometheusMeterRegistry registry;
    private final LoudSyncServer server;

    private MetricsEndpoint(HttpServer http, LoudSyncServer server, Session session) {
        this.http = http;
        this.server = server;
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new LoudSyncMetrics(server).bindTo(registry);
        new SessionMetrics(session).bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "loudsync-metrics");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(thread);
        http.createContext("/metrics", e -> answer(e, () -> registry.scrape(), PROMETHEUS_TEXT));
        http.createContext("/health", this::health);
        http.createContext("/", e -> send(e, 404, "not found\n", "text/plain; charset=utf-8"));
    }

    /**
     * Serves {@code server}'s metrics on {@code address}.
     *
     * @throws IOException if the address cannot be bound
     */
    static MetricsEndpoint start(InetSocketAddress address, LoudSyncServer server, Session session) throws IOException {
        MetricsEndpoint endpoint = new MetricsEndpoint(HttpServer.create(address, 16), server, session);
        endpoint.http.start();
        return endpoint;
    }

    /**
     * The address {@code --metrics} names: {@code PORT} (on the loopback address), or
     * {@code HOST:PORT} ({@code [IPv6]:PORT}) to listen elsewhere, such as {@code 0.0.0.0:9464}.
     *
     * @throws IllegalArgumentException if it is not one of those
     */
    static InetSocketAddress parseAddress(String spec) {
        String host = null;
        String port = spec.strip();
        int colon = port.lastIndexOf(':');
        if (colon >= 0) {
            host = port.substring(0, colon);
            port = port.substring(colon + 1);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
        }
        try {
            int p = Integer.parseInt(port);
            if (p < 0 || p > 65_535 || host != null && host.isEmpty()) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(host != null ? InetAddress.getByName(host) : InetAddress.getLoopbackAddress(), p);
        } catch (NumberFormatException | UnknownHostException e) {
            throw new IllegalArgumentException("metrics: " + spec + " (expected: PORT or HOST:PORT, port 0-65535)");
        }
    }

    /** Where the endpoint listens, with the real port if it was given 0. */
    InetSocketAddress address() {
        return http.getAddress();
    }

    /** {@code http://HOST:PORT} of {@link #address()}. */
    String url() {
        InetAddress a = address().getAddress();
        String host = a instanceof java.net.Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
        return "http://" + host + ":" + address().getPort();
    }

    private void health(HttpExchange e) throws IOException {
        ServerState state = server.state();
        answer(e, () -> state.name().toLowerCase(Locale.ROOT) + "\n", "text/plain; charset=utf-8",
                state == ServerState.RUNNING ? 200 : 503);
    }

    private interface Body {
        String get();
    }

    private static void answer(HttpExchange e, Body body, String type) throws IOException {
        answer(e, body, type, 200);
    }

    private static void answer(HttpExchange e, Body body, String type, int status) throws IOException {
        String method = e.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            e.getResponseHeaders().set("Allow", "GET, HEAD");
            send(e, 405, "method not allowed\n", "text/plain; charset=utf-8");
            return;
        }
        send(e, status, body.get(), type);
    }

    private static void send(HttpExchange e, int status, String text, String type) throws IOException {
        try {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            e.getResponseHeaders().set("Content-Type", type);
            boolean head = e.getRequestMethod().equals("HEAD");
            e.sendResponseHeaders(status, head ? -1 : bytes.length == 0 ? -1 : bytes.length);
            if (!head && bytes.length > 0) {
                try (OutputStream out = e.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } finally {
            e.close();
        }
    }

    /** Stops serving; the registry's meters go with it. */
    @Override
    public void close() {
        http.stop(0);
        thread.shutdownNow();
        registry.close();
    }
}
