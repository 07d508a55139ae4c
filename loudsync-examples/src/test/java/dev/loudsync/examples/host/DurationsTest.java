package dev.loudsync.examples.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @Test
    void parse_eachUnit() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("15s")).isEqualTo(Duration.ofSeconds(15));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("0s")).isEqualTo(Duration.ZERO);
    }

    @Test
    void parse_blanksAndUpperCase_accepted() {
        assertThat(Durations.parse(" 15S ")).isEqualTo(Duration.ofSeconds(15));
        assertThat(Durations.parse("250MS")).isEqualTo(Duration.ofMillis(250));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "15", "s", "-1s", "1.5s", "15 s", "1d", "PT15S", "15sec", "1m30s", "ms"})
    void parse_notADuration_failsNamingTextAndForm(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Durations.parse(text))
                .withMessage("'" + text + "' is not a duration"
                        + " (expected: a whole number and a unit ms, s, m or h, as in 500ms, 15s, 2m, 1h)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999s", "9223372036854775807h"})
    void parse_beyondDurationRange_failsAsTooLong(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Durations.parse(text))
                .withMessage("'" + text + "' is too long a duration");
    }
}
