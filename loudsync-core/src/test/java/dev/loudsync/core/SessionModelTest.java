package dev.loudsync.core;

import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.GuestMessage.Join;
import dev.loudsync.core.testing.Harness;
import dev.loudsync.core.testing.SessionInvariants;
import dev.loudsync.core.testing.TestConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Drives a session with random sequences of joins, resumes, leaves, losses, heartbeats, kicks,
 * violations and time steps, and checks the protocol's invariants after every step. A failure names
 * its seed; rerun that one seed to reproduce it.
 */
class SessionModelTest {

    private static final int STEPS = 1_000;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 100);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomOperations_keepEveryInvariant(long seed) {
        Run run = new Run(seed);
        try {
            run.run();
        } catch (AssertionError e) {
            throw new AssertionError("seed " + seed + ": " + e.getMessage() + "\nlast steps:\n"
                    + String.join("\n", run.log.subList(Math.max(0, run.log.size() - 40), run.log.size())), e);
        }
    }

    private static final class Run {
        final SplittableRandom random;
        final Harness h = new Harness();
        final Session session;
        final Duration window;
        final List<TestConnection> connections = new ArrayList<>();
        final Map<TestConnection, String> deviceOf = new HashMap<>();
        final Map<String, String> tokens = new HashMap<>();
        final List<String> devices = new ArrayList<>();
        final List<String> log = new ArrayList<>();

        Run(long seed) {
            random = new SplittableRandom(seed);
            int max = 2 + random.nextInt(7);
            Duration grace = random.nextBoolean() ? Duration.ZERO : Duration.ofSeconds(10);
            window = random.nextBoolean() ? Duration.ZERO : Duration.ofMillis(20);
            session = h.open(b -> b.maxMembers(max).reconnectGrace(grace).batchWindow(window));
            session.handle("CHAT", (s, sender, m) -> s.broadcast("CHAT", Map.of("from", sender.id())));
            for (int i = 0; i < 12; i++) {
                devices.add("d" + i);
            }
        }

        void run() {
            for (int step = 0; step < STEPS; step++) {
                step();
                quiesce();
                check();
            }
        }

        void quiesce() {
            SessionInvariants.quiesce(h, window);
        }

        TestConnection anyOpen() {
            List<TestConnection> open = connections.stream().filter(TestConnection::isOpen).toList();
            return open.isEmpty() ? null : open.get(random.nextInt(open.size()));
        }

        void step() {
            int op = random.nextInt(100);
            TestConnection c = anyOpen();
            String device = devices.get(random.nextInt(devices.size()));
            log.add("t=" + h.time.nanoTime() / 1_000_000 + " op=" + op + " conn=" + (c == null ? "-" : deviceOf.get(c)
                    + "@" + c.handler().hashCode()) + " device=" + device + " members=" + session.members().stream()
                    .map(m -> m.id() + (m.status() == MemberStatus.RECONNECTING ? "~" : "")).toList());
            if (op < 25 || c == null) {
                Join join = Join.of(session.id(), device, "Guest " + device);
                if (random.nextBoolean()) {
                    join = join.withCapabilities(java.util.Set.of("membersChanged"));
                }
                if (random.nextInt(3) == 0 && tokens.containsKey(device)) {
                    join = join.withResumeToken(tokens.get(device));
                }
                TestConnection n = h.connect();
                connections.add(n);
                deviceOf.put(n, device);
                n.send(join);
            } else if (op < 45) {
                c.send(new GuestMessage.Heartbeat(deviceOf.get(c), random.nextBoolean() ? null
                        : (long) random.nextInt(-10, 70_000)));
            } else if (op < 50) {
                c.send(new GuestMessage.Heartbeat(device, null)); // maybe spoofed
            } else if (op < 55) {
                c.send(new GuestMessage.Leave(null));
            } else if (op < 62) {
                c.drop();
            } else if (op < 66) {
                session.kick(device, "random");
            } else if (op < 68) {
                c.handler().onSlowConsumer();
            } else if (op < 73) {
                c.send(new ApplicationMessage(random.nextBoolean() ? "CHAT" : "UNKNOWN", Map.of()));
            } else if (op < 76) {
                c.sendInvalid(random.nextBoolean() ? "JOIN" : null, "Malformed JSON");
            } else if (op < 80) {
                c.send(new GuestMessage.Ping(h.time.currentTimeMillis()));
            } else if (op < 83) {
                c.handler().onSignOfLife();
            } else {
                h.advance(Duration.ofMillis(random.nextInt(7_000)));
            }
        }

        void check() {
            SessionInvariants.check(session, connections, deviceOf::get,
                    w -> tokens.put(w.yourDeviceId(), w.resumeToken()));
        }
    }
}
