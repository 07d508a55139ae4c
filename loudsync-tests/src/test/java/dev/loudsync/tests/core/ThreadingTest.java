package dev.loudsync.tests.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.Member;
import dev.loudsync.core.SerialExecutor;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.SessionListener;
import dev.loudsync.core.SessionRegistry;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.transport.Connection;
import dev.loudsync.core.transport.ConnectionHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sessions on a real single-thread executor, driven from many threads at once. */
class ThreadingTest {

    private final ScheduledExecutorService sessionThread = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "session-thread"));
    private final ExecutorService callers = Executors.newFixedThreadPool(8);

    @AfterEach
    void shutdown() throws InterruptedException {
        callers.shutdownNow();
        sessionThread.shutdownNow();
        assertThat(sessionThread.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** A connection whose messages are recorded from whatever thread sends them. */
    private static final class Recorder implements Connection {
        final Queue<HostMessage> messages = new ConcurrentLinkedQueue<>();
        volatile CloseCode closed;

        @Override
        public void send(HostMessage message) {
            messages.add(message);
        }

        @Override
        public void close(CloseCode code) {
            closed = code;
        }

        @Override
        public void sendKeepAlive() {
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1:1";
        }
    }

    @Test
    void concurrentJoinsForTheLastPlaces_admitExactlyAsManyAsFit() throws Exception {
        SessionRegistry registry = SessionRegistry.builder()
                .executors(() -> SerialExecutor.of(sessionThread)).build();
        Session s = registry.open(SessionConfig.builder().host("h", "Host").maxMembers(6).build());
        AtomicInteger listenerThreads = new AtomicInteger();
        s.addListener(new SessionListener() {
            @Override
            public void memberJoined(Session session, Member member) {
                if (Thread.currentThread().getName().equals("session-thread")) {
                    listenerThreads.incrementAndGet();
                }
            }
        });
        CountDownLatch start = new CountDownLatch(1);
        List<Recorder> guests = new ArrayList<>();
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Recorder r = new Recorder();
            guests.add(r);
            ConnectionHandler handler = registry.accept(r);
            String id = "g" + i;
            sent.add(CompletableFuture.runAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                handler.onMessage(GuestMessage.Join.of(s.id(), id, id));
            }, callers));
        }
        start.countDown();
        CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);
        // a no-op action queued after every join: when it completes, all joins were handled
        s.kick("nobody", "").get(10, TimeUnit.SECONDS);

        assertThat(s.members()).hasSize(6);
        long welcomed = guests.stream().filter(g -> g.messages.peek() instanceof HostMessage.Welcome).count();
        long full = guests.stream().filter(g -> g.closed == CloseCode.SESSION_FULL).count();
        assertThat(welcomed).isEqualTo(5);
        assertThat(full).isEqualTo(45);
        assertThat(listenerThreads.get()).isEqualTo(5); // listeners ran on the session's thread
        s.close().get(10, TimeUnit.SECONDS);
        assertThat(guests.stream().filter(g -> g.closed == CloseCode.NORMAL).count()).isEqualTo(5);
    }
}
