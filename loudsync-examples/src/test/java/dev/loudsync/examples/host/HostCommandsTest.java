package dev.loudsync.examples.host;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loudsync.testing.SocketGuest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HostCommandsTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, UTF_8);
    private final AtomicInteger closes = new AtomicInteger();
    private TestHost host;
    private HostCommands commands;

    private void start(boolean requireApproval) {
        host = TestHost.start(b -> b.requireApproval(requireApproval));
        host.session.addListener(new HostEvents(out));
        commands = new HostCommands(host.session, out, closes::incrementAndGet);
    }

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
    }

    /** Runs one command and returns what it printed. */
    private String run(String line) {
        bytes.reset();
        assertThat(commands.execute(line)).as("still running after %s", line).isTrue();
        return bytes.toString(UTF_8);
    }

    @Test
    void stats_showsConnectionsTrafficRefusalsAndLeaves() {
        start(false);
        commands = new HostCommands(host.session, host.server::stats, out, closes::incrementAndGet);
        SocketGuest a = host.join("a", "Phone A");
        SocketGuest wrong = TestHost.sendJoin(host.uri, "WRONG1", "w", "W");
        assertThat(wrong.next("ERROR").at("/payload/code").asText()).isEqualTo("SESSION_NOT_FOUND");
        TestHost.await("the refusal counted", () -> host.server.stats().joinsRefusedTotal() == 1);

        String[] lines = run("stats").split("\\R");

        assertThat(lines).hasSize(6);
        assertThat(lines[0]).matches("Server running: \\d+ sockets open, 1 joined, \\d+ not joined; 1 session, 2 members");
        assertThat(lines[1]).matches("Traffic: \\d+ frames in \\(\\d+(\\.\\d)? (B|KiB)\\), \\d+ out \\(\\d+(\\.\\d)? (B|KiB)\\); 2 connections opened");
        assertThat(lines[2]).isEqualTo("Joins: 1 accepted; refused: SESSION_NOT_FOUND 1");
        assertThat(lines[3]).isEqualTo("Leaves: none");
        assertThat(lines[4]).isEqualTo("Closes sent: 4500 SESSION_NOT_FOUND 1");
        assertThat(lines[5]).isEqualTo("Abuse: none; 0 messages dropped over the rate limit");
        wrong.close();
        a.close();
    }

    @Test
    void stats_withoutAServer_saysSo() {
        start(false);
        assertThat(run("stats")).isEqualTo("No server stats here." + System.lineSeparator());
    }

    @Test
    void members_listsHostFirstThenGuests_withIdNameRoleStatusLatency() {
        start(false);
        host.join("a", "Phone A");
        host.join("b", "B");

        String[] lines = run("members").split("\\R");

        assertThat(lines).hasSize(5);
        assertThat(lines[0]).isEqualTo("3 of 8 members:");
        assertThat(lines[1]).matches("  ID +NAME +ROLE +STATUS +LATENCY");
        assertThat(lines[2]).matches("  host-1 +Test Host +host +connected +-");
        assertThat(lines[3]).matches("  a +Phone A +client +connected +(-|\\d+ ms)");
        assertThat(lines[4]).matches("  b +B +client +connected +(-|\\d+ ms)");
        // Columns line up: every row has its role where the header has ROLE.
        int role = lines[1].indexOf("ROLE");
        assertThat(lines[2].substring(role)).startsWith("host");
        assertThat(lines[3].substring(role)).startsWith("client");
    }

    @Test
    void kick_multiWordReason_guestGetsWholeReasonAndOthersSeeKicked() {
        start(false);
        SocketGuest a = host.join("a", "A");
        SocketGuest b = host.join("b", "B");

        assertThat(run("kick b Be nice,  please")).isEqualTo("Kicked b." + System.lineSeparator());

        assertThat(b.next("KICKED").at("/payload/reason").asText()).isEqualTo("Be nice,  please");
        assertThat(b.closeFrame().code()).isEqualTo(4505);
        JsonNode left = a.next("MEMBER_LEFT");
        assertThat(left.at("/payload/deviceId").asText()).isEqualTo("b");
        assertThat(left.at("/payload/reason").asText()).isEqualTo("Kicked");
        assertThat(host.session.members()).extracting(m -> m.id()).containsExactly("host-1", "a");
    }

    @Test
    void kick_withoutReason_givesDefaultReason() {
        start(false);
        SocketGuest a = host.join("a", "A");

        run("kick a");

        assertThat(a.next("KICKED").at("/payload/reason").asText()).isEqualTo(HostCommands.DEFAULT_KICK_REASON);
    }

    @Test
    void kick_unknownIdMissingIdOrHost_saysSoAndKicksNobody() {
        start(false);
        SocketGuest a = host.join("a", "A");

        assertThat(run("kick zz")).contains("No member or join request 'zz'.");
        assertThat(run("kick")).contains("Usage: kick ID [REASON...]");
        assertThat(run("kick host-1 bye")).contains("cannot kick itself");

        assertThat(host.session.members()).hasSize(2);
        assertThat(a.hasMessage()).isFalse();
    }

    @Test
    void unknownCommand_printsHint_blankLinePrintsNothing() {
        start(false);

        assertThat(run("dance now")).isEqualTo("Unknown command 'dance'. Type help for the commands."
                + System.lineSeparator());
        assertThat(run("   ")).isEmpty();
        assertThat(run("help")).contains("members", "kick ID [REASON...]", "approve ID", "deny ID", "close");
    }

    @Test
    void commandNames_ignoreCase() {
        start(false);

        assertThat(run("MEMBERS")).startsWith("1 of 8 members:");
    }

    @Test
    void run_close_runsCloseActionAndReadsNoFurther() throws IOException {
        start(false);

        boolean closed = commands.run(new StringReader("help\nclose\nmembers\n"));

        assertThat(closed).isTrue();
        assertThat(closes).hasValue(1);
        String output = bytes.toString(UTF_8);
        assertThat(output).contains("Commands:").endsWith("Closing the session." + System.lineSeparator());
    }

    @Test
    void run_endOfInput_returnsFalseWithoutClosing() throws IOException {
        start(false);

        assertThat(commands.run(new StringReader("members\n"))).isFalse();
        assertThat(closes).hasValue(0);
        assertThat(host.session.isOpen()).isTrue();
    }

    @Test
    void approve_pendingGuest_joinsIt() {
        start(true);
        SocketGuest a = host.sendJoin("a", "A");
        a.next("JOIN_PENDING");
        TestHost.await("join request printed", () -> bytes.toString(UTF_8).contains("approve a"));
        assertThat(bytes.toString(UTF_8))
                .contains("Join request from a (A): type \"approve a\" or \"deny a\"");
        assertThat(run("members")).contains("Waiting for approval: a (A)");

        assertThat(run("approve a")).isEqualTo("Approved a." + System.lineSeparator());

        a.joined();
        assertThat(host.session.members()).extracting(m -> m.id()).containsExactly("host-1", "a");
        assertThat(run("approve a")).contains("No join request from 'a'.");
    }

    @Test
    void deny_pendingGuest_refusesIt() {
        start(true);
        SocketGuest b = host.sendJoin("b", "B");
        b.next("JOIN_PENDING");
        TestHost.await("join request", () -> !host.session.pendingRequests().isEmpty());

        assertThat(run("deny b")).isEqualTo("Denied b." + System.lineSeparator());

        JsonNode error = b.next("ERROR");
        assertThat(error.at("/payload/code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(error.at("/payload/message").asText()).isEqualTo("Join request denied");
        assertThat(b.closeFrame().code()).isEqualTo(4501);
        assertThat(run("deny b")).contains("No join request from 'b'.");
        assertThat(run("approve")).contains("Usage: approve ID");
        assertThat(run("deny")).contains("Usage: deny ID");
    }
}
