package dev.loudsync.examples.host;

import dev.loudsync.core.JoinRequest;
import dev.loudsync.core.Member;
import dev.loudsync.core.Session;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import dev.loudsync.netty.ServerStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's console: commands, one per line, that act on a session and answer on {@code out}.
 *
 * <pre>
 * members                  the member list: id, name, role, status, latency
 * stats                    the server's counts: connections, traffic, joins, leaves, closes, abuse
 * kick ID [REASON...]      removes a member (or denies its join request)
 * approve ID / deny ID     answers a join request
 * close                    ends the session
 * help                     lists the commands
 * </pre>
 *
 * <p>Each command waits (at most {@value #ACTION_TIMEOUT_SECONDS} s) for the session to carry it
 * out, so its answer reports what happened. Not thread-safe: one thread reads the commands.
 */
public final class HostCommands {

    private static final Logger log = LoggerFactory.getLogger(HostCommands.class);

    /** The longest a command waits for the session. */
    static final long ACTION_TIMEOUT_SECONDS = 5;

    /** The reason a guest is given when {@code kick} names none. */
    static final String DEFAULT_KICK_REASON = "Removed by the host";

    private static final String HELP = String.join(System.lineSeparator(),
            "Commands:",
            "  members              list the members (id, name, role, status, latency)",
            "  stats                show the server's counts (connections, traffic, refusals, abuse)",
            "  kick ID [REASON...]  remove a member; REASON is shown to it",
            "  approve ID           admit a guest waiting for approval",
            "  deny ID              refuse a guest waiting for approval",
            "  close                end the session and exit",
            "  help                 show this list");

    private final Session session;
    private final Supplier<ServerStats> stats;
    private final PrintStream out;
    private final Runnable close;

    /** Commands without {@code stats} (it answers that there are none). */
    public HostCommands(Session session, PrintStream out, Runnable close) {
        this(session, () -> null, out, close);
    }

    /**
     * @param session the session the commands act on
     * @param stats   the server's stats, for the {@code stats} command (null when there are none)
     * @param out     where answers go
     * @param close   run by the {@code close} command: ends the session (and, in the host, the process)
     */
    public HostCommands(Session session, Supplier<ServerStats> stats, PrintStream out, Runnable close) {
        this.session = Objects.requireNonNull(session, "session");
        this.stats = Objects.requireNonNull(stats, "stats");
        this.out = Objects.requireNonNull(out, "out");
        this.close = Objects.requireNonNull(close, "close");
    }

    /**
     * Runs commands read from {@code in} until its end or a {@code close}.
     *
     * @return whether {@code close} ended it (rather than the end of input)
     * @throws IOException if reading fails
     */
    public boolean run(Reader in) throws IOException {
        BufferedReader lines = new BufferedReader(in);
        String line;
        while ((line = lines.readLine()) != null) {
            if (!execute(line)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs one command line; a blank line does nothing.
     *
     * @return false once {@code close} ran, true otherwise
     */
    public boolean execute(String line) {
        String[] words = line.strip().split("\\s+", 3);
        String command = words[0].toLowerCase(Locale.ROOT);
        String id = words.length > 1 ? words[1] : null;
        String rest = words.length > 2 ? words[2] : null;
        try {
            switch (command) {
                case "" -> { }
                case "members" -> members();
                case "stats" -> stats();
                case "kick" -> kick(id, rest);
                case "approve" -> approve(id);
                case "deny" -> deny(id);
                case "help" -> out.println(HELP);
                case "close" -> {
                    out.println("Closing the session.");
                    out.flush();
                    close.run();
                    return false;
                }
                default -> out.println("Unknown command '" + words[0] + "'. Type help for the commands.");
            }
        } catch (RuntimeException e) {
            log.warn("Command '{}' failed", line.strip(), e);
            out.println("Command failed: " + e);
        }
        out.flush();
        return true;
    }

    private void members() {
        List<Member> members = session.members();
        out.println(members.size() + " of " + session.config().maxMembers() + " members:");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "NAME", "ROLE", "STATUS", "LATENCY"});
        for (Member m : members) {
            rows.add(new String[] {m.id(), m.name(), m.role().wireName(), m.status().wireName(),
                    m.latencyMillis().isPresent() ? m.latencyMillis().getAsInt() + " ms" : "-"});
        }
        printTable(rows);
        for (JoinRequest r : session.pendingRequests()) {
            out.println("Waiting for approval: " + r.deviceId() + " (" + r.deviceName() + ")");
        }
    }

    private void stats() {
        ServerStats s = stats.get();
        if (s == null) {
            out.println("No server stats here.");
            return;
        }
        out.println("Server " + s.state().name().toLowerCase(Locale.ROOT) + ": " + s.openSockets() + " sockets open, "
                + s.joinedConnections() + " joined, " + s.unjoinedConnections() + " not joined; " + s.sessions()
                + (s.sessions() == 1 ? " session, " : " sessions, ") + s.members() + " members");
        out.println("Traffic: " + s.framesReceived() + " frames in (" + bytes(s.bytesReceived()) + "), "
                + s.framesSent() + " out (" + bytes(s.bytesSent()) + "); " + s.connectionsOpened()
                + " connections opened");
        out.println("Joins: " + s.joinsAccepted() + " accepted; refused: " + nonZero(s.joinsRefused()));
        out.println("Leaves: " + nonZero(s.leaves()));
        Map<String, Long> closes = new LinkedHashMap<>();
        s.closes().forEach((code, n) -> closes.put(code.code() + " " + code.name(), n));
        out.println("Closes sent: " + nonZero(closes));
        out.println("Abuse: " + nonZero(s.abuse()) + "; " + s.messagesDropped() + " messages dropped over the rate limit");
    }

    /** {@code KEY n, KEY n} of the entries that are not zero, or {@code none}. */
    private static String nonZero(Map<?, Long> counts) {
        StringBuilder sb = new StringBuilder();
        counts.forEach((k, n) -> {
            if (n != 0) {
                sb.append(sb.length() > 0 ? ", " : "").append(k).append(' ').append(n);
            }
        });
        return sb.length() > 0 ? sb.toString() : "none";
    }

    private static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        return n < 1024 * 1024 ? String.format(Locale.ROOT, "%.1f KiB", n / 1024.0)
                : String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }

    private void printTable(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder sb = new StringBuilder(" ");
            for (int i = 0; i < row.length; i++) {
                sb.append(' ').append(row[i]);
                if (i < row.length - 1) {
                    sb.append(" ".repeat(widths[i] - row[i].length() + 1));
                }
            }
            out.println(sb);
        }
    }

    private void kick(String id, String reason) {
        if (id == null) {
            out.println("Usage: kick ID [REASON...]");
            return;
        }
        if (id.equals(session.config().hostId())) {
            out.println("The host cannot kick itself; use close to end the session.");
            return;
        }
        String text = reason != null ? reason : DEFAULT_KICK_REASON;
        Boolean done = await(session.kick(id, text));
        if (done != null) {
            out.println(done ? "Kicked " + id + "." : "No member or join request '" + id + "'.");
        }
    }

    private void approve(String id) {
        if (id == null) {
            out.println("Usage: approve ID");
            return;
        }
        if (!isPending(id)) {
            out.println("No join request from '" + id + "'.");
            return;
        }
        Boolean done = await(session.approve(id));
        if (done != null) {
            out.println(done ? "Approved " + id + "." : id + " was not admitted: the session is full or it gave up.");
        }
    }

    private void deny(String id) {
        if (id == null) {
            out.println("Usage: deny ID");
            return;
        }
        Boolean done = await(session.deny(id));
        if (done != null) {
            out.println(done ? "Denied " + id + "." : "No join request from '" + id + "'.");
        }
    }

    private boolean isPending(String id) {
        return session.pendingRequests().stream().anyMatch(r -> r.deviceId().equals(id));
    }

    /** The result, or null (after saying why) if the session did not answer in time. */
    private <T> T await(CompletableFuture<T> action) {
        try {
            return action.get(ACTION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            out.println("The session did not answer within " + ACTION_TIMEOUT_SECONDS + " s.");
        } catch (ExecutionException e) {
            log.warn("Session action failed", e.getCause());
            out.println("Failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("Interrupted.");
        }
        return null;
    }
}
