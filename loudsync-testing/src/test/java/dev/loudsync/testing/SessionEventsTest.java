package dev.loudsync.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.SessionRegistry;
import dev.loudsync.core.protocol.GuestMessage;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every event as the line the class Javadoc names, in order; take() clears. */
class SessionEventsTest {

    private final ManualTime time = new ManualTime();
    private final SessionRegistry registry = SessionRegistry.builder().timeSource(time).executors(time::executor).build();
    private final InMemoryTransport transport = new InMemoryTransport(registry);

    @Test
    void linesInOrder_andTakeClears() {
        SessionEvents events = new SessionEvents();
        Session party = registry.open(SessionConfig.builder().host("host-1", "Laptop").requireApproval(true).build());
        party.addListener(events);

        InMemoryGuest phone = transport.join(party, "phone-1");
        assertThat(events.take()).containsExactly("requested phone-1");
        party.approve("phone-1");
        phone.send(new GuestMessage.Heartbeat("phone-1", 42L)); // a latency the phone measured itself
        party.close();

        assertThat(events.lines()).containsExactly(
                "joined phone-1", "updated phone-1 CONNECTED 42ms", "left phone-1 SESSION_CLOSED", "closed");
        assertThat(events.take()).hasSize(4);
        assertThat(events.lines()).isEmpty();
    }

    @Test
    void aSilentMemberLeavesAsTimedOut() {
        SessionEvents events = new SessionEvents();
        Session party = registry.open(SessionConfig.builder().host("host-1", "Laptop").build());
        party.addListener(events);
        transport.join(party, "phone-1");
        time.advance(Duration.ofSeconds(20));
        assertThat(events.lines()).containsExactly("joined phone-1", "left phone-1 TIMED_OUT");
    }
}
