package dev.loudsync.examples.guest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.examples.testing.JarProcess;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The load generator's jar against the host's jar, both as separate processes on 127.0.0.1: a
 * short run through every phase. The load jar carries only what it uses (no session core, no
 * discovery, no logging backend), so this is what shows it still has all of that.
 */
class LoadJarIT {

    @Test
    void aShortRun_convergesInEveryPhase_andExits0() throws Exception {
        try (JarProcess host = new JarProcess("loudsync.host.jar", "--bind", "127.0.0.1", "--port", "0",
                "--session-id", "LOAD42", "--max-members", "20", "--no-qr", "--no-lan-discovery")) {
            String line = host.await(l -> l.contains("ws://127.0.0.1:"), "the ws:// address");
            Matcher m = Pattern.compile("(ws://127\\.0\\.0\\.1:\\d+/)").matcher(line);
            assertThat(m.find()).isTrue();
            try (JarProcess load = new JarProcess("loudsync.load.jar", "--url", m.group(1), "--session", "LOAD42",
                    "--guests", "12", "--broadcasts", "5", "--broadcast-gap", "0s", "--leave-fraction", "0.5",
                    "--timeout", "30s", "--label", "it")) {
                String summary = load.await(l -> l.startsWith("it: guests=12"), "the run's summary");
                assertThat(summary).contains(" join=", " delivery_p50=", " leave(6)=");
                assertThat(load.exitCode()).as(summary).isZero();
            }
        }
    }
}
