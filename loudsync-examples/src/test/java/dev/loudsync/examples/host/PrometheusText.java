package dev.loudsync.examples.host;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.skywalking.oap.server.library.util.prometheus.metrics.Metric;
import org.apache.skywalking.oap.server.library.util.prometheus.metrics.MetricFamily;
import org.apache.skywalking.oap.server.library.util.prometheus.metrics.MetricType;
import org.apache.skywalking.oap.server.library.util.prometheus.parser.TextParser;

/**
 * A scrape as a Prometheus server reads it: parsed by Apache SkyWalking's parser of the Prometheus
 * text exposition format, the one its OAP server scrapes real endpoints with, rather than by a
 * pattern written for this test. It reads families one by one ({@code # HELP}, {@code # TYPE},
 * then their samples) and throws on a value it cannot read. It skips a sample line it cannot
 * make out rather than fail, so {@link #parse} also checks that every sample line became a sample.
 */
final class PrometheusText {

    private final Map<String, MetricFamily> families;

    private PrometheusText(Map<String, MetricFamily> families) {
        this.families = families;
    }

    /** Parses a whole scrape; fails on anything the parser rejects. */
    static PrometheusText parse(String text) {
        TextParser parser = new TextParser(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        Map<String, MetricFamily> families = new LinkedHashMap<>();
        try {
            MetricFamily f;
            while ((f = parser.parse(0)) != null) {
                if (families.put(f.getName(), f) != null) {
                    throw new AssertionError("family " + f.getName() + " appears twice");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long sampleLines = text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
        long samples = 0;
        for (MetricFamily f : families.values()) {
            if (f.getType() != MetricType.COUNTER && f.getType() != MetricType.GAUGE) {
                throw new AssertionError("family " + f.getName() + " is a " + f.getType() + " (expected: counters and"
                        + " gauges, one sample per line)");
            }
            samples += f.getMetrics().size();
        }
        if (samples != sampleLines) {
            throw new AssertionError(sampleLines + " sample lines, but the parser read " + samples + " samples");
        }
        return new PrometheusText(families);
    }

    Map<String, MetricFamily> families() {
        return families;
    }

    MetricType type(String family) {
        return family(family).getType();
    }

    /**
     * The value of the one sample of {@code family} whose labels include {@code labels} (name, value,
     * name, value...); fails if there is none or more than one.
     */
    double value(String family, String... labels) {
        List<Metric> matching = family(family).getMetrics().stream().filter(m -> {
            for (int i = 0; i < labels.length; i += 2) {
                if (!labels[i + 1].equals(m.getLabels().get(labels[i]))) {
                    return false;
                }
            }
            return true;
        }).toList();
        if (matching.size() != 1) {
            throw new AssertionError(matching.size() + " samples of " + family + " with " + List.of(labels) + ": "
                    + family(family).getMetrics());
        }
        return matching.get(0).value();
    }

    private MetricFamily family(String name) {
        MetricFamily f = families.get(name);
        if (f == null) {
            throw new AssertionError("no family " + name + " in " + families.keySet());
        }
        return f;
    }
}
