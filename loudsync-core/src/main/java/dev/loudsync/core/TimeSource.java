package dev.loudsync.core;

/**
 * Where LoudSync reads time. Core code never calls {@code System.currentTimeMillis()} or
 * {@code System.nanoTime()} itself, so tests can drive time by hand (the test kit's {@code ManualTime}, in {@code loudsync-testing}).
 */
public interface TimeSource {

    /** Wall-clock time in milliseconds since the epoch, used for timestamps on the wire. */
    long currentTimeMillis();

    /**
     * Monotonic time in nanoseconds from an arbitrary origin, used for timeouts so that a wall
     * clock that jumps does not time members out.
     */
    long nanoTime();

    /** The system's clocks. */
    static TimeSource system() {
        return SystemTime.INSTANCE;
    }
}

/** The system clocks; a singleton without state. */
enum SystemTime implements TimeSource {
    INSTANCE;

    @Override
    public long currentTimeMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }
}
