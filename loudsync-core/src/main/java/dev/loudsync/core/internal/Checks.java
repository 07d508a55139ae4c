package dev.loudsync.core.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * Argument checks shared by LoudSync's builders: set-once properties and ranges, failing at once
 * with the property's name and the expected range, like {@code "port: 70000 (expected: 0-65535)"}.
 */
public final class Checks {

    private Checks() {
    }

    /** Throws {@link IllegalStateException} if a property was set before ({@code current} not null). */
    public static void once(Object current, String property) {
        if (current != null) {
            throw new IllegalStateException(property + " was already set");
        }
    }

    /** Returns {@code value} if within {@code [min, max]}, else throws {@link IllegalArgumentException}. */
    public static int inRange(int value, String property, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(property + ": " + value + " (expected: " + min + "-" + max + ")");
        }
        return value;
    }

    /** Returns {@code value} if not null and within {@code [min, max]}, else throws. */
    public static Duration inRange(Duration value, String property, Duration min, Duration max) {
        Objects.requireNonNull(value, property);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(property + ": " + value + " (expected: " + min + " to " + max + ")");
        }
        return value;
    }
}
