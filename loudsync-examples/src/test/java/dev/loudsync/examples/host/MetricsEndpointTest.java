package dev.loudsync.examples.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loudsync.testing.SocketGuest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.skywalking.oap.server.library.util.prometheus.metrics.MetricType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The host's GET /metrics and GET /health, on a real server over real sockets. */
class MetricsEndpointTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private TestHost host;
    private MetricsEndpoint endpoint;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        host = TestHost.start(b -> b.latencyProbes(false));
        endpoint = MetricsEndpoint.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), host.server,
                host.session);
        base = URI.create(endpoint.url());
    }

    @AfterEach
    void stop() {
        endpoint.close();
        host.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private PrometheusText scrape() throws Exception {
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        return PrometheusText.parse(r.body());
    }

    @Test
    void metrics_parseAsPrometheusText_andMoveWithJoinsRefusalsAndAbuse() throws Exception {
        PrometheusText before = scrape();
        assertThat(before.value("loudsync_server_state", "state", "running")).isEqualTo(1);
        assertThat(before.value("loudsync_joins_accepted_total")).isZero();
        assertThat(before.type("loudsync_joins_accepted_total")).isEqualTo(MetricType.COUNTER);
        assertThat(before.type("loudsync_members")).isEqualTo(MetricType.GAUGE);
        assertThat(before.families()).containsKeys("loudsync_payload_sent_bytes_total", "jvm_memory_used_bytes",
                "process_uptime_seconds");

        host.join("a", "Phone A");
        SocketGuest wrong = TestHost.sendJoin(host.uri, "WRONG1", "w", "W");
        assertThat(wrong.next("ERROR").at("/payload/code").asText()).isEqualTo("SESSION_NOT_FOUND");
        assertThatThrownBy(() -> http.newWebSocketBuilder().header("Origin", "http://evil.example")
                .buildAsync(host.uri, new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS))
                .hasStackTraceContaining("status code 403");
        TestHost.await("the refusals counted", () -> host.server.stats().abuseTotal() == 1
                && host.server.stats().joinsRefusedTotal() == 1);

        PrometheusText after = scrape();
        assertThat(after.value("loudsync_joins_accepted_total")).isEqualTo(1);
        assertThat(after.value("loudsync_members")).isEqualTo(2);
        assertThat(after.value("loudsync_session_members", "session", "TEST42")).isEqualTo(2);
        assertThat(after.value("loudsync_joins_refused_total", "code", "SESSION_NOT_FOUND")).isEqualTo(1);
        assertThat(after.value("loudsync_abuse_total", "kind", "origin_refused")).isEqualTo(1);
        assertThat(after.value("loudsync_abuse_total", "kind", "flooding")).isZero();
        assertThat(after.value("loudsync_frames_received_total"))
                .isGreaterThan(before.value("loudsync_frames_received_total"));
        wrong.close();
    }

    @Test
    void health_is200WhileRunning_and503Otherwise() throws Exception {
        HttpResponse<String> running = get("/health");
        assertThat(running.statusCode()).isEqualTo(200);
        assertThat(running.body()).isEqualTo("running\n");

        host.server.stop().get(10, TimeUnit.SECONDS);
        HttpResponse<String> stopped = get("/health");
        assertThat(stopped.statusCode()).isEqualTo(503);
        assertThat(stopped.body()).isEqualTo("stopped\n");
    }

    @Test
    void otherPathsAndMethods_areRefused() throws Exception {
        assertThat(get("/").statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(base.resolve("/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void theEndpoint_isOnLoopbackUnlessToldOtherwise() {
        assertThat(endpoint.address().getAddress().isLoopbackAddress()).isTrue();
        InetSocketAddress port = MetricsEndpoint.parseAddress("9464");
        assertThat(port.getAddress().isLoopbackAddress()).isTrue();
        assertThat(port.getPort()).isEqualTo(9464);
        assertThat(MetricsEndpoint.parseAddress("0.0.0.0:9464").getAddress().isAnyLocalAddress()).isTrue();
        assertThat(MetricsEndpoint.parseAddress("[::1]:9464").getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        for (String bad : new String[] {"", "x", "70000", ":9464", "127.0.0.1:"}) {
            assertThatThrownBy(() -> MetricsEndpoint.parseAddress(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("metrics: ");
        }
    }
}
