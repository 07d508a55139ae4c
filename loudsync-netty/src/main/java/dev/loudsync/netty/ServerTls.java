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
    public record SelfSigned(SslContext context, java.security.cert.X509Certificate certificate,
            java.security.PrivateKey privateKey, String sha256Fingerprint) {
    }

    /**
     * A throwaway self-signed certificate (EC P-256, valid for 30 days) for the given DNS names and
     * IP addresses, so guests can check its fingerprint by eye. Needs BouncyCastle
     * ({@code org.bouncycastle:bcpkix-jdk18on}) on the class path.
     *
     * @param names DNS names and IP literals the certificate is for, at least one
     */
    public static SelfSigned selfSigned(java.util.List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("names: empty (expected: at least one DNS name or IP address)");
        }
        try {
            java.security.KeyPairGenerator kpg = java.security.KeyPairGenerator.getInstance("EC");
            kpg.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
            java.security.KeyPair keys = kpg.generateKeyPair();
            long now = System.currentTimeMillis();
            org.bouncycastle.asn1.x500.X500Name subject = new org.bouncycastle.asn1.x500.X500Name(
                    "CN=" + names.get(0).replaceAll("[,=+<>#;\\\"]", "_"));
            org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder builder =
                    new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(subject,
                            java.math.BigInteger.valueOf(now), new java.util.Date(now - 3_600_000L),
                            new java.util.Date(now + 30L * 24 * 3_600_000L), subject, keys.getPublic());
            org.bouncycastle.asn1.x509.GeneralName[] alternatives =
                    new org.bouncycastle.asn1.x509.GeneralName[names.size()];
            for (int i = 0; i < names.size(); i++) {
                String n = names.get(i);
                boolean ip = n.matches("[0-9.]+") || n.contains(":");
                alternatives[i] = new org.bouncycastle.asn1.x509.GeneralName(ip
                        ? org.bouncycastle.asn1.x509.GeneralName.iPAddress
                        : org.bouncycastle.asn1.x509.GeneralName.dNSName, n);
            }
            builder.addExtension(org.bouncycastle.asn1.x509.Extension.subjectAlternativeName, false,
                    new org.bouncycastle.asn1.x509.GeneralNames(alternatives));
            java.security.cert.X509Certificate cert = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
                    .getCertificate(builder.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder(
                            "SHA256withECDSA").build(keys.getPrivate())));
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            StringBuilder fingerprint = new StringBuilder();
            for (byte b : digest) {
                if (fingerprint.length() > 0) {
                    fingerprint.append(':');
                }
                fingerprint.append(String.format("%02X", b));
            }
            SslContext context = SslContextBuilder.forServer(keys.getPrivate(), cert).build();
            return new SelfSigned(context, cert, keys.getPrivate(), fingerprint.toString());
        } catch (GeneralSecurityException | SSLException | org.bouncycastle.operator.OperatorCreationException
                | org.bouncycastle.cert.CertIOException e) {
            throw new IllegalStateException("cannot make a self-signed certificate: " + e.getMessage(), e);
        }
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
