package dev.loudsync.netty.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.loudsync.core.SessionConfig;
import dev.loudsync.netty.LoudSyncServer;
import dev.loudsync.netty.ServerTls;
import dev.loudsync.netty.client.internal.CertificateTrust;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.math.BigInteger;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's certificate checks over wss:// on loopback: a certificate pinned by its SHA-256
 * fingerprint is trusted, any other is not, and every refusal says why and names the certificate.
 */
class CertificateTrustTest {

    private static final ServerTls.SelfSigned CERT = ServerTls.selfSigned(List.of("localhost", "127.0.0.1"));

    private LoudSyncServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private URI start(SslContext tls) {
        server = LoudSyncServer.builder().bindAddress("127.0.0.1").port(0).ioThreads(1).tls(tls).build();
        server.openSession(SessionConfig.builder().sessionId("ABC123").host("host-1", "Host").build());
        server.start().join();
        return URI.create("wss://127.0.0.1:" + server.port() + "/");
    }

    private static LoudSyncClient.Builder client(URI url) {
        return LoudSyncClient.builder().url(url).sessionId("ABC123").device("phone", "Phone");
    }

    /** What connecting fails with; the client ends FAILED, without retrying. */
    private static TlsFailedException refusal(LoudSyncClient c) throws Exception {
        Throwable t = catchThrowable(() -> c.connect().get(10, TimeUnit.SECONDS));
        assertThat(t).isInstanceOf(ExecutionException.class);
        assertThat(t.getCause()).isInstanceOf(TlsFailedException.class);
        assertThat(c.connectionState()).isEqualTo(ClientState.FAILED);
        System.out.println("CertificateTrustTest: " + t.getCause().getMessage());
        return (TlsFailedException) t.getCause();
    }

    @Test
    void thePinnedCertificate_isTrusted_inAnyNotation() throws Exception {
        URI url = start(CERT.context());
        for (String fingerprint : List.of(CERT.sha256Fingerprint(), CERT.sha256Fingerprint().replace(":", "")
                .toLowerCase(java.util.Locale.ROOT))) {
            try (LoudSyncClient c = client(url).trustFingerprint(fingerprint).build()) {
                assertThat(c.connect().get(10, TimeUnit.SECONDS).yourDeviceId()).isEqualTo("phone");
            }
        }
    }

    @Test
    void anotherCertificate_isRefused_namingTheOneThatWasPresented() throws Exception {
        URI url = start(CERT.context());
        ServerTls.SelfSigned other = ServerTls.selfSigned(List.of("localhost", "127.0.0.1"));
        try (LoudSyncClient c = client(url).trustFingerprint(other.sha256Fingerprint()).build()) {
            TlsFailedException e = refusal(c);
            assertThat(e.reason()).isEqualTo(TlsFailedException.Reason.FINGERPRINT_MISMATCH);
            assertThat(e.certificateFingerprint()).contains(CERT.sha256Fingerprint());
            assertThat(e.getMessage()).contains("127.0.0.1:" + server.port()).contains(CERT.sha256Fingerprint())
                    .contains("CN=localhost");
        }
        assertThat(server.sessions().get(0).members()).hasSize(1);
    }

    @Test
    void aSelfSignedCertificate_isNotTrustedByDefault_andTheMessageSaysSo() throws Exception {
        URI url = start(CERT.context());
        try (LoudSyncClient c = client(url).build()) {
            TlsFailedException e = refusal(c);
            assertThat(e.reason()).isEqualTo(TlsFailedException.Reason.UNTRUSTED);
            assertThat(e.getMessage()).contains("not trusted").contains("self-signed").contains(CERT.sha256Fingerprint());
        }
    }

    @Test
    void aTrustedCertificateForAnotherName_isRefusedAsTheWrongHost() throws Exception {
        ServerTls.SelfSigned elsewhere = ServerTls.selfSigned(List.of("speaker.example"));
        URI url = start(elsewhere.context());
        KeyStore authorities = KeyStore.getInstance(KeyStore.getDefaultType());
        authorities.load(null, null);
        authorities.setCertificateEntry("host", elsewhere.certificate());
        try (LoudSyncClient c = client(url).tls(CertificateTrust.authoritiesContext(authorities)).build()) {
            TlsFailedException e = refusal(c);
            assertThat(e.reason()).isEqualTo(TlsFailedException.Reason.WRONG_HOST);
            assertThat(e.getMessage()).contains("not for 127.0.0.1").contains(elsewhere.sha256Fingerprint());
        }
    }

    @Test
    void anExpiredPinnedCertificate_isRefusedAsExpired() throws Exception {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
        kpg.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = kpg.generateKeyPair();
        long day = 24 * 3_600_000L;
        long now = System.currentTimeMillis();
        X500Name name = new X500Name("CN=old-speaker");
        X509Certificate expired = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                name, BigInteger.ONE, new Date(now - 60 * day), new Date(now - 30 * day), name, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        URI url = start(SslContextBuilder.forServer(keys.getPrivate(), expired).build());
        String fingerprint = hex(java.security.MessageDigest.getInstance("SHA-256").digest(expired.getEncoded()));
        try (LoudSyncClient c = client(url).trustFingerprint(fingerprint).build()) {
            TlsFailedException e = refusal(c);
            assertThat(e.reason()).isEqualTo(TlsFailedException.Reason.EXPIRED);
            assertThat(e.getMessage()).contains("expired").contains("CN=old-speaker");
        }
    }

    @Test
    void aFingerprintThatIsNone_isRefusedAtOnce_asIsTrustingTwoWays() {
        URI url = URI.create("wss://127.0.0.1:1/");
        assertThat(catchThrowable(() -> client(url).trustFingerprint("AB:CD")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trustFingerprint: 'AB:CD'");
        assertThat(catchThrowable(() -> client(url).trustFingerprint("zz" + CERT.sha256Fingerprint().substring(2))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(catchThrowable(() -> client(url).trustFingerprint(CERT.sha256Fingerprint()).tls(
                CertificateTrust.authoritiesContext(null)))).isInstanceOf(IllegalStateException.class);
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }
}
