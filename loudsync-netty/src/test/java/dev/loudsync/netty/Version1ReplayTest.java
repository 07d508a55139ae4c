package dev.loudsync.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.AuthDecision;
import dev.loudsync.core.Member;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.testing.SocketGuest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Guests written for version 1 see byte for byte the frames they saw before 1.1: the version-1
 * socket scenarios (joins and their refusals, messages before joining, bad frames, application
 * messages, leaving, kicks, a lost socket) run against a plain server and against one whose
 * sessions have every 1.1 feature configured but unused by these guests (a patched shared state,
 * restricted types, {@code respond} handlers of other types, an accepting authenticator). Each
 * guest's frames, in order, with their close code, must be equal after blanking what differs by
 * nature: timestamps, {@code serverTime}, {@code joinedAt} and resume tokens.
 */
class Version1ReplayTest {

    private static final Pattern TIMES = Pattern.compile("\"(timestamp|serverTime|joinedAt)\":\\d+");
    private static final Pattern TOKENS = Pattern.compile("\"resumeToken\":\"[^\"]*\"");

    /** What one scenario recorded: every guest's frames and close code, in the order guests were made. */
    private static final class Recording {
        final List<String> lines = new ArrayList<>();

        void guest(String name, SocketGuest g, boolean closed) {
            lines.add("guest " + name + (closed ? " closed " + g.closeCode() + " " + g.closeReason() : ""));
            for (String text : g.texts()) {
                lines.add("  " + TOKENS.matcher(TIMES.matcher(text).replaceAll("\"$1\":0"))
                        .replaceAll("\"resumeToken\":\"-\""));
            }
        }
    }

    /** A server, plain or with 1.1 features configured on its sessions. */
    private static final class Server implements AutoCloseable {
        final ServerTestSupport t = new ServerTestSupport(b -> b.joinTimeout(Duration.ofMillis(500)));
        final boolean configured;

        Server(boolean configured) {
            this.configured = configured;
        }

        Session open(UnaryOperator<SessionConfig.Builder> customize) {
            Session s = t.open(b -> {
                SessionConfig.Builder c = customize.apply(b.latencyProbes(false));
                return configured ? c.authenticator(a -> CompletableFuture.completedFuture(AuthDecision.accept())) : c;
            });
            s.handle("CHAT", (session, sender, m) -> session.broadcast("CHAT",
                    Map.of("from", sender.id(), "text", String.valueOf(m.payload().get("text")))));
            if (configured) {
                s.patchState(Map.of("queue", List.of("t-1", "t-2"), "volume", 7)).join();
                s.restrict("SECRET", Member.Role.HOST, Member.Role.COHOST);
                s.respond("SECRET", (session, sender, m) -> "hidden");
                s.respond("QUEUE_ADD", (session, sender, m) -> Map.of("position", 1));
            }
            return s;
        }

        @Override
        public void close() {
            t.close();
        }
    }

    private static String join(String device, String extra) {
        return "{\"type\":\"JOIN\",\"payload\":{\"sessionId\":\"ABC123\",\"deviceId\":\"" + device
                + "\",\"deviceName\":\"N\",\"version\":\"1.0.0\"" + extra + "}}";
    }

    private static SocketGuest joined(Server s, String device) {
        SocketGuest g = SocketGuest.joinWith(s.t.uri, join(device, ""));
        g.nextOf("MEMBER_LIST");
        return g;
    }

    private static List<String> refusals(Server server) {
        Recording r = new Recording();
        server.open(b -> b.maxMembers(2).pin("4321"));
        try (SocketGuest member = SocketGuest.joinWith(server.t.uri, join("a", ",\"pin\":\"4321\""))) {
            member.nextOf("MEMBER_LIST");
            String[] attempts = {join("b", ",\"pin\":\"4321\""),
                    "{\"type\":\"JOIN\",\"payload\":{\"sessionId\":\"ABC123\",\"deviceId\":7,\"deviceName\":\"N\"}}",
                    join("c", ",\"version\":\"2.0.0\""), join("c", ",\"pin\":\"0000\""),
                    join("a", ",\"pin\":\"4321\""),
                    "{\"type\":\"JOIN\",\"payload\":{\"sessionId\":\"ZZZ999\",\"deviceId\":\"z\",\"deviceName\":\"N\"}}"};
            for (int i = 0; i < attempts.length; i++) {
                SocketGuest g = SocketGuest.joinWith(server.t.uri, attempts[i]);
                g.closeCode();
                r.guest("refused-" + i, g, true);
            }
            r.guest("member", member, false);
        }
        return r.lines;
    }

