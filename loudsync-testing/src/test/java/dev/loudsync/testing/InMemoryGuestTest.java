package dev.loudsync.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.SessionRegistry;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.transport.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kit as its Javadoc promises: the example works, and the guest is strict. */
class InMemoryGuestTest {

    private final ManualTime time = new ManualTime();
    private final SessionRegistry registry = SessionRegistry.builder().timeSource(time).executors(time::executor).build();
    private final Session party = registry.open(SessionConfig.builder().host("host-1", "Laptop").build());
    private final InMemoryTransport transport = new InMemoryTransport(registry);

    @Test
    void theJavadocExample_aSilentPhoneIsTimedOut() {
        InMemoryGuest phone = transport.join(party, "phone-1");
        assertThat(phone.next(HostMessage.Welcome.class).yourDeviceId()).isEqualTo("phone-1");
        time.advance(Duration.ofSeconds(20));
        assertThat(phone.closeCode()).isEqualTo(CloseCode.HEARTBEAT_TIMEOUT);
        assertThat(phone.isOpen()).isFalse();
    }

    @Test
    void theGuestKeepsItsViewOfTheMembers_andItsCopyOfTheState() {
        InMemoryGuest a = transport.join(party, "a", "state");
        transport.join(party, "b");
        party.patchState(Map.of("k", "v")).join();
        assertThat(a.members()).isEqualTo(party.members());
        assertThat(a.hasMemberList()).isTrue();
        assertThat(a.state()).isEqualTo(Map.of("k", "v"));
        assertThat(a.stateVersion()).isEqualTo(1);
    }

    @Test
    void next_failsOnAnotherType_andWhenNothingIsLeft() {
        InMemoryGuest a = transport.join(party, "a");
        assertThatThrownBy(() -> a.next(HostMessage.MemberList.class)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Welcome");
        a.drain();
        assertThatThrownBy(() -> a.nextError()).isInstanceOf(AssertionError.class)
                .hasMessageContaining("no message is left");
    }

    @Test
    void assertNothingUnread_failsNamingWhatIsLeft_butSkipsIgnoredTypes() {
        InMemoryGuest a = transport.join(party, "a");
        a.next(HostMessage.Welcome.class);
        a.assertNothingUnread(HostMessage.MemberList.class);
        transport.join(party, "b");
        assertThatThrownBy(a::assertNothingUnread).isInstanceOf(AssertionError.class).hasMessageContaining("b");
    }

    @Test
    void aDeltaThatDoesNotFitTheView_failsWhereTheHostSentIt() {
        InMemoryGuest a = transport.join(party, "a", "state");
        Connection wire = a.wire;
        assertThatThrownBy(() -> wire.send(new HostMessage.MemberLeft("nobody", LeaveReason.LEFT)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("nobody");
        assertThatThrownBy(() -> wire.send(new HostMessage.StatePatch(5, Map.of())))
                .isInstanceOf(AssertionError.class).hasMessageContaining("STATE_PATCH 5 after version 0");
    }

    @Test
    void eachConnectionComesFromItsOwnAddress_andAnswersAreCountedByRequestId() {
        InMemoryGuest a = transport.connect();
        InMemoryGuest b = transport.connect();
        assertThat(a.remoteAddress()).isNotEqualTo(b.remoteAddress());
        a.send(new GuestMessage.Kick("x", null, false, "r1"));
        assertThat(a.answersTo("r1")).isEqualTo(1);
        assertThat(a.drain()).extracting(HostMessage::type).isEqualTo(List.of("ERROR"));
    }
}
