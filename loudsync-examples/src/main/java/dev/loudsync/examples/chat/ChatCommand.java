package dev.loudsync.examples.chat;

import dev.loudsync.examples.host.ServerOptions;
import java.io.PrintStream;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code loudsync-host chat}: the event chat. Signs users in with tokens, keeps rooms and messages
 * in a database, and serves its page and API on the host's port.
 *
 * <p>Exits with 2 for invalid options, 1 when the database cannot be opened or the port bound;
 * SIGINT and SIGTERM stop it gracefully (members get {@code SESSION_CLOSED}) with 0.
 */
@Command(name = "chat", sortOptions = false,
        description = {"Runs the event chat: sign in with a name, rooms, typing indicators, history in a database.",
                "Open the printed address in a browser; /?room=ROOM_ID&name=NAME signs in and opens a room at once."})
public final class ChatCommand implements Callable<Integer> {

    @Option(names = "--db", paramLabel = "JDBC_URL", defaultValue = ChatStore.DEFAULT_URL,
            description = "database: jdbc:sqlite:FILE or jdbc:postgresql://HOST[:PORT]/DB"
                    + " (default: ${DEFAULT-VALUE}, an SQLite file in the working directory)")
    String db;

    @Option(names = "--db-user", paramLabel = "USER", description = "database user (default: from the URL, if any)")
    String dbUser;

    @Option(names = "--db-password-env", paramLabel = "VAR",
            description = "environment variable holding the database password (default: from the URL, if any)")
    String dbPasswordEnv;

    @Mixin
    ServerOptions options = new ServerOptions();

    @Spec
    CommandSpec spec;

    private final PrintStream console;

    public ChatCommand() {
        this(System.out);
    }

    ChatCommand(PrintStream console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        options.configureLogs();
        String password = null;
        if (dbPasswordEnv != null) {
            password = System.getenv(dbPasswordEnv);
            if (password == null) {
                throw new ParameterException(spec.commandLine(), "--db-password-env: " + dbPasswordEnv + " is not set");
            }
        }
        ChatStore store;
        try {
            store = ChatStore.open(db, dbUser, password);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        } catch (IllegalStateException e) {
            return fail("cannot open the " + e.getMessage());
        }
        ChatApp app;
        try {
            app = new ChatApp(options.serverBuilder(), store, ChatApp.Settings.DEFAULTS, Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            store.close();
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        try {
            app.server().start().join();
        } catch (CompletionException e) {
            app.close();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return fail("cannot listen on " + options.bind() + " port " + options.port() + ": " + cause.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
            if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
                logback.stop();
            }
        }, "chat-shutdown"));
        console.println("LoudSync chat, database " + ChatStore.redact(db));
        console.println("Chat page: open it in a browser on the same network");
        options.printPages(console, app.server().localAddress());
        console.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private int fail(String message) {
        spec.commandLine().getErr().println("loudsync-host chat: " + message);
        spec.commandLine().getErr().flush();
        return 1;
    }
}