    private static List<String> beforeJoiningAndBadFrames(Server server) {
        Recording r = new Recording();
        server.open(UnaryOperator.identity());
        try (SocketGuest early = SocketGuest.connect(server.t.uri); SocketGuest g = joined(server, "a")) {
            early.send("{\"type\":\"PING\",\"timestamp\":1234}");
            early.next("PONG");
            early.send("{\"type\":\"HEARTBEAT\",\"payload\":{\"deviceId\":\"x\"}}");
            early.next("ERROR");
            early.send("{\"type\":\"SECRET\"}");
            early.next("ERROR");
            r.guest("early", early, false);
            for (String bad : new String[] {"{not json", "{\"type\":\"PING\"} trailing", "[1,2]",
                    "{\"type\":\"PING\",\"type\":\"PING\"}", "{\"payload\":{}}", "{\"type\":5}",
                    "{\"type\":\"HEARTBEAT\",\"payload\":{\"deviceId\":\"a\",\"latency\":\"45\"}}",
                    "{\"type\":\"PING\",\"payload\":[]}", "{\"type\":\"DANCE\"}", "{\"type\":\"ping\"}",
                    "{\"type\":\"KICK\",\"payload\":{\"deviceId\":\"b\"}}"}) {
                g.send(bad);
                g.next("ERROR");
                g.send("{\"type\":\"PING\",\"timestamp\":1}");
                g.next("PONG");
            }
            r.guest("a", g, false);
        }
        return r.lines;
    }

    private static List<String> messagesLeavingAndKicks(Server server) {
        Recording r = new Recording();
        Session s = server.open(UnaryOperator.identity());
        try (SocketGuest a = joined(server, "a"); SocketGuest b = joined(server, "b"); SocketGuest c = joined(server, "c");
                SocketGuest d = joined(server, "d")) {
            a.nextOf("MEMBER_JOINED");
            a.nextOf("MEMBER_JOINED");
            a.nextOf("MEMBER_JOINED");
            a.send("{\"type\":\"CHAT\",\"payload\":{\"text\":\"hi\"}}");
            for (SocketGuest g : new SocketGuest[] {a, b, c, d}) {
                g.nextOf("CHAT");
            }
            b.send("{\"type\":\"HEARTBEAT\",\"payload\":{\"deviceId\":\"b\",\"latency\":45}}");
            a.nextOf("MEMBER_UPDATED");
            b.send("{\"type\":\"LEAVE\",\"payload\":{\"reason\":\"bye\"}}");
            b.closeCode();
            a.nextOf("MEMBER_LEFT");
            s.kick("c", "Be nice").join();
            c.closeCode();
            a.nextOf("MEMBER_LEFT");
            d.close(); // lost: no close frame
            a.nextOf("MEMBER_LEFT");
            s.close().join();
            a.closeCode();
            r.guest("a", a, true);
            r.guest("b", b, true);
            r.guest("c", c, true);
        }
        return r.lines;
    }

    private static void assertSameFrames(java.util.function.Function<Server, List<String>> scenario) {
        List<String> plain;
        List<String> configured;
        try (Server s = new Server(false)) {
            plain = scenario.apply(s);
        }
        try (Server s = new Server(true)) {
            configured = scenario.apply(s);
        }
        assertThat(plain).hasSizeGreaterThan(5);
        assertThat(configured).containsExactlyElementsOf(plain);
    }

    @Test
    void joinsAndTheirRefusals_areTheSame() {
        assertSameFrames(Version1ReplayTest::refusals);
    }

    @Test
    void messagesBeforeJoining_andBadFrames_areAnsweredTheSame() {
        assertSameFrames(Version1ReplayTest::beforeJoiningAndBadFrames);
    }

    @Test
    void applicationMessages_updates_leaving_kicks_aLostSocketAndTheEnd_areTheSame() {
        assertSameFrames(Version1ReplayTest::messagesLeavingAndKicks);
    }
}
