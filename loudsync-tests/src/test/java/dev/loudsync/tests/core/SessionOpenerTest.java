package dev.loudsync.tests.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.Session;
import dev.loudsync.core.SessionCodes;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.SessionRegistry;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.testing.InMemoryGuest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link SessionRegistry.Builder#sessionOpener}: a JOIN for a session that is not open may open it. */
class SessionOpenerTest {

    private final List<String> asked = new ArrayList<>();
    private final AtomicReference<SessionRegistry> registry = new AtomicReference<>();
    private final Harness h = new Harness(b -> b.sessionOpener(id -> {
        asked.add(id);
        if (!SessionCodes.normalize(id).equals("ROOM1")) {
            return null;
        }
        SessionRegistry r = registry.get();
        return r.find(id).orElseGet(() -> r.open(SessionConfig.builder().sessionId("room-1").serverHosted()
                .emptyTimeout(Duration.ofSeconds(10)).build()));
    }));

    SessionOpenerTest() {
        registry.set(h.registry);
    }

    private InMemoryGuest join(String sessionId, String deviceId) {
        return h.join(GuestMessage.Join.of(sessionId, deviceId, "Guest " + deviceId));
    }

    @Test
    void joinForAnUnopenedSession_opensIt_andIsAdmitted() {
        assertThat(h.registry.find("room-1")).isEmpty();
        InMemoryGuest a = join("ROOM-1", "a");
        assertThat(a.next(HostMessage.Welcome.class).sessionId()).isEqualTo("room-1");
        assertThat(asked).containsExactly("ROOM-1");
        assertThat(h.registry.find("room-1")).isPresent();

        InMemoryGuest b = join("room-1", "b");
        assertThat(b.next(HostMessage.Welcome.class).hostId()).isEqualTo("a");
        assertThat(asked).as("an open session is found without asking").containsExactly("ROOM-1");
    }

    @Test
    void sessionClosedWhileEmpty_isOpenedAgainByTheNextJoin() {
        InMemoryGuest a = join("room-1", "a");
        a.next(HostMessage.Welcome.class);
        Session first = h.registry.find("room-1").orElseThrow();
        a.send(new GuestMessage.Leave(null));
        h.advance(Duration.ofSeconds(16));
        assertThat(first.isOpen()).isFalse();

        InMemoryGuest b = join("room-1", "b");
        assertThat(b.next(HostMessage.Welcome.class).hostId()).isEqualTo("b");
        assertThat(h.registry.find("room-1")).get().isNotSameAs(first);
    }

    @Test
    void openerWithNothingToOpen_orFailing_leavesTheJoinRefusedAsNotFound() {
        InMemoryGuest a = join("NOPE", "a");
        assertThat(a.nextError().code()).isEqualTo(ErrorCode.SESSION_NOT_FOUND);
        assertThat(a.closeCode()).isEqualTo(CloseCode.SESSION_NOT_FOUND);

        Harness failing = new Harness(b -> b.sessionOpener(id -> {
            throw new IllegalStateException("database down");
        }));
        InMemoryGuest c = failing.join(GuestMessage.Join.of("X1", "c", "C"));
        assertThat(c.nextError().code()).isEqualTo(ErrorCode.SESSION_NOT_FOUND);
        assertThat(c.closeCode()).isEqualTo(CloseCode.SESSION_NOT_FOUND);
        assertThat(failing.registry.sessions()).isEmpty();
    }
}
