package dev.loudsync.examples.host;

import dev.loudsync.netty.LoudSyncServer;
import dev.loudsync.netty.ServerTls;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options every command of the host jar shares (the LAN party host, {@code jam}, {@code chat}):
 * where to listen, the network threads, TLS, the QR code, the log format and {@code --help}. A picocli mixin; the
 * builder it makes carries them, and {@link #printPages} prints the addresses guests open.
 */
public final class ServerOptions {

    @Option(names = "--help", usageHelp = true, description = "show this help and exit")
    boolean help;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080",
            description = "TCP port; 0 = any free port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "0.0.0.0",
            description = "address to listen on (default: ${DEFAULT-VALUE}, all interfaces)")
    String bind;

    @Option(names = "--io-threads", paramLabel = "N",
            description = "network threads (default: one per core)")
    Integer ioThreads;

    @Option(names = "--nio", description = "use NIO even where Linux's native epoll transport is available")
    boolean nio;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "TLS certificate chain (PEM); with --tls-key")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "TLS private key (PEM, PKCS#8, unencrypted)")
    Path tlsKey;

    @Option(names = "--tls-keystore", paramLabel = "FILE", description = "TLS keystore (PKCS#12); with --tls-password-env")
    Path tlsKeystore;

    @Option(names = "--tls-password-env", paramLabel = "VAR",
            description = "environment variable holding the keystore's password")
    String tlsPasswordEnv;

    @Option(names = "--tls-self-signed", description = "serve wss:// with a throwaway certificate; prints its fingerprint")
    boolean tlsSelfSigned;

    @Option(names = "--no-qr", description = "do not print a QR code of the guest page's address")
    boolean noQr;

    /** How log lines are written. */
    enum LogFormat { TEXT, JSON }

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, or json: one JSON object per line (default: ${DEFAULT-VALUE})")
    LogFormat logFormat;

    /** Whether TLS is on, and a self-signed certificate's SHA-256 fingerprint for the banner. */
    private boolean tlsOn;
    private String tlsFingerprint;

    /** Switches the logs to JSON lines if asked; call first. */
    public void configureLogs() {
        if (logFormat == LogFormat.JSON) {
            Logs.useConfiguration("logback-json.xml");
        }
    }

    /**
     * A server builder listening where the options say, with their transport and TLS.
     *
     * @throws IllegalArgumentException for TLS options that do not fit together or cannot be read
     */
    public LoudSyncServer.Builder serverBuilder() {
        LoudSyncServer.Builder builder = LoudSyncServer.builder().bindAddress(bind).port(port).nativeTransport(!nio);
        if (ioThreads != null) {
            builder.ioThreads(ioThreads);
        }
        SslContext tls = tls();
        if (tls != null) {
            builder.tls(tls);
        }
        return builder;
    }

    /** Whether {@link #serverBuilder()} turned TLS on. */
    public boolean tlsOn() {
        return tlsOn;
    }

    /** The SHA-256 fingerprint of a self-signed certificate, or null. */
    public String tlsFingerprint() {
        return tlsFingerprint;
    }

    /** The address to listen on, as given. */
    public String bind() {
        return bind;
    }

    /** The port asked for (0: any free one). */
    public int port() {
        return port;
    }

    /** Whether the QR code of the page's address is printed. */
    public boolean qr() {
        return !noQr;
    }

    /**
     * Prints the page's {@code http(s)://ADDRESS:PORT/} line for each LAN address of {@code bound},
     * the certificate's fingerprint when self-signed, and (unless {@code --no-qr}) a QR code of the
     * first address.
     */
    public void printPages(PrintStream out, InetSocketAddress bound) {
        if (tlsFingerprint != null) {
            out.println("TLS certificate SHA-256 fingerprint: " + tlsFingerprint);
        }
        List<String> pages = pageUrls(bound, tlsOn);
        for (String url : pages) {
            out.println("  " + url);
        }
        if (!noQr && !pages.isEmpty()) {
            out.print(TerminalQr.render(pages.get(0)));
        }
        out.flush();
    }

    /** One {@code http(s)://ADDRESS:PORT/} per address guests can reach {@code bound} at. */
    static List<String> pageUrls(InetSocketAddress bound, boolean tls) {
        List<String> pages = new ArrayList<>();
        for (String ws : LanAddresses.webSocketUrls(bound)) {
            pages.add(ws.replaceFirst("^ws://", tls ? "https://" : "http://"));
        }
        return pages;
    }

    /** The TLS context the options ask for, or null for plain ws://. */
    private SslContext tls() {
        int ways = (tlsCert != null || tlsKey != null ? 1 : 0) + (tlsKeystore != null ? 1 : 0) + (tlsSelfSigned ? 1 : 0);
        if (ways == 0) {
            return null;
        }
        if (ways > 1) {
            throw new IllegalArgumentException("TLS: choose one of --tls-cert/--tls-key, --tls-keystore, --tls-self-signed");
        }
        tlsOn = true;
        if (tlsSelfSigned) {
            List<String> names = new ArrayList<>(List.of("localhost"));
            for (InetAddress a : LanAddresses.of(bindAddressOrAny())) {
                names.add(a.getHostAddress());
            }
            ServerTls.SelfSigned self = ServerTls.selfSigned(names.stream().distinct().toList());
            tlsFingerprint = self.sha256Fingerprint();
            return self.context();
        }
        if (tlsKeystore != null) {
            String password = tlsPasswordEnv != null ? System.getenv(tlsPasswordEnv) : null;
            if (password == null) {
                throw new IllegalArgumentException("TLS: --tls-keystore needs --tls-password-env VAR with VAR set");
            }
            return ServerTls.fromPkcs12(tlsKeystore, password.toCharArray());
        }
        if (tlsCert == null || tlsKey == null) {
            throw new IllegalArgumentException("TLS: --tls-cert and --tls-key go together");
        }
        return ServerTls.fromPem(tlsCert, tlsKey);
    }

    /** The bind address as an {@link InetAddress}. */
    InetAddress bindAddressOrAny() {
        try {
            return InetAddress.getByName(bind);
        } catch (IOException e) {
            throw new IllegalArgumentException("bind: " + bind + " (unknown host)");
        }
    }
}
