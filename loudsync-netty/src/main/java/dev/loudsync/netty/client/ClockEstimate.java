package dev.loudsync.netty.client;

/**
 * The client's estimate of the host's clock: {@code hostTime = localTime + offsetMillis}, good to
 * within {@code uncertaintyMillis} (half the round trip of the sample it rests on, plus the host's
 * millisecond rounding).
 *
 * @param offsetMillis      host clock minus local clock
 * @param uncertaintyMillis bound on the error of {@code offsetMillis}
 * @param samples           number of PING/PONG samples taken so far
 */
public record ClockEstimate(double offsetMillis, double uncertaintyMillis, int samples) {
}
