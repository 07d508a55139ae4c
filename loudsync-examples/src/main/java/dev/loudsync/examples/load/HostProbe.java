package dev.loudsync.examples.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the load generator reads about the host process from Linux's {@code /proc}: CPU time
 * ({@code utime + stime} of {@code /proc/PID/stat}, in clock ticks of 1/100 s, the fixed
 * {@code USER_HZ} of that interface) and resident memory ({@code VmRSS}). For a JVM host, also the
 * live heap: {@code jcmd PID GC.class_histogram} runs a full collection and totals what survives.
 */
final class HostProbe {

    private static final double TICKS_PER_SECOND = 100.0;

    private final long pid;

    private HostProbe(long pid) {
        this.pid = pid;
    }

    /** The probe of {@code pid}, or null when there is none (no PID given, or no {@code /proc}). */
    static HostProbe of(Long pid) {
        if (pid == null) {
            return null;
        }
        if (!Files.isReadable(Path.of("/proc", Long.toString(pid), "stat"))) {
            throw new IllegalArgumentException("host PID " + pid + ": no such process in /proc");
        }
        return new HostProbe(pid);
    }

    /** CPU seconds the process has used, user and system. */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // "pid (comm) state ppid ...": comm may contain spaces; fields after it are space separated.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND; // fields 14 and 15
        } catch (IOException e) {
            throw new IllegalStateException("host PID " + pid + " is gone", e);
        }
    }

    /** Resident set size in KiB. */
    long rssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
            return -1;
        } catch (IOException e) {
            throw new IllegalStateException("host PID " + pid + " is gone", e);
        }
    }

    /** Whether the host is a JVM (then {@link #liveHeapKib} works). */
    boolean isJvm() {
        try {
            return Path.of("/proc", Long.toString(pid), "exe").toRealPath().getFileName().toString().equals("java");
        } catch (IOException e) {
            return false;
        }
    }

    /** The host's live heap in KiB after a full collection, or -1 when it cannot be read. */
    long liveHeapKib() {
        if (!isJvm()) {
            return -1;
        }
        Path jcmd = ProcessHandle.current().info().command().map(Path::of)
                .map(java -> java.resolveSibling("jcmd")).filter(Files::isExecutable).orElse(Path.of("jcmd"));
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return -1;
            }
            List<String> lines = out.lines().filter(l -> l.startsWith("Total")).toList();
            if (lines.isEmpty()) {
                return -1;
            }
            String[] f = lines.get(lines.size() - 1).trim().split("\\s+");
            return Long.parseLong(f[2]) / 1024;
        } catch (IOException | NumberFormatException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
