package dev.loudsync.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loudsync.core.Session;
import dev.loudsync.netty.client.LoudSyncClient;
import dev.loudsync.testing.SocketGuest;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** wss:// with a self-signed certificate that the test's clients trust. */
class TlsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final ServerTls.SelfSigned CERT = ServerTls.selfSigned(List.of("localhost", "127.0.0.1"));

    private final ServerTestSupport t = new ServerTestSupport(b -> b.tls(CERT.context())
            .webHandler(r -> WebResponse.text(200, "secure page")));

    @AfterEach
    void stop() {
        t.close();
    }

    private static SSLContext trustingTheCertificate() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("host", CERT.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    @Test
    void theJdkClient_joinsOverWss_andPlainHttpBecomesHttps() throws Exception {
        Session s = t.open();
        HttpClient client = HttpClient.newBuilder().sslContext(trustingTheCertificate()).build();
        URI wss = URI.create("wss://127.0.0.1:" + t.server.port() + "/");
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        WebSocket ws = client.newWebSocketBuilder().buildAsync(wss, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                received.add(data.toString());
                webSocket.request(1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        ws.sendText("{\"type\":\"JOIN\",\"payload\":{\"sessionId\":\"ABC123\",\"deviceId\":\"a\",\"deviceName\":\"A\"}}",
                true).get(10, TimeUnit.SECONDS);
        JsonNode welcome = JSON.readTree(received.poll(10, TimeUnit.SECONDS));
        assertThat(welcome.path("type").asText()).isEqualTo("WELCOME");
        assertThat(s.members()).hasSize(2);
        ws.abort();

        HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                + t.server.port() + "/")).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(page.body()).isEqualTo("secure page");
    }

    @Test
    void loudSyncClient_joinsOverWss_trustingTheHostsCertificate() throws Exception {
        Session s = t.open();
        try (LoudSyncClient c = LoudSyncClient.builder()
                .url(URI.create("wss://127.0.0.1:" + t.server.port() + "/"))
                .sessionId("ABC123").device("java", "Java")
                .tls(SslContextBuilder.forClient().trustManager(CERT.certificate()).build())
                .build()) {
            assertThat(c.connect().get(10, TimeUnit.SECONDS).yourDeviceId()).isEqualTo("java");
            assertThat(s.members()).hasSize(2);
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificate_cannotConnect_andPlainWsIsRefused() {
        t.open();
        Throwable untrusted = catchThrowable(() -> HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("wss://127.0.0.1:" + t.server.port() + "/"), new WebSocket.Listener() { })
                .get(10, TimeUnit.SECONDS));
        assertThat(untrusted).isNotNull();
        Throwable plain = catchThrowable(() -> SocketGuest.connect(URI.create("ws://127.0.0.1:" + t.server.port() + "/")));
        assertThat(plain).isNotNull();
    }

    @Test
    void contextsFromPemFilesAndAPkcs12Keystore_serveWss(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.util.Base64.Encoder b64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        java.nio.file.Path cert = dir.resolve("cert.pem");
        java.nio.file.Path key = dir.resolve("key.pem");
        java.nio.file.Files.writeString(cert, "-----BEGIN CERTIFICATE-----\n"
                + b64.encodeToString(CERT.certificate().getEncoded()) + "\n-----END CERTIFICATE-----\n");
        java.nio.file.Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
                + b64.encodeToString(CERT.privateKey().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        java.nio.file.Path p12 = dir.resolve("keystore.p12");
        char[] password = "secret".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("host", CERT.privateKey(), password, new java.security.cert.Certificate[] {CERT.certificate()});
        try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(p12)) {
            ks.store(out, password);
        }
        for (io.netty.handler.ssl.SslContext context : List.of(ServerTls.fromPem(cert, key),
                ServerTls.fromPkcs12(p12, password))) {
            try (ServerTestSupport other = new ServerTestSupport(b -> b.tls(context))) {
                other.open();
                try (LoudSyncClient c = LoudSyncClient.builder()
                        .url(URI.create("wss://127.0.0.1:" + other.server.port() + "/"))
                        .sessionId("ABC123").device("java", "Java")
                        .tls(SslContextBuilder.forClient().trustManager(CERT.certificate()).build())
                        .build()) {
                    assertThat(c.connect().get(10, TimeUnit.SECONDS).yourDeviceId()).isEqualTo("java");
                }
            }
        }
        assertThat(catchThrowable(() -> ServerTls.fromPkcs12(p12, "wrong".toCharArray())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theFingerprint_isTheCertificatesSha256() throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(CERT.certificate().getEncoded());
        assertThat(CERT.sha256Fingerprint().replace(":", "")).isEqualToIgnoringCase(
                java.util.HexFormat.of().formatHex(digest));
        assertThat(CERT.sha256Fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    }
}
