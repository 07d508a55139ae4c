package dev.loudsync.examples.jam;

import static dev.loudsync.examples.jam.JamRig.js;
import static dev.loudsync.examples.jam.JamRig.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * Synchronized playback, measured in real browsers whose clocks are wrong: page A's clock runs
 * 700 ms ahead, page B's 300 ms behind, and a late joiner C's 1.2 s behind (a script replaces
 * {@code Date.now} and {@code performance.timeOrigin} before the page loads, as a phone's wrong
 * wall clock would make them).
 *
 * <p>The measurement does not trust the page: the same script wraps
 * {@code AudioBufferSourceNode.start} and records, from the real clock, when the scheduled sound is
 * heard (the browser's own {@code AudioContext.getOutputTimestamp} maps the context's time to
 * performance time, and {@code performance.now} to the wall clock the host also reads) and which
 * position of the track it starts at.
 *
 * <ul>
 * <li>A and B start each track within {@value #START_TOLERANCE_MS} ms of each other, over
 * {@value #ROUNDS} tracks: the moments at which each page plays (or would have played, had it
 * started there) the track's first sample. A page normally starts at the shared instant, 800 ms
 * after {@code PLAY_NEXT}; one too busy for that (a loaded machine) starts later, further into the
 * track, still in step, and the report says so;</li>
 * <li>C, joining 10 s into a track, starts within {@value #LATE_TOLERANCE_MS} ms of the position the
 * host's clock says the track is at.</li>
 * </ul>
 * The figures are printed as {@code JAM-SYNC} lines and written to {@code target/jam-sync.txt}
 * (docs/BENCHMARKS.md quotes them).
 */
class JamSyncIT {

    static final int ROUNDS = 5;
    static final double START_TOLERANCE_MS = 5;
    static final double LATE_TOLERANCE_MS = 20;

    /** The clock shift and the measuring hook, run before the page's own script. */
    static String preload(long shiftMs) {
        return """
                (() => {
                  const shift = %d;
                  const realOrigin = performance.timeOrigin;
                  const realDateNow = Date.now.bind(Date);
                  Date.now = () => realDateNow() + shift;
                  Object.defineProperty(performance, 'timeOrigin', { get: () => realOrigin + shift, configurable: true });
                  // The real wall-clock time of performance time 0: Date.now() is whole milliseconds, so
                  // take the largest floor(Date.now) - performance.now over a few millisecond ticks.
                  function epochOfPerfZero() {
                    let best = -Infinity;
                    const until = performance.now() + 4;
                    while (performance.now() < until) {
                      best = Math.max(best, realDateNow() - performance.now());
                    }
                    return best;
                  }
                  window.__jamStarts = [];
                  const start = AudioBufferSourceNode.prototype.start;
                  AudioBufferSourceNode.prototype.start = function (when, offset) {
                    const c = this.context;
                    const ts = c.getOutputTimestamp();
                    const heardPerf = ts.performanceTime > 0
                      ? ts.performanceTime + (when - ts.contextTime) * 1000
                      : performance.now() + (when - c.currentTime) * 1000;
                    const np = window.loudsyncJam && window.loudsyncJam.state().nowPlaying;
                    window.__jamStarts.push({ realStart: epochOfPerfZero() + heardPerf, offsetMs: (offset || 0) * 1000,
                      entryId: np ? np.entryId : null });
                    return start.apply(this, arguments);
                  };
                })();
                """.formatted(shiftMs);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> starts(WebDriver b) {
        return (List<Map<String, Object>>) js(b, "return window.__jamStarts");
    }

    /** The first start of {@code entryId} on the page; later ones are the page's re-alignments. */
    private static Map<String, Object> firstStart(WebDriver b, String entryId) {
        return waiting(b).until(d -> starts(d).stream().filter(x -> entryId.equals(x.get("entryId"))).findFirst()
                .orElse(null));
    }

    private static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    private static void awaitClock(WebDriver b) {
        waiting(b).until(d -> num(js(d, "return window.loudsyncJam.samples()")) >= 20);
    }

    @Test
    void pagesWithWrongClocks_startTogether_andALateJoinerStartsAtTheRightPosition() throws Exception {
        List<String> report = new ArrayList<>();
        try (JamRig jam = JamRig.start()) {
            WebDriver a = jam.browser(preload(700));
            WebDriver b = jam.browser(preload(-300));
            String code = jam.create(a, "Sync", "Ann");
            jam.joinByLink(b, code, "Ben");
            awaitClock(a);
            awaitClock(b);
            double offsetA = num(js(a, "return window.loudsyncJam.offset()"));
            double offsetB = num(js(b, "return window.loudsyncJam.offset()"));
            // The estimates undo the shifts (host = local + offset), so the shifts were in effect.
            assertThat(offsetA).isBetween(-750.0, -650.0);
            assertThat(offsetB).isBetween(250.0, 350.0);
            report.add(String.format(Locale.ROOT, "clock offsets: A %.1f ms (shifted +700), B %.1f ms (shifted -300)",
                    offsetA, offsetB));

            List<Double> diffs = new ArrayList<>();
            List<Double> starting = new ArrayList<>();
            String[] tracks = {"g-sunrise", "g-walk", "g-lullaby", "g-chase", "g-sunrise"};
            for (int round = 0; round < ROUNDS; round++) {
                js(a, "document.querySelector(\"#catalog li[data-track='\" + arguments[0] + \"'] button.add\").click()",
                        tracks[round]);
                waiting(a).until(d -> !d.findElements(By.cssSelector("#queue li")).isEmpty());
                a.findElement(By.id("play-next")).click();
                String entry = "e-" + (round + 1);
                Map<String, Object> sa = firstStart(a, entry);
                Map<String, Object> sb = firstStart(b, entry);
                starting.add(num(sa.get("offsetMs")));
                starting.add(num(sb.get("offsetMs")));
                // When each page hears the track's first sample (the same as its start when it starts there).
                diffs.add((num(sa.get("realStart")) - num(sa.get("offsetMs")))
                        - (num(sb.get("realStart")) - num(sb.get("offsetMs"))));
            }
            report.add("start difference A - B per track (ms): " + format(diffs));
            report.add("where each page started the track (ms into it; above 0 when it was late and joined in"
                    + " further on): " + format(starting));
            report.add(String.format(Locale.ROOT, "start difference, largest: %.2f ms (limit %.0f ms)",
                    diffs.stream().mapToDouble(Math::abs).max().orElseThrow(), START_TOLERANCE_MS));

            // The last track started; a third page joins 10 s into it.
            @SuppressWarnings("unchecked")
            Map<String, Object> playback = (Map<String, Object>) js(a, "return window.loudsyncJam.state().playback");
            double at = num(playback.get("at"));
            double positionMs = num(playback.get("positionMs"));
            WebDriver c = jam.browser(preload(-1200));
            c.get(jam.page);
            while (System.currentTimeMillis() < at + 10_000) {
                Thread.sleep(20); // waiting for a moment of the real clock, not for an outcome
            }
            jam.joinByLink(c, code, "Cat");
            Map<String, Object> sc = firstStart(c, "e-" + ROUNDS);
            double realStart = num(sc.get("realStart"));
            double expected = positionMs + (realStart - at); // the host's clock is this machine's
            double error = num(sc.get("offsetMs")) - expected;
            report.add(String.format(Locale.ROOT, "late joiner (shifted -1200, joined 10 s into the track): started"
                    + " playing at track position %.1f ms when the host's clock said %.1f ms: error %.2f ms (limit %.0f ms)",
                    num(sc.get("offsetMs")), expected, error, LATE_TOLERANCE_MS));
            report.add("re-alignments (a page restarting a track that drifted by more than 30 ms): A "
                    + (starts(a).size() - ROUNDS) + ", B " + (starts(b).size() - ROUNDS) + ", C " + (starts(c).size() - 1));
            for (String line : report) {
                System.out.println("JAM-SYNC " + line);
            }
            Files.write(Path.of("target", "jam-sync.txt"), report);

            assertThat(diffs).allSatisfy(d -> assertThat(Math.abs(d)).isLessThanOrEqualTo(START_TOLERANCE_MS));
            assertThat(realStart - at).isGreaterThanOrEqualTo(10_000);
            assertThat(Math.abs(error)).isLessThanOrEqualTo(LATE_TOLERANCE_MS);
        }
    }

    private static String format(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList().toString();
    }
}
