package dev.loudsync.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.SerialExecutor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ManualTimeTest {

    private final ManualTime time = new ManualTime(Instant.parse("2030-01-01T00:00:00Z"));
    private final List<String> ran = new ArrayList<>();

    @Test
    void timeStandsStillUntilAdvanced() {
        long start = time.currentTimeMillis();
        assertThat(start).isEqualTo(Instant.parse("2030-01-01T00:00:00Z").toEpochMilli());
        assertThat(time.currentTimeMillis()).isEqualTo(start);
        time.advance(Duration.ofMillis(1500));
        assertThat(time.currentTimeMillis()).isEqualTo(start + 1500);
        assertThat(time.nanoTime()).isEqualTo(1_500_000_000L);
    }

    @Test
    void scheduledTasks_runInDueOrder_withTheClockAtTheirDueTime() {
        SerialExecutor ex = time.executor();
        ex.schedule(() -> ran.add("b@" + time.nanoTime() / 1_000_000), Duration.ofMillis(20));
        ex.schedule(() -> ran.add("a@" + time.nanoTime() / 1_000_000), Duration.ofMillis(10));
        ex.schedule(() -> ran.add("c@" + time.nanoTime() / 1_000_000), Duration.ofMillis(20));
        time.advance(Duration.ofMillis(15));
        assertThat(ran).containsExactly("a@10");
        time.advance(Duration.ofMillis(15));
        assertThat(ran).containsExactly("a@10", "b@20", "c@20");
        assertThat(time.nanoTime()).isEqualTo(30_000_000L);
    }

    @Test
    void tasksNeverNest_theyQueue() {
        SerialExecutor ex = time.executor();
        ex.execute(() -> {
            ran.add("outer start");
            ex.execute(() -> ran.add("inner"));
            ran.add("outer end");
        });
        assertThat(ran).containsExactly("outer start", "outer end", "inner");
    }

    @Test
    void aCancelledTask_doesNotRun() {
        Future<?> f = time.executor().schedule(() -> ran.add("x"), Duration.ofMillis(5));
        assertThat(time.pendingTasks()).isEqualTo(1);
        assertThat(f.cancel(false)).isTrue();
        time.advance(Duration.ofMillis(10));
        assertThat(ran).isEmpty();
        assertThat(f.isCancelled()).isTrue();
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void aTaskScheduledByATask_runsInTheSameAdvanceIfDue() {
        time.executor().schedule(() -> {
            ran.add("first");
            time.executor().schedule(() -> ran.add("second"), Duration.ofMillis(5));
        }, Duration.ofMillis(5));
        time.advance(Duration.ofMillis(10));
        assertThat(ran).containsExactly("first", "second");
    }
}
