package dev.loudsync.benchmarks;

import dev.loudsync.core.Member;
import dev.loudsync.core.SerialExecutor;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.SessionRegistry;
import dev.loudsync.core.protocol.Capability;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.transport.Connection;
import dev.loudsync.core.transport.ConnectionHandler;
import dev.loudsync.testing.ManualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The session state machine with a large party, through the public API a
 * transport uses: {@link SessionRegistry#accept} and {@link ConnectionHandler}. Connections and
 * the broadcaster only count what they are handed, so this measures the state machine, not I/O
 * (the Netty side is {@code BroadcastBenchmark}).
 *
 * <p>The clock ({@link ManualTime}) never moves, so no guest ever times out, and timers do not fire
 * by themselves: the executors run tasks at once, like {@link ManualTime#executor()}, but hold
 * scheduled ones until the benchmark runs them. The batch window is 0, so every membership change
 * is published at once (as a lone change is with the default window) and no flush timer is left
 * waiting.
 *
 * <ul>
 *   <li>{@code joinAndLeave}: a guest connects, joins ({@code WELCOME} and {@code MEMBER_LIST} to
 *       it, the news to everyone), leaves ({@code MEMBER_LEFT}, close 1000), the transport reports
 *       the close, and the join-timeout sweep forgets the connection: the party stays at
 *       {@code members}. {@code batching}: whether guests announced {@code membersChanged}.</li>
 *   <li>{@code heartbeat}: one {@code HEARTBEAT} from the next guest in turn, its latency within a
 *       few ms of the published one, so nothing is published (the steady state).</li>
 *   <li>{@code memberUpdate}: the next guest in turn becomes a cohost (a client again in the next
 *       pass), announced to everyone: the path of every status, name and latency change.</li>
 *   <li>{@code livenessCheck}: one run of the session's periodic check (every 5 s by default) over
 *       every guest, nobody timed out: a keep-alive probe to each and one {@code PING} broadcast.</li>
 * </ul>
 *
 * <p>Run (from the repository root):
 *
 * <pre>./mvnw -q -B -pl loudsync-benchmarks -am package -DskipTests &amp;&amp; java -jar loudsync-benchmarks/target/benchmarks.jar -prof gc</pre>
 *
 * <p>and add {@code SessionBenchmark} to run only these.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SessionBenchmark {

    private static final String SESSION_ID = "ABC123";
    private static final GuestMessage.Leave LEAVE = new GuestMessage.Leave(null);

    /** A session of {@code members} (host included) whose guests do not batch. */
    @State(Scope.Thread)
    public static class Party {
        @Param("10000")
        public int members;

        final ManualTime time = new ManualTime();
        final Sink sink = new Sink();
        private final List<HeldTimers> executors = new ArrayList<>();
        SessionRegistry registry;
        Session session;
        /** The registry's executor, for join timeouts. */
        HeldTimers joinTimeouts;
        /** The session's executor. */
        HeldTimers sessionLoop;
        ConnectionHandler[] guests;
        GuestMessage.Heartbeat[] heartbeats;
        String[] ids;
        /** Whether {@code memberUpdate} makes guests cohosts in this pass over them. */
        boolean cohosts;
        int next;
        Discard newcomer;
        GuestMessage.Join newcomerJoin;

        boolean batching() {
            return false;
        }

        @Setup(Level.Trial)
        public void setUp() {
            registry = SessionRegistry.builder()
                    .timeSource(time)
                    .executors(() -> {
                        HeldTimers e = new HeldTimers(time.executor());
                        executors.add(e);
                        return e;
                    })
                    .broadcaster((message, to) -> {
                        sink.broadcasts++;
                        sink.recipients += to.size();
                    })
                    .build();
            joinTimeouts = onlyNew(0);
            session = registry.open(SessionConfig.builder()
                    .sessionId(SESSION_ID)
                    .name("Benchmark Party")
                    .host(SampleData.host().id(), SampleData.host().name())
                    .maxMembers(members + 1) // room for the newcomer of joinAndLeave
                    .batchWindow(Duration.ZERO)
                    .build());
            sessionLoop = onlyNew(1);

            int n = members - 1;
            guests = new ConnectionHandler[n];
            heartbeats = new GuestMessage.Heartbeat[n];
            ids = new String[n];
            for (int i = 0; i < n; i++) {
                Member m = SampleData.guest(i + 1);
                ids[i] = m.id();
                guests[i] = registry.accept(new Discard(sink, address(i)));
                guests[i].onMessage(join(m.id(), m.name()));
            }
            for (int i = 0; i < n; i++) {
                // The first heartbeat publishes the guest's latency; the benchmark's stay within 3 ms of it.
                Member m = SampleData.guest(i + 1);
                int latency = m.latencyMillis().getAsInt();
                guests[i].onMessage(new GuestMessage.Heartbeat(m.id(), (long) latency));
                heartbeats[i] = new GuestMessage.Heartbeat(m.id(), (long) latency + (i % 7) - 3);
            }
            // The join-timeout sweep forgets every connection that joined.
            joinTimeouts.runTimers();
            newcomer = new Discard(sink, "10.1.0.1:5000");
            newcomerJoin = join("device-newcomer", "Pixel 8");
            checkMembers();
        }

        private GuestMessage.Join join(String deviceId, String name) {
            GuestMessage.Join j = GuestMessage.Join.of(SESSION_ID, deviceId, name);
            return batching() ? j.withCapabilities(Set.of(Capability.MEMBERS_CHANGED)) : j;
        }

        private HeldTimers onlyNew(int index) {
            if (executors.size() != index + 1) {
                throw new IllegalStateException("Expected executor " + index + " to be new, have "
                        + executors.size() + ": the registry asks for executors in another order");
            }
            return executors.get(index);
        }

        private static String address(int i) {
            return "10.0." + (i >> 8 & 255) + "." + (i & 255) + ":5000";
        }

        @TearDown(Level.Iteration)
        public void checkMembers() {
            int size = session.members().size();
            if (size != members) {
                throw new IllegalStateException("The session has " + size + " members, expected " + members);
            }
        }
    }

    /** {@link Party}, with guests that batch or not. */
    @State(Scope.Thread)
    public static class Churn extends Party {
        @Param({"false", "true"})
        public boolean batching;

        @Override
        boolean batching() {
            return batching;
        }
    }

    @Benchmark
    public void joinAndLeave(Churn p) {
        ConnectionHandler h = p.registry.accept(p.newcomer);
        h.onMessage(p.newcomerJoin);
        h.onMessage(LEAVE);
        h.onClosed();
        if (p.joinTimeouts.runTimers() != 1) {
            throw new IllegalStateException("Expected one join-timeout sweep");
        }
    }

    @Benchmark
    public void heartbeat(Party p) {
        int i = p.next;
        p.next = i + 1 == p.guests.length ? 0 : i + 1;
        p.guests[i].onMessage(p.heartbeats[i]);
    }

    /**
     * One member's state changes, its place does not: the next guest in turn becomes a cohost, or a
     * client again, and everyone is told ({@code MEMBER_UPDATED}). The path of every status, name
     * and latency change.
     */
    @Benchmark
    public boolean memberUpdate(Party p) {
        int i = p.next;
        p.next = i + 1 == p.guests.length ? 0 : i + 1;
        if (i == 0) {
            p.cohosts = !p.cohosts;
        }
        return p.session.setRole(p.ids[i], p.cohosts ? Member.Role.COHOST : Member.Role.CLIENT).join();
    }

    @Benchmark
    public void livenessCheck(Party p) {
        if (p.sessionLoop.runTimers() != 1) {
            throw new IllegalStateException("Expected the periodic check to be the only timer");
        }
    }

    /** What the session handed to the transport, counted. */
    static final class Sink {
        long messages;
        long closes;
        long keepAlives;
        long broadcasts;
        long recipients;
    }

    /** A connection that counts what it is sent and sends nothing. */
    static final class Discard implements Connection {
        private final Sink sink;
        private final String address;

        Discard(Sink sink, String address) {
            this.sink = sink;
            this.address = address;
        }

        @Override
        public void send(HostMessage message) {
            sink.messages++;
        }

        @Override
        public void close(CloseCode code) {
            sink.closes++;
        }

        @Override
        public void sendKeepAlive() {
            sink.keepAlives++;
        }

        @Override
        public String remoteAddress() {
            return address;
        }
    }

    /**
     * Runs tasks on {@code tasks} (at once, on the calling thread) and holds scheduled ones, whatever
     * their delay, until {@link #runTimers} runs them: the benchmark decides when a timer fires.
     */
    static final class HeldTimers implements SerialExecutor {
        private final SerialExecutor tasks;
        private List<Held> held = new ArrayList<>();
        private List<Held> due = new ArrayList<>();

        private record Held(Runnable task, CompletableFuture<Void> handle) {
        }

        HeldTimers(SerialExecutor tasks) {
            this.tasks = tasks;
        }

        @Override
        public void execute(Runnable task) {
            tasks.execute(task);
        }

        @Override
        public Future<?> schedule(Runnable task, Duration delay) {
            CompletableFuture<Void> handle = new CompletableFuture<>();
            held.add(new Held(task, handle));
            return handle;
        }

        /** Runs the timers held so far that were not cancelled; returns how many ran. */
        int runTimers() {
            List<Held> run = held;
            held = due;
            due = run;
            int ran = 0;
            for (int i = 0; i < run.size(); i++) {
                Held h = run.get(i);
                if (h.handle.complete(null)) {
                    tasks.execute(h.task);
                    ran++;
                }
            }
            run.clear();
            return ran;
        }
    }
}
