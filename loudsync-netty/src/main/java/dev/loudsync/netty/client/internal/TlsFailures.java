package dev.loudsync.netty.client.internal;

import dev.loudsync.netty.client.TlsFailedException;
import dev.loudsync.netty.client.TlsFailedException.Reason;
import java.security.cert.X509Certificate;

/** Turns a failed TLS handshake into the client's {@link TlsFailedException}. */
final class TlsFailures {

    private TlsFailures() {
    }

    /**
     * @param cause    what the handshake failed with
     * @param hostPort where the client connected, for the message
     */
    static TlsFailedException describe(Throwable cause, String hostPort) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CertificateTrust.Refused) {
                CertificateTrust.Refused r = (CertificateTrust.Refused) t;
                X509Certificate c = r.certificate;
                String fingerprint = CertificateTrust.fingerprint(c);
                String subject = c.getSubjectX500Principal().getName();
                return new TlsFailedException(r.reason, "TLS handshake with " + hostPort + " failed: "
                        + r.getMessage() + "; certificate " + subject + ", SHA-256 " + fingerprint,
                        fingerprint, subject, cause);
            }
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new TlsFailedException(Reason.HANDSHAKE, "TLS handshake with " + hostPort + " failed: "
                + (root.getMessage() != null ? root.getMessage() : root.toString()), null, null, cause);
    }
}
