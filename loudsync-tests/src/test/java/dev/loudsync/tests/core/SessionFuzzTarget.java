package dev.loudsync.tests.core;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.loudsync.core.Member;
import dev.loudsync.core.RequestRejectedException;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.GuestMessage.Join;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.testing.InMemoryGuest;
import dev.loudsync.testing.ManualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

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
 * <p>{@link #operations} keeps to version 1; {@link #extensions} also picks LAN- or server-hosted
 * (its first choice) and mixes in the 1.1 operations: control messages, role changes, host
 * transfers, state patches, requests with ids and state-keeping guests, whose answers (exactly one
 * per id) and state copies are checked too.
 *
 * <p>Regression mode (plain {@code ./mvnw verify}): the empty input and the files in
 * {@code src/test/resources/dev/loudsync/core/SessionFuzzTargetInputs/operations/} and
 * {@code .../extensions/}. To fuzz for 60 s each:
 *
 * <pre>JAZZER_FUZZ=1 ./mvnw -B -ntp -pl loudsync-core test -Dtest=SessionFuzzTarget -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class SessionFuzzTarget {

    private static final int MAX_STEPS = 200;
    private static final String[] DEVICES = {"d0", "d1", "d2", "d3", "d4", "host-1"};

    @FuzzTest(maxDuration = "60s")
    void operations(FuzzedDataProvider data) {
        run(new Run(data, false));
    }

    @FuzzTest(maxDuration = "60s")
    void extensions(FuzzedDataProvider data) {
        run(new Run(data, true));
    }

    private static void run(Run run) {
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
        final List<InMemoryGuest> connections = new ArrayList<>();
        final Map<InMemoryGuest, String> deviceOf = new HashMap<>();
        final List<String> tokens = new ArrayList<>();
        final List<String> log = new ArrayList<>();
        final boolean extensions;
        final Map<InMemoryGuest, List<String>> sentIds = new HashMap<>();
        int nextId;

        Run(FuzzedDataProvider data, boolean extensions) {
            this.data = data;
            this.extensions = extensions;
            boolean serverHosted = extensions && data.consumeBoolean();
            int max = data.consumeInt(2, 8);
            Duration grace = data.consumeBoolean() ? Duration.ofSeconds(10) : Duration.ZERO;
            window = data.consumeBoolean() ? Duration.ofMillis(20) : Duration.ZERO;
            approval = data.consumeInt(0, 3) == 0;
            boolean probes = data.consumeBoolean();
            UnaryOperator<SessionConfig.Builder> config = b -> b.maxMembers(max).reconnectGrace(grace)
                    .batchWindow(window).requireApproval(approval).latencyProbes(probes);
            session = serverHosted ? h.openServerHosted(config) : h.open(config);
            session.handle("CHAT", (s, sender, m) -> s.broadcast("CHAT", Map.of("from", sender.id())));
            session.respond("ASK", (s, sender, m) -> {
                s.send(sender.id(), "ANSWER", Map.of());
                if (m.payload().containsKey("no")) {
                    throw new RequestRejectedException("NO", "no");
                }
                return m.payload();
            });
            session.restrict("ASK", Member.Role.HOST, Member.Role.COHOST);
            log.add("serverHosted=" + serverHosted + " max=" + max + " grace=" + grace + " window=" + window
                    + " approval=" + approval + " probes=" + probes);
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
        InMemoryGuest pick() {
            if (connections.isEmpty()) {
                return null;
            }
            return connections.get(data.consumeInt(0, 255) % connections.size());
        }

        String device() {
            return DEVICES[data.consumeInt(0, DEVICES.length - 1)];
        }

        void step() {
            int op = data.consumeInt(0, extensions ? 24 : 17);
            if (op == 0 || connections.isEmpty()) {
                String device = device();
                log.add("t=" + h.time.currentTimeMillis() + " connect+JOIN " + device);
                InMemoryGuest n = h.connect();
                connections.add(n);
                deviceOf.put(n, device);
                n.send(join(device));
                return;
            }
            InMemoryGuest c = pick();
            String self = deviceOf.get(c);
            log.add("t=" + h.time.currentTimeMillis() + " op=" + op + " on " + self + "#" + connections.indexOf(c)
                    + (c.isOpen() ? "" : " (closed)") + " members=" + session.members().stream().map(Member::id).toList());
            switch (op) {
                case 1: // a second JOIN on this connection
                    c.send(join(self));
                    break;
                case 2: // connect only, no JOIN (join timeout)
                    InMemoryGuest n = h.connect();
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
                case 17:
                    h.advance(Duration.ofMillis(data.consumeInt(0, 255) * 100L));
                    break;
                case 18:
                    sent(c, control(c));
                    break;
                case 19:
                    session.setRole(guest(), data.consumeBoolean() ? Member.Role.COHOST : Member.Role.CLIENT);
                    break;
                case 20:
                    if (session.config().isServerHosted()) {
                        session.transferHost(guest());
                    }
                    break;
                case 21:
                    session.patchState(data.consumeBoolean() ? Map.of(guest(), data.consumeInt(0, 3))
                            : Collections.singletonMap(guest(), null));
                    break;
                case 22: {
                    String id = id();
                    c.send(new ApplicationMessage(data.consumeBoolean() ? "ASK" : "CHAT",
                            data.consumeBoolean() ? Map.of("no", true) : Map.of(), id));
                    sent(c, id);
                    break;
                }
                case 23: {
                    String id = id();
                    c.sendInvalid(null, id, "Malformed JSON");
                    sent(c, id);
                    break;
                }
                default: {
                    String id = id();
                    c.send(new ApplicationMessage("UNKNOWN", Map.of(), id));
                    sent(c, id);
                    break;
                }
            }
        }

        String id() {
            return data.consumeBoolean() ? null : "r" + nextId++;
        }

        void sent(InMemoryGuest c, String id) {
            if (id != null) {
                sentIds.computeIfAbsent(c, k -> new ArrayList<>()).add(id);
            }
        }

        /** Sends a control message on {@code c}; returns its id. */
        String control(InMemoryGuest c) {
            String id = id();
            String target = guest();
            switch (data.consumeInt(0, 6)) {
                case 0:
                    c.send(new GuestMessage.Kick(target, data.consumeBoolean() ? null : "x".repeat(201),
                            data.consumeBoolean(), id));
                    break;
                case 1:
                    c.send(new GuestMessage.SetRole(target, data.consumeBoolean() ? "cohost" : "host", id));
                    break;
                case 2:
                    c.send(new GuestMessage.Approve(target, id));
                    break;
                case 3:
                    c.send(new GuestMessage.Deny(target, id));
                    break;
                case 4:
                    c.send(new GuestMessage.TransferHost(target, id));
                    break;
                case 5:
                    if (data.consumeInt(0, 7) == 0) {
                        c.send(new GuestMessage.EndSession(null, id));
                        break;
                    }
                    c.send(new GuestMessage.SetRole(target, "client", id));
                    break;
                default:
                    c.send(new GuestMessage.Kick("", null, false, id));
                    break;
            }
            return id;
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
                join = join.withCapabilities(extensions && data.consumeBoolean()
                        ? Set.of("membersChanged", "state") : Set.of("membersChanged"));
            } else if (extensions && data.consumeBoolean()) {
                join = join.withCapabilities(Set.of("state"));
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
            SessionInvariants.checkAnswered(sentIds);
            SessionInvariants.check(session, connections, deviceOf::get, w -> {
                if (!tokens.contains(w.resumeToken())) {
                    tokens.add(w.resumeToken());
                }
            });
        }
    }
}
