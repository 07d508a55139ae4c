package dev.loudsync.core;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
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
import java.util.Set;

/**
 * Jazzer fuzz target for the session state machine: the fuzzer picks the session's configuration,
 * then a sequence of steps (connection, operation, arguments) over the in-memory {@link Harness} on
 * {@link ManualTime}; after every step (and its batch window) the invariants of
 * {@link SessionModelTest} are checked. An {@link AssertionError} is a finding.
 *
 * <p>Input format (for hand-written seeds): every choice is one byte read from the <em>end</em> of
 * the input ({@code FuzzedDataProvider} semantics for ranges under 256: {@code lo + b % (hi - lo + 1)}),
 * so a seed is its list of choices, reversed. Choices: max members, grace, batch window, approval,
 * latency probes; then per step: operation, then the operation's arguments.
 *
 * <p>Regression mode (plain {@code ./mvnw verify}): the empty input and the files in
 * {@code src/test/resources/dev/loudsync/core/SessionFuzzTargetInputs/operations/}. To fuzz for 60 s:
 *
 * <pre>JAZZER_FUZZ=1 ./mvnw -B -ntp -pl loudsync-core test -Dtest=SessionFuzzTarget -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class SessionFuzzTarget {

    private static final int MAX_STEPS = 200;
    private static final String[] DEVICES = {"d0", "d1", "d2", "d3", "d4", "host-1"};

    @FuzzTest(maxDuration = "60s")
    void operations(FuzzedDataProvider data) {
        Run run = new Run(data);
        try {
            run.run();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nsteps:\n" + String.join("\n", run.log), e);
        }
    }

    private static final class Run {
        final FuzzedDataProvider data;
        final Harness h = new Harness();
        final Session session;
        final Duration window;
        final boolean approval;
        final List<TestConnection> connections = new ArrayList<>();
        final Map<TestConnection, String> deviceOf = new HashMap<>();
        final List<String> tokens = new ArrayList<>();
        final List<String> log = new ArrayList<>();

        Run(FuzzedDataProvider data) {
            this.data = data;
            int max = data.consumeInt(2, 8);
            Duration grace = data.consumeBoolean() ? Duration.ofSeconds(10) : Duration.ZERO;
            window = data.consumeBoolean() ? Duration.ofMillis(20) : Duration.ZERO;
            approval = data.consumeInt(0, 3) == 0;
            boolean probes = data.consumeBoolean();
            session = h.open(b -> b.maxMembers(max).reconnectGrace(grace).batchWindow(window)
                    .requireApproval(approval).latencyProbes(probes));
            session.handle("CHAT", (s, sender, m) -> s.broadcast("CHAT", Map.of("from", sender.id())));
            log.add("max=" + max + " grace=" + grace + " window=" + window + " approval=" + approval
                    + " probes=" + probes);
        }

        void run() {
            for (int step = 0; step < MAX_STEPS && data.remainingBytes() > 0; step++) {
                step();
                quiesce();
                check();
            }
        }

        void quiesce() {
            SessionInvariants.quiesce(h, window);
        }

        /** A connection chosen by index (open or not: sending on a closed one must be harmless too). */
        TestConnection pick() {
            if (connections.isEmpty()) {
                return null;
            }
            return connections.get(data.consumeInt(0, 255) % connections.size());
        }

        String device() {
            return DEVICES[data.consumeInt(0, DEVICES.length - 1)];
        }

        void step() {
            int op = data.consumeInt(0, 17);
            if (op == 0 || connections.isEmpty()) {
                String device = device();
                log.add("t=" + h.time.currentTimeMillis() + " connect+JOIN " + device);
                TestConnection n = h.connect();
                connections.add(n);
                deviceOf.put(n, device);
                n.send(join(device));
                return;
            }
            TestConnection c = pick();
            String self = deviceOf.get(c);
            log.add("t=" + h.time.currentTimeMillis() + " op=" + op + " on " + self + "#" + connections.indexOf(c)
                    + (c.isOpen() ? "" : " (closed)") + " members=" + session.members().stream().map(Member::id).toList());
            switch (op) {
                case 1: // a second JOIN on this connection
                    c.send(join(self));
                    break;
                case 2: // connect only, no JOIN (join timeout)
                    TestConnection n = h.connect();
                    connections.add(n);
                    deviceOf.put(n, device());
                    break;
                case 3:
                    c.send(new GuestMessage.Leave(data.consumeBoolean() ? null : "bye"));
                    break;
                case 4:
                    c.send(new GuestMessage.Heartbeat(self, latency()));
                    break;
                case 5: // maybe spoofed
                    c.send(new GuestMessage.Heartbeat(device(), latency()));
                    break;
                case 6:
                    c.send(new GuestMessage.Ping(data.consumeBoolean() ? null : h.time.currentTimeMillis()));
                    break;
                case 7:
                    c.send(new GuestMessage.Pong(data.consumeBoolean() ? null
                            : h.time.currentTimeMillis() - data.consumeInt(-2, 200)));
                    break;
                case 8:
                    c.send(new ApplicationMessage(data.consumeBoolean() ? "CHAT" : "UNKNOWN", Map.of()));
                    break;
                case 9:
                    c.sendInvalid(data.consumeBoolean() ? "JOIN" : null, "Malformed JSON");
                    break;
                case 10:
                    c.drop();
                    break;
                case 11:
                    c.handler().onSlowConsumer();
                    break;
                case 12:
                    c.handler().onSignOfLife();
                    break;
                case 13:
                    session.kick(guest(), "fuzz");
                    break;
                case 14:
                    session.approve(guest());
                    break;
                case 15:
                    session.deny(guest());
                    break;
                case 16:
                    if (data.consumeInt(0, 7) == 0) {
                        session.close();
                    }
                    break;
                default:
                    h.advance(Duration.ofMillis(data.consumeInt(0, 255) * 100L));
                    break;
            }
        }

        /** A guest device id: the host API refuses the host's own id (IllegalArgumentException, by contract). */
        String guest() {
            return DEVICES[data.consumeInt(0, DEVICES.length - 2)];
        }

        Long latency() {
            int l = data.consumeInt(0, 3);
            return l == 0 ? null : l == 1 ? -1L : l == 2 ? 45L : 60_001L;
        }

        Join join(String device) {
            int kind = data.consumeInt(0, 11);
            Join join;
            switch (kind) {
                case 0:
                    join = new Join("", device, "Guest", null, null, null, Set.of());
                    break;
                case 1:
                    join = new Join(session.id(), "", "Guest", null, null, null, Set.of());
                    break;
                case 2:
                    join = new Join(session.id(), device, "Bad\u0007name", null, null, null, Set.of());
                    break;
                case 3:
                    join = new Join(session.id(), "x".repeat(129), "Guest", null, null, null, Set.of());
                    break;
                case 4:
                    join = Join.of(session.id(), device, "Guest " + device).withVersion("2.0.0");
                    break;
                case 5:
                    join = Join.of("nope", device, "Guest " + device);
                    break;
                case 6:
                    join = Join.of("abc-123", device, "Guest " + device).withPin("0000");
                    break;
                default:
                    join = Join.of(session.id(), device, "Guest " + device);
                    break;
            }
            if (data.consumeBoolean()) {
                join = join.withCapabilities(Set.of("membersChanged"));
            }
            int t = data.consumeInt(0, 3);
            if (t == 1 && !tokens.isEmpty()) {
                join = join.withResumeToken(tokens.get(data.consumeInt(0, 255) % tokens.size()));
            } else if (t == 2) {
                join = join.withResumeToken("forged");
            }
            return join;
        }

        void check() {
            SessionInvariants.check(session, connections, deviceOf::get, w -> {
                if (!tokens.contains(w.resumeToken())) {
                    tokens.add(w.resumeToken());
                }
            });
        }
    }
}
