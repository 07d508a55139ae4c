package dev.loudsync.examples.guest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.examples.testing.JarProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/**
 * The host jar with {@code --tls-self-signed}: it serves wss://, and the certificate a guest sees
 * has the SHA-256 fingerprint the host printed, so a person can verify it by eye; the guest jar
 * joins by trusting that fingerprint, and only that one.
 */
class HostTlsIT {

    @Test
    void aSelfSignedHost_servesWss_withThePrintedFingerprint() throws Exception {
        try (JarProcess host = new JarProcess("loudsync.host.jar", "--bind", "127.0.0.1", "--port", "0",
                "--session-id", "TEST42", "--no-qr", "--no-lan-discovery", "--tls-self-signed")) {
            String printed = host.await(l -> l.startsWith("TLS certificate SHA-256 fingerprint: "), "the fingerprint")
                    .substring("TLS certificate SHA-256 fingerprint: ".length());
            Matcher m = Pattern.compile("(wss://127\\.0\\.0\\.1:\\d+/)").matcher(
                    host.await(l -> l.contains("wss://127.0.0.1:"), "the wss:// address"));
            assertThat(m.find()).isTrue();

            // A guest that checks the fingerprint itself instead of trusting an authority.
            AtomicReference<X509Certificate> seen = new AtomicReference<>();
            X509TrustManager pinning = new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                    seen.set(chain[0]);
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            };
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[] {pinning}, null);
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            WebSocket ws = HttpClient.newBuilder().sslContext(ssl).build().newWebSocketBuilder()
                    .buildAsync(URI.create(m.group(1)), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            received.add(data.toString());
                            webSocket.request(1);
                            return null;
                        }
                    }).get(20, TimeUnit.SECONDS);
            String actual = HexFormat.ofDelimiter(":").withUpperCase().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(seen.get().getEncoded()));
            assertThat(actual).isEqualTo(printed);
            ws.sendText("{\"type\":\"JOIN\",\"payload\":{\"sessionId\":\"TEST42\",\"deviceId\":\"a\","
                    + "\"deviceName\":\"A\"}}", true).get(10, TimeUnit.SECONDS);
            assertThat(received.poll(20, TimeUnit.SECONDS)).contains("\"WELCOME\"");
            ws.abort();
        }
    }

    @Test
    void theGuestJar_joinsTrustingThePrintedFingerprint_andIsRefusedWithAnotherOrNone() throws Exception {
        try (JarProcess host = new JarProcess("loudsync.host.jar", "--bind", "127.0.0.1", "--port", "0",
                "--session-id", "TEST42", "--no-qr", "--no-lan-discovery", "--tls-self-signed")) {
            String printed = host.await(l -> l.startsWith("TLS certificate SHA-256 fingerprint: "), "the fingerprint")
                    .substring("TLS certificate SHA-256 fingerprint: ".length());
            Matcher m = Pattern.compile("(wss://127\\.0\\.0\\.1:\\d+/)").matcher(
                    host.await(l -> l.contains("wss://127.0.0.1:"), "the wss:// address"));
            assertThat(m.find()).isTrue();
            String url = m.group(1);

            try (JarProcess guest = new JarProcess("loudsync.guest.jar", "--url", url, "--session", "TEST42",
                    "--device-id", "pinned", "--trust-fingerprint", printed.toLowerCase(java.util.Locale.ROOT))) {
                assertThat(guest.await(l -> l.startsWith("Joined ") || l.contains("could not join"), "the join"))
                        .startsWith("Joined ");
            }

            // Another certificate's fingerprint: the last digit differs.
            char last = printed.charAt(printed.length() - 1);
            String wrong = printed.substring(0, printed.length() - 1) + (last == '0' ? '1' : '0');
            try (JarProcess guest = new JarProcess("loudsync.guest.jar", "--url", url, "--session", "TEST42",
                    "--device-id", "wrong", "--trust-fingerprint", wrong)) {
                String refusal = guest.await(l -> l.startsWith("Joined ") || l.contains("could not join"), "the refusal");
                System.out.println("HostTlsIT, wrong fingerprint: " + refusal);
                assertThat(refusal).contains("could not join: TLS handshake with 127.0.0.1:")
                        .contains("not the trusted one").contains("SHA-256 " + printed).contains("--trust-fingerprint");
                assertThat(guest.exitCode()).isEqualTo(1);
            }

            try (JarProcess guest = new JarProcess("loudsync.guest.jar", "--url", url, "--session", "TEST42",
                    "--device-id", "trusting-nothing")) {
                String refusal = guest.await(l -> l.startsWith("Joined ") || l.contains("could not join"), "the refusal");
                System.out.println("HostTlsIT, no fingerprint: " + refusal);
                assertThat(refusal).contains("not trusted").contains("self-signed").contains("SHA-256 " + printed)
                        .contains("--trust-fingerprint " + printed);
                assertThat(guest.exitCode()).isEqualTo(1);
            }
        }
    }
}
