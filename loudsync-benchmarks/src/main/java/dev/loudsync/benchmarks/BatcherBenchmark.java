package dev.loudsync.benchmarks;

import dev.loudsync.core.Member;
import dev.loudsync.core.internal.MembershipBatcher;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link MembershipBatcher}: a burst of {@code joins} recorded in one batch window, then the flush
 * to batching guests, with the calls the session's announcer makes at a flush. Guests who were there
 * before the burst share one {@code MEMBERS_CHANGED}; a batching newcomer's view already holds
 * everything up to its own join (its {@code MEMBER_LIST}), so it gets only what came after.
 *
 * <ul>
 *   <li>{@code joinBurstToEarlierGuests}: the flush builds the one message for earlier guests
 *       (newcomers that do not batch).</li>
 *   <li>{@code joinBurstToAllGuests}: every newcomer batches too: one more message per newcomer,
 *       each the changes after its join.</li>
 * </ul>
 *
 * <p>The batcher lives for the whole run, as a session's does: its sequence never restarts.
 *
 * <p>Run (from the repository root):
 *
 * <pre>./mvnw -q -B -pl loudsync-benchmarks -am package -DskipTests &amp;&amp; java -jar loudsync-benchmarks/target/benchmarks.jar -prof gc</pre>
 *
 * <p>and add {@code BatcherBenchmark} to run only these.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BatcherBenchmark {

    @State(Scope.Thread)
    public static class Burst {
        @Param({"100", "1000"})
        public int joins;

        final MembershipBatcher batcher = new MembershipBatcher();
        Member[] joiners;
        /** Each newcomer's baseline: the sequence number of its own join. */
        long[] joinSeqs;

        @Setup(Level.Trial)
        public void setUp() {
            joiners = new Member[joins];
            joinSeqs = new long[joins];
            for (int i = 0; i < joins; i++) {
                joiners[i] = SampleData.guest(i + 1);
            }
        }

        /** Records the burst; returns the baseline of the guests who were there before it. */
        long recordBurst() {
            long earlier = batcher.seq();
            for (int i = 0; i < joiners.length; i++) {
                joinSeqs[i] = batcher.record(MembershipBatcher.Change.joined(joiners[i]));
            }
            return earlier;
        }

        void flushTo(long baseline, Blackhole bh) {
            if (batcher.hasChangesAfter(baseline)) {
                bh.consume(batcher.changesAfter(batcher.effectiveBaseline(baseline)));
            }
        }
    }

    @Benchmark
    public void joinBurstToEarlierGuests(Burst b, Blackhole bh) {
        long earlier = b.recordBurst();
        b.flushTo(earlier, bh);
        b.batcher.clear();
    }

    @Benchmark
    public void joinBurstToAllGuests(Burst b, Blackhole bh) {
        long earlier = b.recordBurst();
        b.flushTo(earlier, bh);
        for (long joined : b.joinSeqs) {
            b.flushTo(joined, bh);
        }
        b.batcher.clear();
    }
}
