package dev.loudsync.tests.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loudsync.core.Session;
import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.testing.InMemoryGuest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md, "Messages": application types. */
class ApplicationMessageTest {

    private final Harness h = new Harness();
    private Session s;
    private InMemoryGuest a;
    private InMemoryGuest b;

    @BeforeEach
    void twoMembers() {
        s = h.open(c -> c.latencyProbes(false));
        a = h.join(s, "a");
        b = h.join(s, "b");
        a.drain();
        b.drain();
    }

    private static GuestMessage chat(String text) {
        return new ApplicationMessage("CHAT", Map.of("text", text));
    }

    @Test
    void aRegisteredType_reachesItsHandler_withTheSenderAsTheSessionKnowsIt() {
        List<String> seen = new ArrayList<>();
        s.handle("CHAT", (session, sender, message) -> seen.add(sender.id() + ":" + message.payload().get("text")));
        a.send(new ApplicationMessage("CHAT", Map.of("text", "hi", "from", "b")));
        assertThat(seen).containsExactly("a:hi");
        a.assertNothingUnread();
    }

    @Test
    void aTypeWithoutHandler_isInvalidMessage_andTheConnectionStaysOpen() {
        a.send(chat("hi"));
        HostMessage.Error e = a.nextError();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(e.message()).contains("CHAT");
        assertThat(a.isOpen()).isTrue();
        b.assertNothingUnread();
    }

    @Test
    void aRelayHandler_canBroadcastToEveryMember_senderIncluded() {
        s.handle("CHAT", (session, sender, message) -> session.broadcast("CHAT",
                Map.of("from", sender.id(), "text", message.payload().get("text"))));
        a.send(chat("hello"));
        for (InMemoryGuest c : List.of(a, b)) {
            ApplicationMessage m = c.next(ApplicationMessage.class);
            assertThat(m.type()).isEqualTo("CHAT");
            assertThat(m.payload()).containsEntry("from", "a").containsEntry("text", "hello");
        }
    }

    @Test
    void sendToOneMember_reachesOnlyThatMember() {
        assertThat(s.send("b", "NUDGE", Map.of()).join()).isTrue();
        assertThat(b.next(ApplicationMessage.class).type()).isEqualTo("NUDGE");
        a.assertNothingUnread();
        assertThat(s.send("nobody", "NUDGE", Map.of()).join()).isFalse();
    }

    @Test
    void aThrowingHandler_isIsolated() {
        s.handle("CHAT", (session, sender, message) -> {
            throw new IllegalStateException("app bug");
        });
        a.send(chat("boom"));
        a.assertNothingUnread();
        assertThat(a.isOpen()).isTrue();
        a.send(new GuestMessage.Heartbeat("a", null));
        assertThat(s.members()).hasSize(3);
    }

    @Test
    void protocolTypesAndLowerCase_cannotBeRegisteredOrSent() {
        for (String bad : List.of("JOIN", "WELCOME", "PING", "chat", "Chat", "1CHAT", "", "CH AT")) {
            assertThatThrownBy(() -> s.handle(bad, (x, y, z) -> { }), bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.broadcast(bad, Map.of()), bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
