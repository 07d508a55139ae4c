package dev.loudsync.examples.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The guest page over real HTTP on the same port as the WebSocket. */
class GuestPageTest {

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageItsAssetsAndTheSessionJson_areServedBesideTheWebSocket() throws Exception {
        GuestPage page = new GuestPage();
        try (TestHost host = TestHost.start(page, b -> b.pin("1234"))) {
            page.show(host.session);
            int port = host.server.port();

            HttpResponse<String> index = get(port, "/");
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(index.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
            assertThat(index.headers().firstValue("content-security-policy")).hasValueSatisfying(
                    csp -> assertThat(csp).contains("default-src 'self'"));
            assertThat(index.body()).contains("<script src=\"/app.js\">").doesNotContain("http://", "https://");
            assertThat(get(port, "/app.js").body()).contains("new WebSocket(");
            assertThat(get(port, "/style.css").statusCode()).isEqualTo(200);
            assertThat(get(port, "/nope").statusCode()).isEqualTo(404);

            JsonNode session = new ObjectMapper().readTree(get(port, "/session").body());
            assertThat(session.path("sessionId").asText()).isEqualTo("TES-T42");
            assertThat(session.path("sessionName").asText()).isEqualTo("LoudSync Party");
            assertThat(session.path("hostName").asText()).isEqualTo("Test Host");
            assertThat(session.path("memberCount").asInt()).isEqualTo(1); // the host
            assertThat(session.path("maxMembers").asInt()).isEqualTo(8);
            assertThat(session.path("pinRequired").asBoolean()).isTrue();
            assertThat(session.toString()).doesNotContain("1234");
        }
    }

    @Test
    void thePageNeverPutsThePinInAUrl() throws Exception {
        GuestPage page = new GuestPage();
        try (TestHost host = TestHost.start(page, b -> b)) {
            String js = get(host.server.port(), "/app.js").body();
            assertThat(js).doesNotContainPattern("[?&]pin=");
            assertThat(js).contains("payload.pin = state.pin");
        }
    }
}
