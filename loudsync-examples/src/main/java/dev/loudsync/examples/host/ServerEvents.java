package dev.loudsync.examples.host;

import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.netty.Abuse;
import dev.loudsync.netty.ServerListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Logs what the server refused, with key-value fields ({@code event}, {@code kind} or {@code code},
 * {@code remote}, {@code detail}): refused joins at INFO, what its protections stopped at WARN.
 * Both pass a {@link LogLimiter} (20 at once, then 5 a second, each), so that a flood of bad
 * connections, the very thing being reported, cannot flood the log; the next line let through
 * carries {@code suppressed=N}, and the {@code stats} command and {@code /metrics} count them all.
 */
final class ServerEvents implements ServerListener {

    private static final Logger log = LoggerFactory.getLogger(ServerEvents.class);

    private final LogLimiter refusals;
    private final LogLimiter abuse;

    ServerEvents() {
        this(new LogLimiter(5, 20), new LogLimiter(5, 20));
    }

    ServerEvents(LogLimiter refusals, LogLimiter abuse) {
        this.refusals = refusals;
        this.abuse = abuse;
    }

    @Override
    public void joinRefused(String remoteAddress, ErrorCode code) {
        LoggingEventBuilder b = HostEvents.line(log, refusals, "join_refused");
        if (b != null) {
            b.addKeyValue("code", code.name()).addKeyValue("remote", remoteAddress)
                    .log("Join refused: {} from {}", code.name(), remoteAddress);
        }
    }

    @Override
    public void abuse(Abuse kind, String remoteAddress, String detail) {
        long suppressed = abuse.acquire();
        if (suppressed < 0 || !log.isWarnEnabled()) {
            return;
        }
        LoggingEventBuilder b = log.atWarn().addKeyValue("event", "abuse");
        if (suppressed > 0) {
            b = b.addKeyValue("suppressed", suppressed);
        }
        b.addKeyValue("kind", kind.name()).addKeyValue("remote", remoteAddress).addKeyValue("detail", detail)
                .log("Stopped {} from {}: {}", kind.name(), remoteAddress, detail);
    }
}
