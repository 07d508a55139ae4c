package dev.loudsync.examples.guest;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** One of the shaded jars run as a user would: its output lines queued, its input writable. */
final class JarProcess implements AutoCloseable {

    final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    JarProcess(String jarProperty, String... args) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        List<String> command = new ArrayList<>(List.of(java, "-jar", System.getProperty(jarProperty)));
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

    /** Waits (up to 20 s) for an output line matching {@code wanted} and returns it. */
    String await(Predicate<String> wanted, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < until) {
            String l = lines.poll(200, TimeUnit.MILLISECONDS);
            if (l != null) {
                seen.add(l);
                if (wanted.test(l)) {
                    return l;
                }
            }
        }
        throw new AssertionError("no output line with " + what + " within 20 s; saw:\n" + String.join("\n", seen));
    }

    /**
     * Like {@link #await}, but an earlier line that matches counts too: for output whose order
     * against the line awaited before is not fixed.
     */
    String awaitAnyTime(Predicate<String> wanted, String what) throws InterruptedException {
        for (String l : seen) {
            if (wanted.test(l)) {
                return l;
            }
        }
        return await(wanted, what);
    }

    void type(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(UTF_8));
        in.flush();
    }

    int exitCode() throws InterruptedException {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new AssertionError("still running after 20 s");
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
