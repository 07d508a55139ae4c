package dev.loudsync.examples.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the shaded jars run as a user would, with the JVM running the tests: its output lines
 * (standard output and error together) queued, its input writable. The jar's path comes from a
 * system property the build sets ({@code loudsync.host.jar}, {@code loudsync.guest.jar},
 * {@code loudsync.load.jar}).
 */
public final class JarProcess implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    public JarProcess(String jarProperty, String... args) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        String jar = System.getProperty(jarProperty);
        if (jar == null) {
            throw new IllegalStateException("system property " + jarProperty + " is not set (the build sets it)");
        }
        List<String> command = new ArrayList<>(List.of(java, "-jar", jar));
        command.addAll(List.of(args));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    lines.add(l);
                }
            } catch (IOException e) {
                // ended
            }
        }, "jar-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** The running jar, for its pid or signals. */
    public Process process() {
        return process;
    }

    /** Waits (up to 20 s) for an output line matching {@code wanted} and returns it. */
    public String await(Predicate<String> wanted, String what) throws InterruptedException {
        return await(wanted, what, WAIT);
    }

    /** Waits up to {@code timeout} for an output line matching {@code wanted} and returns it. */
    public String await(Predicate<String> wanted, String what, Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            String l = lines.poll(200, TimeUnit.MILLISECONDS);
            if (l != null) {
                seen.add(l);
                if (wanted.test(l)) {
                    return l;
                }
            }
        }
        throw new AssertionError("no output line with " + what + " within " + timeout.toSeconds() + " s; saw:\n"
                + String.join("\n", seen));
    }

    /** Waits (up to 30 s: a cold start) for the first output line with {@code pattern}; returns its first group. */
    public String awaitGroup(Pattern pattern, String what) throws InterruptedException {
        Matcher m = pattern.matcher(await(l -> pattern.matcher(l).find(), what, Duration.ofSeconds(30)));
        if (!m.find()) {
            throw new AssertionError("unreachable: the line matched before");
        }
        return m.group(1);
    }

    /**
     * Like {@link #await}, but an earlier line that matches counts too: for output whose order
     * against the line awaited before is not fixed.
     */
    public String awaitAnyTime(Predicate<String> wanted, String what) throws InterruptedException {
        for (String l : seen) {
            if (wanted.test(l)) {
                return l;
            }
        }
        return await(wanted, what);
    }

    /** Types {@code line} (and a newline) into the jar's standard input. */
    public void type(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(UTF_8));
        in.flush();
    }

    /** Asks the jar to stop (SIGTERM), as Ctrl-C or a service manager would. */
    public void terminate() {
        process.destroy();
    }

    /** Its exit code, waiting up to 20 s for it to end. */
    public int exitCode() throws InterruptedException {
        if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("still running after " + WAIT.toSeconds() + " s");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
