package dev.loudsync.examples.host;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.loudsync.netty.Abuse;
import dev.loudsync.core.protocol.ErrorCode;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/** The host's event lines: key-value fields, and a flood that cannot flood the log. */
class LogLinesTest {

    private final AtomicLong now = new AtomicLong();
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(ServerEvents.class);

    LogLinesTest() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(lines);
    }

    private static String kv(ILoggingEvent e) {
        List<KeyValuePair> pairs = e.getKeyValuePairs();
        return pairs == null ? "" : pairs.stream().map(p -> p.key + "=" + p.value).reduce((a, b) -> a + " " + b)
                .orElse("");
    }

    @Test
    void aFloodOfAbuse_logsABurst_thenATrickle_andSaysHowManyItDropped() {
        ServerEvents events = new ServerEvents(new LogLimiter(5, 20, now::get), new LogLimiter(5, 20, now::get));
        for (int i = 0; i < 1_000; i++) {
            events.abuse(Abuse.FLOODING, "10.0.0.7:5000", "61 messages over the rate limit within 10 s");
        }
        assertThat(lines.list).hasSize(20);
        ILoggingEvent first = lines.list.get(0);
        assertThat(first.getLevel().toString()).isEqualTo("WARN");
        assertThat(first.getFormattedMessage())
                .isEqualTo("Stopped FLOODING from 10.0.0.7:5000: 61 messages over the rate limit within 10 s");
        assertThat(kv(first)).isEqualTo(
                "event=abuse kind=FLOODING remote=10.0.0.7:5000 detail=61 messages over the rate limit within 10 s");

        now.addAndGet(1_000_000_000L); // a second later: five more lines, the first with the count
        for (int i = 0; i < 100; i++) {
            events.abuse(Abuse.FLOODING, "10.0.0.7:5000", "again");
        }
        assertThat(lines.list).hasSize(25);
        assertThat(kv(lines.list.get(20))).startsWith("event=abuse suppressed=980 kind=FLOODING");
        assertThat(kv(lines.list.get(21))).doesNotContain("suppressed");
    }

    @Test
    void refusedJoins_haveTheirOwnBudget() {
        ServerEvents events = new ServerEvents(new LogLimiter(5, 2, now::get), new LogLimiter(5, 2, now::get));
        for (int i = 0; i < 10; i++) {
            events.abuse(Abuse.ORIGIN_REFUSED, "10.0.0.7:5000", "origin http://evil.example");
        }
        events.joinRefused("10.0.0.8:6000", ErrorCode.SESSION_FULL);
        assertThat(lines.list).hasSize(3);
        ILoggingEvent refused = lines.list.get(2);
        assertThat(refused.getLevel().toString()).isEqualTo("INFO");
        assertThat(kv(refused)).isEqualTo("event=join_refused code=SESSION_FULL remote=10.0.0.8:6000");
    }

    @Test
    void limiter_refillsAtItsRate_upToItsBurst() {
        LogLimiter limiter = new LogLimiter(2, 3, now::get);
        assertThat(limiter.acquire()).isZero();
        assertThat(limiter.acquire()).isZero();
        assertThat(limiter.acquire()).isZero();
        assertThat(limiter.acquire()).isEqualTo(-1);
        now.addAndGet(500_000_000L); // one line's worth
        assertThat(limiter.acquire()).isEqualTo(1);
        assertThat(limiter.acquire()).isEqualTo(-1);
        now.addAndGet(60_000_000_000L); // a long quiet: back to the burst, no more
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire()).isGreaterThanOrEqualTo(0);
        }
        assertThat(limiter.acquire()).isEqualTo(-1);
    }
}
