package dev.loudsync.examples.chat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Who in one room is typing, and until when: a member typing is cleared after the timeout (5 s in
 * the chat) without a new {@code TYPING}, when it says it stopped, sends a message, or leaves.
 *
 * <p>One timer per room, not per member: entries are kept in order of their deadlines (a refresh
 * moves an entry to the end; every entry has the same timeout), and one task, scheduled for the
 * first deadline, clears what is due and schedules itself for the next. Thread-safe: typing is
 * reported on the session's thread, the timer runs on the chat's timer thread; {@code onCleared}
 * runs on either, outside the lock.
 */
final class Typing {

    private final Duration timeout;
    private final ScheduledExecutorService timers;
    private final LongSupplier nanoTime;
    private final Consumer<String> onCleared;
    /** Device id to deadline ({@code nanoTime}), oldest deadline first. */
    private final LinkedHashMap<String, Long> deadlines = new LinkedHashMap<>();
    private ScheduledFuture<?> timer;
    private boolean closed;

    /** @param onCleared told of each device that stopped typing by the timeout */
    Typing(Duration timeout, ScheduledExecutorService timers, LongSupplier nanoTime, Consumer<String> onCleared) {
        this.timeout = timeout;
        this.timers = timers;
        this.nanoTime = nanoTime;
        this.onCleared = onCleared;
    }

    /** {@code deviceId} is typing: its deadline starts again. */
    synchronized void typing(String deviceId) {
        if (closed) {
            return;
        }
        deadlines.remove(deviceId);
        deadlines.put(deviceId, nanoTime.getAsLong() + timeout.toNanos());
        if (timer == null) {
            timer = timers.schedule(this::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** {@code deviceId} stopped typing; whether it was. */
    synchronized boolean stopped(String deviceId) {
        return deadlines.remove(deviceId) != null;
    }

    /** Whether {@code deviceId} is typing. */
    synchronized boolean isTyping(String deviceId) {
        return deadlines.containsKey(deviceId);
    }

    /** Forgets everyone and stops the timer: the room's session ended. */
    synchronized void close() {
        closed = true;
        deadlines.clear();
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expire() {
        java.util.List<String> cleared = new java.util.ArrayList<>();
        synchronized (this) {
            timer = null;
            long now = nanoTime.getAsLong();
            var it = deadlines.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, Long> e = it.next();
                if (e.getValue() - now > 0) {
                    timer = timers.schedule(this::expire, e.getValue() - now, TimeUnit.NANOSECONDS);
                    break;
                }
                it.remove();
                cleared.add(e.getKey());
            }
        }
        cleared.forEach(onCleared);
    }
}
