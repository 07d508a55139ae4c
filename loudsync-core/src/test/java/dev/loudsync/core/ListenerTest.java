package dev.loudsync.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.testing.Harness;
import dev.loudsync.core.testing.TestConnection;
import org.junit.jupiter.api.Test;

class ListenerTest {

    private final Harness h = new Harness();

    @Test
    void eventsArriveInTheOrderTheyHappened() {
        Session s = h.open(b -> b.latencyProbes(false));
        Harness.Events events = new Harness.Events();
        s.addListener(events);
        TestConnection a = h.join(s, "a");
        h.join(s, "b");
        a.send(new GuestMessage.Heartbeat("a", 33L));
        a.send(new GuestMessage.Leave(null));
        s.kick("b", "x");
        s.close();
        assertThat(events.take()).containsExactly("joined a", "joined b", "updated a CONNECTED 33ms",
                "left a LEFT", "left b KICKED", "closed");
    }

    @Test
    void aThrowingListener_isIsolated_fromOtherListenersAndTheSession() {
        Session s = h.open();
        SessionListener broken = new SessionListener() {
            @Override
            public void memberJoined(Session session, Member member) {
                throw new IllegalStateException("listener bug");
            }
        };
        Harness.Events events = new Harness.Events();
        s.addListener(broken);
        s.addListener(events);
        TestConnection a = h.join(s, "a");
        TestConnection b = h.join(s, "b");
        assertThat(events.take()).containsExactly("joined a", "joined b");
        assertThat(a.isOpen() && b.isOpen()).isTrue();
        assertThat(a.view.members()).isEqualTo(s.members());
    }

    @Test
    void aRemovedListener_hearsNothingMore() {
        Session s = h.open();
        Harness.Events events = new Harness.Events();
        s.addListener(events);
        s.addListener(events);
        h.join(s, "a");
        s.removeListener(events);
        h.join(s, "b");
        assertThat(events.take()).containsExactly("joined a");
    }

    @Test
    void aListenerCanCallTheSession_andItsActionRunsAfterTheCurrentEvent() {
        Session s = h.open();
        Harness.Events events = new Harness.Events();
        s.addListener(new SessionListener() {
            @Override
            public void memberJoined(Session session, Member member) {
                if (member.id().equals("troll")) {
                    session.kick("troll", "no trolls");
                }
            }
        });
        s.addListener(events);
        TestConnection troll = h.join(s, "troll");
        assertThat(events.take()).containsExactly("joined troll", "left troll KICKED");
        assertThat(troll.closeCode()).isNotNull();
    }
}
