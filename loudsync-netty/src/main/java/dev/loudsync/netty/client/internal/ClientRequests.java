package dev.loudsync.netty.client.internal;

import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.netty.client.RequestFailedException;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The client's requests waiting for their answer (1.1): each has an id of this client's own
 * ({@code r1}, {@code r2}...; unique for the client's life, so a late answer of a forgotten request
 * never completes another) and a future that the host's {@code ACK} completes with its result and
 * its {@code ERROR} fails with a {@link RequestFailedException}. A request without an answer within
 * the timeout fails with {@link TimeoutException}; when the connection ends, every waiting request
 * fails with {@link IllegalStateException}: the host may or may not have handled it, and a request
 * is never sent again on its own.
 *
 * <p>Event loop only; futures complete there, so what the application chains on them runs on
 * the client's network thread, after the listener heard of what the handling sent before its
 * answer.
 */
final class ClientRequests {

    private final EventLoop loop;
    private final long timeoutNanos;
    private final Map<String, Waiting> waiting = new HashMap<>();
    private long lastId;

    private record Waiting(CompletableFuture<Object> result, ScheduledFuture<?> timeout) {
    }

    ClientRequests(EventLoop loop, Duration timeout) {
        this.loop = loop;
        this.timeoutNanos = timeout.toNanos();
    }

    /** A new request: its id, whose answer will complete {@code result}. */
    String open(CompletableFuture<Object> result) {
        String id = "r" + (++lastId);
        ScheduledFuture<?> timeout = loop.schedule(() -> fail(id, new TimeoutException(
                "no answer to request " + id + " within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms")),
                timeoutNanos, TimeUnit.NANOSECONDS);
        waiting.put(id, new Waiting(result, timeout));
        return id;
    }

    /**
     * Takes {@code message} if it answers a waiting request: an {@code ACK}, or an {@code ERROR}
     * with its {@code replyTo}.
     *
     * @return whether it did (an answer to no waiting request, a late one, is dropped too)
     */
    boolean answer(HostMessage message) {
        if (message instanceof HostMessage.Ack) {
            HostMessage.Ack ack = (HostMessage.Ack) message;
            Waiting w = take(ack.replyTo());
            if (w != null) {
                w.result.complete(ack.result());
            }
            return true;
        }
        if (message instanceof HostMessage.Error && ((HostMessage.Error) message).replyTo() != null) {
            HostMessage.Error e = (HostMessage.Error) message;
            Waiting w = take(e.replyTo());
            if (w != null) {
                w.result.completeExceptionally(new RequestFailedException(e.code(), e.message()));
                return true;
            }
        }
        return false;
    }

    /** Fails request {@code id}, if it still waits. */
    void fail(String id, Throwable cause) {
        Waiting w = take(id);
        if (w != null) {
            w.result.completeExceptionally(cause);
        }
    }

    /** The connection ended: every waiting request fails. */
    void connectionEnded() {
        List<String> ids = new ArrayList<>(waiting.keySet());
        for (String id : ids) {
            fail(id, new IllegalStateException("connection lost before the answer to request " + id
                    + "; the host may or may not have handled it"));
        }
    }

    /** How many requests wait for their answer. */
    int size() {
        return waiting.size();
    }

    private Waiting take(String id) {
        Waiting w = waiting.remove(id);
        if (w != null) {
            w.timeout.cancel(false);
        }
        return w;
    }
}
