package dev.loudsync.examples.host;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations as written on a command line: a whole number and a unit, as in {@code 500ms},
 * {@code 15s}, {@code 2m} or {@code 1h}.
 */
public final class Durations {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private Durations() {
    }

    /**
     * Parses {@code text}: digits followed by {@code ms}, {@code s}, {@code m} or {@code h}.
     * Surrounding blanks and upper case are accepted.
     *
     * @throws IllegalArgumentException naming the text and the expected form if it is not a duration
     */
    public static Duration parse(String text) {
        Objects.requireNonNull(text, "text");
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration"
                    + " (expected: a whole number and a unit ms, s, m or h, as in 500ms, 15s, 2m, 1h)");
        }
        try {
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration", e);
        }
    }

    /** {@link #parse} for picocli options: a bad duration is a usage error with its message. */
    public static Duration option(String text) {
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
