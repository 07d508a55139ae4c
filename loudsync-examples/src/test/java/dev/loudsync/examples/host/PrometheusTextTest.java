package dev.loudsync.examples.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The scrape reader of the endpoint tests rejects what a Prometheus server would not read. */
class PrometheusTextTest {

    private static final String HEAD = "# HELP x_total Things\n# TYPE x_total counter\n";

    @Test
    void readsLabelsAndValues() {
        PrometheusText t = PrometheusText.parse(HEAD + "x_total{a=\"b\",c=\"d\"} 3.0\nx_total{a=\"e\",c=\"d\"} 4.0\n");
        assertThat(t.value("x_total", "a", "e")).isEqualTo(4.0);
        assertThatThrownBy(() -> t.value("x_total", "c", "d")).hasMessageStartingWith("2 samples of x_total");
    }

    @Test
    void aBrokenLabelSet_orABadValue_fails() {
        assertThatThrownBy(() -> PrometheusText.parse(HEAD + "x_total{a=\"b\" 3.0\n"))
                .hasMessage("1 sample lines, but the parser read 0 samples");
        assertThatThrownBy(() -> PrometheusText.parse(HEAD + "x_total three\n")).isInstanceOf(NumberFormatException.class);
    }
}
