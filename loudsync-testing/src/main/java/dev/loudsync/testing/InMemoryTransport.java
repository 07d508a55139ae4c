package dev.loudsync.testing;

import dev.loudsync.core.Session;
import dev.loudsync.core.SessionRegistry;
import dev.loudsync.core.protocol.GuestMessage;
import java.util.Objects;
import java.util.Set;

/**
 * Connects {@link InMemoryGuest}s to a {@link SessionRegistry} without a network: the registry sees
 * them as a transport's connections, each from its own address. With {@link ManualTime} as the
 * registry's clock and executors, a test joins a hundred members and times them out in
 * microseconds, all on its own thread:
 *
 * <pre>{@code
 * ManualTime time = new ManualTime();
 * SessionRegistry registry = SessionRegistry.builder().timeSource(time).executors(time::executor).build();
 * Session party = registry.open(SessionConfig.builder().host("host-1", "Laptop").build());
 * InMemoryTransport transport = new InMemoryTransport(registry);
 *
 * InMemoryGuest phone = transport.join(party, "phone-1");
 * phone.next(HostMessage.Welcome.class);
 * time.advance(Duration.ofSeconds(20));       // the phone never sent a heartbeat
 * assertThat(phone.closeCode()).isEqualTo(CloseCode.HEARTBEAT_TIMEOUT);
 * }</pre>
 *
 * <p>Not thread-safe, like the guests it makes.
 */
public final class InMemoryTransport {

    private final SessionRegistry registry;
    private int addresses;

    public InMemoryTransport(SessionRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** A new connection from a new address ({@code 10.0.0.N:5000}), which has not joined. */
    public InMemoryGuest connect() {
        addresses++;
        return connect("10." + (addresses >> 16 & 255) + "." + (addresses >> 8 & 255) + "." + (addresses & 255) + ":5000");
    }

    /** A new connection from {@code remoteAddress}, which has not joined. */
    public InMemoryGuest connect(String remoteAddress) {
        InMemoryGuest guest = new InMemoryGuest(Objects.requireNonNull(remoteAddress, "remoteAddress"));
        guest.attach(registry.accept(guest.wire));
        return guest;
    }

    /**
     * Connects and joins {@code session} as {@code deviceId} (named {@code "Guest <deviceId>"}),
     * announcing {@code capabilities}; what the host answers is left unread.
     */
    public InMemoryGuest join(Session session, String deviceId, String... capabilities) {
        return join(GuestMessage.Join.of(session.id(), deviceId, "Guest " + deviceId)
                .withCapabilities(Set.of(capabilities)));
    }

    /** Connects and sends {@code join}; what the host answers is left unread. */
    public InMemoryGuest join(GuestMessage.Join join) {
        return connect().send(join);
    }
}
