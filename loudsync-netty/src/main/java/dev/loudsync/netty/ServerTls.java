package dev.loudsync.netty;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;

/**
 * Server TLS contexts for {@link LoudSyncServer.Builder#tls}, from the usual files, built with
 * Netty's {@link SslContextBuilder} on the JDK's TLS provider.
 */
public final class ServerTls {

    private ServerTls() {
    }

    /** A throwaway certificate with its key, and the certificate's SHA-256 fingerprint. */
    public record SelfSigned(SslContext context, X509Certificate certificate,
            PrivateKey privateKey, String sha256Fingerprint) {
    }

    /**
     * A throwaway self-signed certificate (EC P-256, valid for 30 days) for the given DNS names and
     * IP addresses, so guests can check its fingerprint by eye. Needs BouncyCastle
     * ({@code org.bouncycastle:bcpkix-jdk18on}) on the class path.
     *
     * @param names DNS names and IP literals the certificate is for, at least one
     */
    public static SelfSigned selfSigned(List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("names: empty (expected: at least one DNS name or IP address)");
        }
        // In a class of its own, so that ServerTls loads without the optional BouncyCastle.
        return SelfSignedCertificates.create(names);
    }

    /**
     * From PEM files: the certificate chain (server certificate first) and its unencrypted PKCS#8
     * private key.
     *
     * @throws IllegalArgumentException if the files cannot be read or do not match
     */
    public static SslContext fromPem(Path certificateChain, Path privateKey) {
        try {
            return SslContextBuilder.forServer(certificateChain.toFile(), privateKey.toFile()).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("TLS from " + certificateChain + " and " + privateKey + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * From a PKCS#12 keystore holding one private key entry, protected by {@code password}.
     *
     * @throws IllegalArgumentException if the keystore cannot be read or opened
     */
    public static SslContext fromPkcs12(Path keystore, char[] password) {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            return SslContextBuilder.forServer(kmf).build();
        } catch (IOException e) {
            throw new IllegalArgumentException("TLS from " + keystore + ": " + e.getMessage(), new UncheckedIOException(e));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS from " + keystore + ": " + e.getMessage(), e);
        }
    }
}
