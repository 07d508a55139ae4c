package dev.loudsync.examples.jam;

import ch.qos.logback.classic.LoggerContext;
import dev.loudsync.examples.host.ServerOptions;
import dev.loudsync.netty.LoudSyncServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
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
 * {@code loudsync-host jam}: a party's shared music queue. Serves the jam page, its HTTP API and
 * the catalog's audio on one port, and hosts any number of jam sessions (created from the page)
 * until SIGINT or SIGTERM, which end every session ({@code SESSION_CLOSED}) and exit with 0.
 * Invalid options or an unreadable {@code --music} folder exit with 2, a port that cannot be bound
 * with 1. See {@link JamServer} for the API and {@link JamSession} for the rules.
 */
@Command(name = "jam", sortOptions = false,
        description = {"Hosts jam sessions: a shared music queue with votes, played in sync on every phone.",
                "Open the printed address in a browser to create a session, then share its link or QR code."})
public final class JamCommand implements Callable<Integer> {

    @Mixin
    ServerOptions options = new ServerOptions();

    @Option(names = "--music", paramLabel = "DIR",
            description = "a folder of MP3, M4A, Ogg, Opus, FLAC, WAV or WebM files to add to the built-in tracks")
    Path music;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        options.configureLogs();
        PrintStream out = System.out;
        Catalog catalog;
        LoudSyncServer.Builder builder;
        try {
            catalog = Catalog.load(music);
            builder = options.serverBuilder();
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--music: " + e.getMessage(), e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        JamServer jam;
        try {
            jam = JamServer.start(builder, catalog).join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            spec.commandLine().getErr().println("loudsync-host jam: cannot listen on " + options.bind() + " port "
                    + options.port() + ": " + (cause.getMessage() != null ? cause.getMessage() : cause));
            spec.commandLine().getErr().flush();
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            jam.close();
            out.flush();
            if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
                logback.stop();
            }
            Runtime.getRuntime().halt(0); // SIGTERM ends the jam like a clean exit, not with 143
        }, "loudsync-jam-shutdown"));
        out.println("LoudSync jam: " + catalog.size() + " tracks. Open the page to start a session:");
        options.printPages(out, jam.server().localAddress());
        new CountDownLatch(1).await(); // until the shutdown hook halts the process
        return 0;
    }
}
