package dev.loudsync.netty.client;

import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * The TLS handshake with the host failed: what {@link LoudSyncClient#connect()} fails with, and
 * why the client ends in {@link ClientState#FAILED} instead of reconnecting (a certificate does not
 * change between attempts). The message says what was wrong with the host's certificate and names
 * it by subject and SHA-256 fingerprint, so that a person can compare it with the one the host
 * shows.
 */
public final class TlsFailedException extends SSLException {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Reason {
        /**
         * The certificate is not signed by an authority the client trusts: self-signed, or from an
         * unknown authority. Compare its fingerprint with the host's and trust it with
         * {@link LoudSyncClient.Builder#trustFingerprint}.
         */
        UNTRUSTED,
        /** The certificate is not the one {@link LoudSyncClient.Builder#trustFingerprint} names. */
        FINGERPRINT_MISMATCH,
        /** The certificate's validity ended. */
        EXPIRED,
        /** The certificate's validity has not begun (or a clock is wrong). */
        NOT_YET_VALID,
        /** The certificate is valid and trusted, but not for the host name or address connected to. */
        WRONG_HOST,
        /** Anything else: no TLS on the other side, no common protocol version or cipher suite. */
        HANDSHAKE
    }

    private final Reason reason;
    private final String fingerprint;
    private final String subject;

    /**
     * @param fingerprint the host certificate's SHA-256 fingerprint (colon-separated upper-case
     *                    hex), or null if the handshake did not get that far
     * @param subject     the certificate's subject, or null
     */
    public TlsFailedException(Reason reason, String message, String fingerprint, String subject, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.fingerprint = fingerprint;
        this.subject = subject;
    }

    public Reason reason() {
        return reason;
    }

    /** The host certificate's SHA-256 fingerprint, as {@code AB:CD:...}, when one was presented. */
    public Optional<String> certificateFingerprint() {
        return Optional.ofNullable(fingerprint);
    }

    /** The host certificate's subject, when one was presented. */
    public Optional<String> certificateSubject() {
        return Optional.ofNullable(subject);
    }
}
