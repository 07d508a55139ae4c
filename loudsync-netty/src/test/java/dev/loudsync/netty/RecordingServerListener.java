package dev.loudsync.netty;

import static org.assertj.core.api.Assertions.fail;

import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.testing.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Queues a server's listener events as lines ({@code "opened ADDR"}, {@code "closed ADDR CODE"},
 * {@code "refused ADDR CODE"}, {@code "abuse KIND ADDR DETAIL"}) and the name of the thread each
 * came on, for tests to wait for.
 */
final class RecordingServerListener implements ServerListener {

    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    final List<String> threads = java.util.Collections.synchronizedList(new ArrayList<>());

    private void add(String event) {
        threads.add(Thread.currentThread().getName());
        events.add(event);
    }

    @Override
    public void connectionOpened(String remoteAddress) {
        add("opened " + remoteAddress);
    }

    @Override
    public void connectionClosed(String remoteAddress, CloseCode code) {
        add("closed " + remoteAddress + " " + code);
    }

    @Override
    public void joinRefused(String remoteAddress, ErrorCode code) {
        add("refused " + remoteAddress + " " + code);
    }

    @Override
    public void abuse(Abuse kind, String remoteAddress, String detail) {
        add("abuse " + kind + " " + remoteAddress + " " + detail);
    }

    /** Skips events until one starts with {@code prefix}, waiting up to 10 s in all. */
    String await(String prefix) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> skipped = new ArrayList<>();
        try {
            while (true) {
                String e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (e == null) {
                    return fail("no event starting with '%s' within 10 s; skipped %s", prefix, skipped);
                }
                if (e.startsWith(prefix)) {
                    return e;
                }
                skipped.add(e);
            }
        } catch (InterruptedException ex) {
            throw new AssertionError(ex);
        }
    }

    /** The events not taken yet, without waiting. */
    List<String> drain() {
        List<String> rest = new ArrayList<>();
        events.drainTo(rest);
        return rest;
    }

    /** Waits (at most 10 s) until the server's stats satisfy {@code condition}; returns them. */
    static ServerStats awaitStats(LoudSyncServer server, String what, Predicate<ServerStats> condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        ServerStats s = server.stats();
        while (!condition.test(s)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what + "; last stats: " + s);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            s = server.stats();
        }
        return s;
    }

    /** Waits (at most 10 s) until {@code condition} holds. */
    static void await(String what, BooleanSupplier condition) {
        Await.until(what, condition);
    }
}
