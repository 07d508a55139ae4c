package dev.loudsync.netty.discovery.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.loudsync.core.Member;
import dev.loudsync.core.MemberStatus;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.TimeSource;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.jmdns.ServiceInfo;
import org.junit.jupiter.api.Test;

/** The DNS-SD publisher's order of calls and its throttle, on a recording backend instead of JmDNS. */
class DnsSdPublisherTest {

    private static final Duration MIN_UPDATE = Duration.ofMillis(200);
    private static final Duration CONFIRM = Duration.ofMillis(300);

    private record Call(String what, String memberCount, long nanos) {
    }

    /** Records every backend call. */
    private static final class RecordingBackend implements DnsSdPublisher.Backend {
        final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();

        @Override
        public void register(ServiceInfo service) {
            calls.add(new Call("register " + service.getName(), service.getPropertyString("memberCount"),
                    System.nanoTime()));
        }

        @Override
        public void setText(ServiceInfo service, Map<String, String> txt) {
            calls.add(new Call("setText", txt.get("memberCount"), System.nanoTime()));
        }

        @Override
        public void unregister(ServiceInfo service) {
            calls.add(new Call("unregister " + service.getName(), null, System.nanoTime()));
        }

        @Override
        public void close() {
            calls.add(new Call("close", null, System.nanoTime()));
        }

        Call next() throws InterruptedException {
            Call c = calls.poll(2, TimeUnit.SECONDS);
            if (c == null) {
                fail("no backend call within 2 s");
            }
            return c;
        }
    }

    /** A session with a settable member count; only what the publisher reads. */
    private static Session session(String name, AtomicInteger members, AtomicBoolean open) {
        SessionConfig config = SessionConfig.builder().sessionId("ABC123").name(name).host("h", "Host").build();
        return (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "config":
                            return config;
                        case "id":
                            return config.sessionId();
                        case "isOpen":
                            return open.get();
                        case "members":
                            List<Member> list = new ArrayList<>();
                            for (int i = 0; i < members.get(); i++) {
                                list.add(new Member("m" + i, "M", i == 0 ? Member.Role.HOST : Member.Role.CLIENT,
                                        MemberStatus.CONNECTED, 0, OptionalInt.empty()));
                            }
                            return List.copyOf(list);
                        case "toString":
                            return "Session(" + name + ")";
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    private static DnsSdPublisher publisher(DnsSdPublisher.Opener opener) {
        return new DnsSdPublisher(opener, InetAddress.getLoopbackAddress(), 8080, TimeSource.system(), MIN_UPDATE,
                CONFIRM);
    }

    @Test
    void memberChanges_updateTheTxtRecordAtOnce_thenAtMostOncePerInterval_withTheLatestCount() throws Exception {
        RecordingBackend backend = new RecordingBackend();
        DnsSdPublisher publisher = publisher(() -> backend);
        AtomicInteger members = new AtomicInteger(1);
        Session session = session("Party", members, new AtomicBoolean(true));
        publisher.start();
        publisher.publish(session);
        Call registered = backend.next();
        assertThat(registered.what()).isEqualTo("register Party");
        assertThat(registered.memberCount()).isEqualTo("1");

        members.set(2);
        publisher.membersChanged(session);
        for (int n = 3; n <= 6; n++) {
            members.set(n);
            publisher.membersChanged(session);
        }

        List<Call> updates = new ArrayList<>();
        long quietUntil = System.nanoTime() + MIN_UPDATE.plus(CONFIRM).multipliedBy(3).toNanos();
        Call c;
        while ((c = backend.calls.poll(quietUntil - System.nanoTime(), TimeUnit.NANOSECONDS)) != null) {
            updates.add(c);
        }
        assertThat(updates).extracting(Call::what).containsOnly("setText");
        assertThat(updates.get(updates.size() - 1).memberCount()).isEqualTo("6");
        // The first change goes out at once (the burst may coalesce with it), later ones as the throttle allows.
        assertThat(updates.get(0).memberCount()).isIn("2", "3", "4", "5", "6");
        for (int i = 1; i < updates.size(); i++) {
            long gap = updates.get(i).nanos() - updates.get(i - 1).nanos();
            // The publisher stamps an update just before calling the backend, the backend records it
            // when called: the two clocks' readings of one update differ by that call's delay, so
            // the gap between recordings may fall short of the interval by it (seen: 0.14 ms).
            assertThat(Duration.ofNanos(gap)).as("gap before update %d", i)
                    .isGreaterThanOrEqualTo(MIN_UPDATE.minusMillis(5));
        }
        // At most: the first, the coalesced rest, and one confirmation of each.
        assertThat(updates).hasSizeBetween(2, 4);

        publisher.stop().get(2, TimeUnit.SECONDS);
        assertThat(backend.next().what()).isEqualTo("close");
    }

    @Test
    void withdrawing_unregisters_andStopping_closesTheBackendAndEndsTheThread() throws Exception {
        RecordingBackend backend = new RecordingBackend();
        DnsSdPublisher publisher = publisher(() -> backend);
        AtomicBoolean open = new AtomicBoolean(true);
        Session session = session("Party", new AtomicInteger(1), open);
        publisher.start();
        publisher.publish(session);
        assertThat(backend.next().what()).isEqualTo("register Party");

        open.set(false);
        publisher.withdraw(session);
        assertThat(backend.next().what()).isEqualTo("unregister Party");
        publisher.membersChanged(session); // after the withdrawal: nothing
        publisher.publish(session); // closed: nothing

        publisher.stop().get(2, TimeUnit.SECONDS);
        assertThat(backend.next().what()).isEqualTo("close");
        assertThat(backend.calls).isEmpty();
        publisher.publish(session); // after stop: ignored, no exception
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("loudsync-dnssd")
                && t.isAlive())) {
            assertThat(System.nanoTime()).as("loudsync-dnssd still alive").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void aBackendThatCannotOpen_isLogged_andNothingElseFails() throws Exception {
        DnsSdPublisher publisher = publisher(() -> {
            throw new IOException("no multicast here");
        });
        Session session = session("Party", new AtomicInteger(1), new AtomicBoolean(true));
        publisher.start();
        publisher.publish(session);
        publisher.membersChanged(session);
        publisher.withdraw(session);
        publisher.stop().get(2, TimeUnit.SECONDS);
    }
}
