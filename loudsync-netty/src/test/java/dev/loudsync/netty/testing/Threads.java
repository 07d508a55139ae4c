package dev.loudsync.netty.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Thread checks for tests. */
public final class Threads {

    private Threads() {
    }

    /**
     * Waits (at most 10 s) until no live thread's name starts with {@code prefix}. A thread that
     * completed its group's termination future can still be on its way out, so a check made right
     * after a stop must allow it that moment.
     */
    public static void awaitNoneNamed(String prefix) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> alive;
        while (!(alive = named(prefix)).isEmpty() && System.nanoTime() < until) {
            Thread.sleep(10); // polling a condition with a deadline
        }
        assertThat(alive).as("threads named %s* still alive", prefix).isEmpty();
    }

    private static List<String> named(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith(prefix))
                .map(Thread::getName).toList();
    }
}
