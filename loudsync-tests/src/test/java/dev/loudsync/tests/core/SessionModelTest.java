package dev.loudsync.tests.core;

import dev.loudsync.core.Member;
import dev.loudsync.core.MemberStatus;
import dev.loudsync.core.RequestRejectedException;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.Capability;
import dev.loudsync.core.protocol.GuestMessage.Join;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.testing.InMemoryGuest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Drives a session (LAN- or server-hosted) with random sequences of joins, resumes, leaves, losses,
 * heartbeats, kicks, violations, time steps, and the 1.1 operations (role changes, host transfers,
 * control messages, requests with ids, state changes), and checks the protocol's invariants after
 * every step: one host, first in every list; every view (members, roles, host) and every
 * state-keeping guest's state equal to the session's; every request answered exactly once. A
 * failure names its seed; rerun that one seed to reproduce it.
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
        final List<InMemoryGuest> connections = new ArrayList<>();
        final Map<InMemoryGuest, String> deviceOf = new HashMap<>();
        final Map<String, String> tokens = new HashMap<>();
        final List<String> devices = new ArrayList<>();
        final List<String> log = new ArrayList<>();
        final Map<InMemoryGuest, List<String>> sentIds = new HashMap<>();
        int nextId;

        Run(long seed) {
            random = new SplittableRandom(seed);
            int max = 2 + random.nextInt(7);
            Duration grace = random.nextBoolean() ? Duration.ZERO : Duration.ofSeconds(10);
            window = random.nextBoolean() ? Duration.ZERO : Duration.ofMillis(20);
            boolean serverHosted = random.nextBoolean();
            UnaryOperator<SessionConfig.Builder> config = b -> b.maxMembers(max).reconnectGrace(grace)
                    .batchWindow(window).emptyTimeout(Duration.ofHours(1));
            session = serverHosted ? h.openServerHosted(config) : h.open(config);
            session.handle("CHAT", (s, sender, m) -> s.broadcast("CHAT", Map.of("from", sender.id())));
            session.respond("ASK", (s, sender, m) -> {
                if (random.nextInt(4) == 0) {
                    throw new RequestRejectedException("NO", "no");
                }
                s.send(sender.id(), "ANSWER", Map.of());
                return Map.of("n", m.payload().size());
            });
            session.restrict("ASK", random.nextBoolean() ? Member.Role.values()
                    : new Member.Role[] {Member.Role.HOST, Member.Role.COHOST});
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

        InMemoryGuest anyOpen() {
            List<InMemoryGuest> open = connections.stream().filter(InMemoryGuest::isOpen).toList();
            return open.isEmpty() ? null : open.get(random.nextInt(open.size()));
        }

        String id() {
            return random.nextBoolean() ? null : "r" + nextId++;
        }

        void sent(InMemoryGuest c, String id) {
            if (id != null) {
                sentIds.computeIfAbsent(c, k -> new ArrayList<>()).add(id);
            }
        }

        void step() {
            int op = random.nextInt(116);
            InMemoryGuest c = anyOpen();
            String device = devices.get(random.nextInt(devices.size()));
            log.add("t=" + h.time.nanoTime() / 1_000_000 + " op=" + op + " conn=" + (c == null ? "-" : deviceOf.get(c)
                    + "@" + c.handler().hashCode()) + " device=" + device + " members=" + session.members().stream()
                    .map(m -> m.id() + (m.status() == MemberStatus.RECONNECTING ? "~" : "")).toList());
            if (op < 25 || c == null) {
                Join join = Join.of(session.id(), device, "Guest " + device);
                java.util.Set<String> capabilities = new java.util.HashSet<>();
                if (random.nextBoolean()) {
                    capabilities.add(Capability.MEMBERS_CHANGED);
                }
                if (random.nextBoolean()) {
                    capabilities.add(Capability.STATE);
                }
                join = join.withCapabilities(capabilities);
                if (random.nextInt(3) == 0 && tokens.containsKey(device)) {
                    join = join.withResumeToken(tokens.get(device));
                }
                InMemoryGuest n = h.connect();
                if (capabilities.isEmpty() && random.nextBoolean()) {
                    n.asVersion1();
                }
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
                String id = id();
                c.send(new ApplicationMessage(random.nextBoolean() ? "CHAT" : "UNKNOWN", Map.of(), id));
                sent(c, id);
            } else if (op < 76) {
                String id = id();
                c.sendInvalid(random.nextBoolean() ? "JOIN" : null, id, "Malformed JSON");
                sent(c, id);
            } else if (op < 80) {
                c.send(new GuestMessage.Ping(h.time.currentTimeMillis()));
            } else if (op < 83) {
                c.handler().onSignOfLife();
            } else if (op < 100) {
                h.advance(Duration.ofMillis(random.nextInt(7_000)));
            } else if (op < 104) {
                String id = id();
                c.send(control(device, id));
                sent(c, id);
            } else if (op < 107) {
                session.setRole(device, random.nextBoolean() ? Member.Role.COHOST : Member.Role.CLIENT);
            } else if (op < 109) {
                if (session.config().isServerHosted()) {
                    session.transferHost(device);
                }
            } else if (op < 113) {
                session.patchState(random.nextBoolean() ? Map.of(device, random.nextInt(3))
                        : java.util.Collections.singletonMap(device, null));
            } else {
                String id = id();
                c.send(new ApplicationMessage("ASK", Map.of("k", 1), id));
                sent(c, id);
            }
        }

        GuestMessage control(String device, String id) {
            switch (random.nextInt(20)) {
                case 0:
                    return new GuestMessage.EndSession(null, id);
                case 1: case 2: case 3: case 4:
                    return new GuestMessage.Kick(device, null, random.nextInt(5) == 0, id);
                case 5: case 6: case 7: case 8: case 9:
                    return new GuestMessage.SetRole(device, random.nextBoolean() ? "cohost" : "client", id);
                case 10: case 11: case 12: case 13:
                    return new GuestMessage.TransferHost(device, id);
                case 14: case 15:
                    return new GuestMessage.Approve(device, id);
                case 16: case 17:
                    return new GuestMessage.Deny(device, id);
                default:
                    return new GuestMessage.SetRole(device, "host", id); // invalid
            }
        }

        void check() {
            SessionInvariants.checkAnswered(sentIds);
            SessionInvariants.check(session, connections, deviceOf::get,
                    w -> tokens.put(w.yourDeviceId(), w.resumeToken()));
        }
    }
}
