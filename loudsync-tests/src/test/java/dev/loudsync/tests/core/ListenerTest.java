package dev.loudsync.tests.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.Member;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionListener;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.testing.InMemoryGuest;
import dev.loudsync.testing.SessionEvents;
import org.junit.jupiter.api.Test;

class ListenerTest {

    private final Harness h = new Harness();

    @Test
    void eventsArriveInTheOrderTheyHappened() {
        Session s = h.open(b -> b.latencyProbes(false));
        SessionEvents events = new SessionEvents();
        s.addListener(events);
        InMemoryGuest a = h.join(s, "a");
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
        SessionEvents events = new SessionEvents();
        s.addListener(broken);
        s.addListener(events);
        InMemoryGuest a = h.join(s, "a");
        InMemoryGuest b = h.join(s, "b");
        assertThat(events.take()).containsExactly("joined a", "joined b");
        assertThat(a.isOpen() && b.isOpen()).isTrue();
        assertThat(a.members()).isEqualTo(s.members());
    }

    @Test
    void aRemovedListener_hearsNothingMore() {
        Session s = h.open();
        SessionEvents events = new SessionEvents();
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
        SessionEvents events = new SessionEvents();
        s.addListener(new SessionListener() {
            @Override
            public void memberJoined(Session session, Member member) {
                if (member.id().equals("troll")) {
                    session.kick("troll", "no trolls");
                }
            }
        });
        s.addListener(events);
        InMemoryGuest troll = h.join(s, "troll");
        assertThat(events.take()).containsExactly("joined troll", "left troll KICKED");
        assertThat(troll.closeCode()).isNotNull();
    }
}
