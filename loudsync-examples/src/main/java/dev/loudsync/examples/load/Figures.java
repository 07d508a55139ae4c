package dev.loudsync.examples.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** The figures of one run of the load generator; -1 where a phase was skipped or a figure unavailable. */
final class Figures {
    long connectMs = -1;
    long joinMs = -1;
    long joinFrames = -1;
    double hostCpuJoinSeconds = -1;
    double driverCpuJoinSeconds = -1;
    double idleCpuPercent = -1;
    long rssEmptyKib = -1;
    long rssFullKib = -1;
    long heapEmptyKib = -1;
    long heapFullKib = -1;
    long deliveryP50Us = -1;
    long deliveryP99Us = -1;
    long lastP50Us = -1;
    long lastP99Us = -1;
    long leaveMs = -1;
    int leavers;
    long errors;
    boolean ok = true;
    String failure = "";

    /** The one-line summary the generator prints. */
    String summary(String label, int guests, boolean batching) {
        Figures f = this;
        StringBuilder s = new StringBuilder();
        s.append(label).append(": guests=").append(guests).append(batching ? " batching" : " individual");
        s.append(" connect=").append(f.connectMs).append("ms");
        s.append(" join=").append(f.joinMs).append("ms frames=").append(f.joinFrames);
        if (f.hostCpuJoinSeconds >= 0 && f.joinFrames > 0) {
            s.append(String.format(Locale.ROOT, " host_cpu=%.2fs (%.2fus/frame)", f.hostCpuJoinSeconds,
                    f.hostCpuJoinSeconds * 1e6 / f.joinFrames));
        }
        s.append(String.format(Locale.ROOT, " driver_cpu=%.2fs", f.driverCpuJoinSeconds));
        if (f.idleCpuPercent >= 0) {
            s.append(String.format(Locale.ROOT, " idle_cpu=%.1f%%", f.idleCpuPercent));
        }
        if (f.rssFullKib >= 0) {
            s.append(String.format(Locale.ROOT, " rss=%d->%dKiB (%.2fKiB/member)", f.rssEmptyKib, f.rssFullKib,
                    perMember(f.rssEmptyKib, f.rssFullKib, guests)));
        }
        if (f.heapFullKib >= 0 && f.heapEmptyKib >= 0) {
            s.append(String.format(Locale.ROOT, " heap=%d->%dKiB (%.2fKiB/member)", f.heapEmptyKib, f.heapFullKib,
                    perMember(f.heapEmptyKib, f.heapFullKib, guests)));
        }
        if (f.deliveryP50Us >= 0) {
            s.append(" delivery_p50=").append(f.deliveryP50Us).append("us p99=").append(f.deliveryP99Us).append("us");
            s.append(" last_p50=").append(f.lastP50Us).append("us p99=").append(f.lastP99Us).append("us");
        }
        if (f.leaveMs >= 0) {
            s.append(" leave(").append(f.leavers).append(")=").append(f.leaveMs).append("ms");
        }
        s.append(" errors=").append(f.errors);
        if (!f.ok) {
            s.append(" FAILED: ").append(f.failure);
        }
        return s.toString();
    }

    private static double perMember(long empty, long full, int guests) {
        return (full - empty) / (double) guests;
    }

    private static final String CSV_HEADER = "date,label,guests,batching,connect_ms,join_ms,join_frames,"
            + "host_cpu_join_s,host_cpu_us_per_frame,driver_cpu_join_s,idle_s,idle_cpu_pct,rss_empty_kib,"
            + "rss_full_kib,rss_kib_per_member,heap_empty_kib,heap_full_kib,heap_kib_per_member,"
            + "delivery_p50_us,delivery_p99_us,last_p50_us,last_p99_us,leavers,leave_ms,errors,ok";

    /** Appends this run as a row of {@code csv}, with the header first in a new file. */
    void appendCsv(Path csv, String label, int guests, boolean batching, Duration idle) throws IOException {
        Figures f = this;
    boolean fresh = !Files.exists(csv) || Files.size(csv) == 0;
    String row = String.join(",", Instant.now().toString(), label, Integer.toString(guests),
                Boolean.toString(batching), Long.toString(f.connectMs), Long.toString(f.joinMs),
                Long.toString(f.joinFrames), fmt(f.hostCpuJoinSeconds),
                f.hostCpuJoinSeconds >= 0 && f.joinFrames > 0 ? fmt(f.hostCpuJoinSeconds * 1e6 / f.joinFrames) : "",
                fmt(f.driverCpuJoinSeconds), Long.toString(idle.toSeconds()), fmt(f.idleCpuPercent),
                num(f.rssEmptyKib), num(f.rssFullKib),
                f.rssFullKib >= 0 ? fmt(perMember(f.rssEmptyKib, f.rssFullKib, guests)) : "",
                num(f.heapEmptyKib), num(f.heapFullKib),
                f.heapFullKib >= 0 && f.heapEmptyKib >= 0 ? fmt(perMember(f.heapEmptyKib, f.heapFullKib, guests)) : "",
                num(f.deliveryP50Us), num(f.deliveryP99Us), num(f.lastP50Us), num(f.lastP99Us),
                Integer.toString(f.leavers), num(f.leaveMs), Long.toString(f.errors), Boolean.toString(f.ok));
        if (csv.getParent() != null) {
            Files.createDirectories(csv.getParent());
        }
        Files.writeString(csv, (fresh ? CSV_HEADER + "\n" : "") + row + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String fmt(double v) {
        return v < 0 ? "" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String num(long v) {
        return v < 0 ? "" : Long.toString(v);
    }
}
