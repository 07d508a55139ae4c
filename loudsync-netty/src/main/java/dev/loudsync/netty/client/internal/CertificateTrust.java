package dev.loudsync.netty.client.internal;

import dev.loudsync.netty.client.TlsFailedException.Reason;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How the client decides whether to trust a host's certificate, and what it says when it does not.
 * Two ways: the JDK's trusted authorities with the host name checked (the default for
 * {@code wss://}), or exactly one certificate, pinned by the SHA-256 digest of its whole DER
 * encoding. Either way a refusal is a {@link Refused} naming the reason and the certificate, which
 * {@link TlsFailures} turns into the client's exception.
 *
 * <p>A pinned certificate is the host's identity: its issuer and names are not checked (a
 * self-signed host certificate is its own issuer, and a phone may reach the host by an address the
 * certificate does not list), but its validity dates are, since a certificate past its end must not
 * be used whoever trusts it. There is no "trust everything" mode.
 */
public final class CertificateTrust extends X509ExtendedTrustManager {

    /** A refused certificate: why, and which. */
    static final class Refused extends CertificateException {
        private static final long serialVersionUID = 1L;
        final Reason reason;
        final transient X509Certificate certificate;

        Refused(Reason reason, X509Certificate certificate, String message, Throwable cause) {
            super(message, cause);
            this.reason = reason;
            this.certificate = certificate;
        }
    }

    /** The pinned certificate's digest; null: the JDK's authorities. */
    private final byte[] pin;
    private final X509ExtendedTrustManager authorities;

    private CertificateTrust(byte[] pin, X509ExtendedTrustManager authorities) {
        this.pin = pin;
        this.authorities = authorities;
    }

    /**
     * The default for {@code wss://}: trusted authorities, the host name checked.
     *
     * @param authorities the trusted certificates; null: the JDK's
     */
    public static SslContext authoritiesContext(KeyStore authorities) {
        try {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(authorities);
            for (TrustManager m : f.getTrustManagers()) {
                if (m instanceof X509ExtendedTrustManager) {
                    return SslContextBuilder.forClient().trustManager(new CertificateTrust(null,
                            (X509ExtendedTrustManager) m)).endpointIdentificationAlgorithm("HTTPS").build();
                }
            }
            throw new IllegalStateException("the JDK has no X.509 trust manager");
        } catch (GeneralSecurityException | SSLException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
    }

    /**
     * A context that trusts only the certificate with this SHA-256 fingerprint.
     *
     * @param fingerprint 64 hex digits, in either case, optionally separated by colons
     * @throws IllegalArgumentException if it is not a SHA-256 fingerprint
     */
    public static SslContext pinnedContext(String fingerprint) {
        byte[] pin = parseFingerprint(fingerprint);
        try {
            return SslContextBuilder.forClient().trustManager(new CertificateTrust(pin, null)).build();
        } catch (SSLException e) {
            throw new IllegalStateException("no TLS context", e);
        }
    }

    static byte[] parseFingerprint(String fingerprint) {
        String hex = fingerprint.trim().replace(":", "").toLowerCase(Locale.ROOT);
        if (hex.length() != 64 || !hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException("trustFingerprint: '" + fingerprint
                    + "' (expected: a SHA-256 fingerprint, 64 hex digits, colons allowed)");
        }
        byte[] digest = new byte[32];
        for (int i = 0; i < digest.length; i++) {
            digest[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return digest;
    }

    /**
     * The certificate's SHA-256 fingerprint as the host prints it ({@code AB:CD:...}); the server's
     * self-signed certificates are named by it too.
     */
    public static String fingerprint(X509Certificate c) {
        return colonHex(sha256(c));
    }

    /** Not {@code java.util.HexFormat}, which Android (API level 26) lacks. */
    private static String colonHex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) {
            if (sb.length() > 0) {
                sb.append(':');
            }
            sb.append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                    .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
        }
        return sb.toString();
    }

    private static byte[] sha256(X509Certificate c) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot digest a certificate", e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        if (pin != null) {
            checkPinned(chain);
            return;
        }
        X509Certificate leaf = leaf(chain);
        try {
            authorities.checkServerTrusted(chain, authType); // the chain alone: no host name yet
        } catch (CertificateException e) {
            throw refusedByAuthorities(leaf, e);
        }
        if (engine == null) {
            return;
        }
        try {
            authorities.checkServerTrusted(chain, authType, engine); // and now the name too
        } catch (CertificateException e) {
            String host = engine.getPeerHost();
            throw new Refused(Reason.WRONG_HOST, leaf, "the host's certificate is not for " + host + " ("
                    + e.getMessage() + ")", e);
        }
    }

    private void checkPinned(X509Certificate[] chain) throws CertificateException {
        X509Certificate leaf = leaf(chain);
        if (!MessageDigest.isEqual(pin, sha256(leaf))) {
            throw new Refused(Reason.FINGERPRINT_MISMATCH, leaf, "the host's certificate is not the trusted one "
                    + "(expected SHA-256 " + colonHex(pin) + ")", null);
        }
        try {
            leaf.checkValidity();
        } catch (CertificateExpiredException e) {
            throw new Refused(Reason.EXPIRED, leaf, "the host's certificate expired on " + leaf.getNotAfter().toInstant(), e);
        } catch (CertificateNotYetValidException e) {
            throw new Refused(Reason.NOT_YET_VALID, leaf, "the host's certificate is not valid before "
                    + leaf.getNotBefore().toInstant() + " (check this device's clock)", e);
        }
    }

    private static X509Certificate leaf(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the host presented no certificate");
        }
        return chain[0];
    }

    private static Refused refusedByAuthorities(X509Certificate leaf, CertificateException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException) {
                return new Refused(Reason.EXPIRED, leaf, "the host's certificate (or one that signed it) has "
                        + "expired; it was valid until " + leaf.getNotAfter().toInstant(), e);
            }
            if (t instanceof CertificateNotYetValidException) {
                return new Refused(Reason.NOT_YET_VALID, leaf, "the host's certificate is not valid yet (valid from "
                        + leaf.getNotBefore().toInstant() + "; check this device's clock)", e);
            }
        }
        String kind = leaf.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())
                ? "self-signed" : "issued by an authority this device does not trust";
        return new Refused(Reason.UNTRUSTED, leaf, "the host's certificate is not trusted: it is " + kind, e);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType, (SSLEngine) null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checkServerTrusted(chain, authType, (SSLEngine) null);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("a client trusts no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("a client trusts no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a client trusts no clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return authorities != null ? authorities.getAcceptedIssuers() : new X509Certificate[0];
    }
}
