package dev.loudsync.tests.core;

import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.SerialExecutor;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.SessionListener;
import dev.loudsync.core.SessionRegistry;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.testing.InMemoryGuest;
import dev.loudsync.testing.InMemoryTransport;
import dev.loudsync.testing.ManualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A registry on manual time with in-memory guests (the test kit's {@link ManualTime} and
 * {@link InMemoryTransport}): everything runs on the test's thread.
 */
public final class Harness {

    public final ManualTime time = new ManualTime();
    public final SessionRegistry registry;
    private final InMemoryTransport transport;

    public Harness() {
        this(UnaryOperator.identity());
    }

    public Harness(UnaryOperator<SessionRegistry.Builder> customize) {
        this(UnaryOperator.identity(), customize);
    }

    private Harness(UnaryOperator<SerialExecutor> wrap, UnaryOperator<SessionRegistry.Builder> customize) {
        this.registry = customize.apply(SessionRegistry.builder().timeSource(time)
                .executors(() -> wrap.apply(time.executor()))).build();
        this.transport = new InMemoryTransport(registry);
    }

    /** A harness whose executors (the manual clock's) are {@code wrap}ped, e.g. to count tasks. */
    public static Harness wrappingExecutors(UnaryOperator<SerialExecutor> wrap) {
        return new Harness(wrap, UnaryOperator.identity());
    }

    /** Opens a session hosted by "host-1"/"Host", id "ABC123", configured further by {@code customize}. */
    public Session open(UnaryOperator<SessionConfig.Builder> customize) {
        return registry.open(customize.apply(SessionConfig.builder().sessionId("ABC123").host("host-1", "Host"))
                .build());
    }

    public Session open() {
        return open(UnaryOperator.identity());
    }

    /** Opens a server-hosted session (no host device), id "ABC123", configured further by {@code customize}. */
    public Session openServerHosted(UnaryOperator<SessionConfig.Builder> customize) {
        return registry.open(customize.apply(SessionConfig.builder().sessionId("ABC123").serverHosted()).build());
    }

    /** Connects and joins {@code session} as {@code deviceId} announcing {@code capabilities}; messages are left unread. */
    public InMemoryGuest join(Session session, String deviceId, String... capabilities) {
        return transport.join(session, deviceId, capabilities);
    }

    /** A new connection from a new address, not joined. */
    public InMemoryGuest connect() {
        return transport.connect();
    }

    /** Connects and sends {@code join}; messages are left unread. */
    public InMemoryGuest join(GuestMessage.Join join) {
        return transport.join(join);
    }

    public void advance(Duration d) {
        time.advance(d);
    }

    public void advanceMillis(long millis) {
        time.advance(Duration.ofMillis(millis));
    }
}
