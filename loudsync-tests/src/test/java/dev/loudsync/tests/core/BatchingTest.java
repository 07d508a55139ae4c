package dev.loudsync.tests.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.Session;
import dev.loudsync.core.protocol.GuestMessage.Join;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.testing.InMemoryGuest;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md, "Batching (extension)". */
class BatchingTest {

    private final Harness h = new Harness();
    private Session s;
    private InMemoryGuest batching;
    private InMemoryGuest classic;

    private InMemoryGuest joinBatching(String id) {
        return h.join(Join.of(s.id(), id, "Guest " + id).withCapabilities(Set.of("membersChanged")));
    }

    @BeforeEach
    void twoKindsOfGuest() {
        s = h.open(b -> b.maxMembers(100).latencyProbes(false));
        batching = joinBatching("batching");
        classic = h.join(s, "classic");
        h.advance(Duration.ofSeconds(1)); // quiet: any window is over
        batching.drain();
        classic.drain();
    }

    @Test
    void aLoneChange_goesOutAtOnce_asMembersChanged() {
        h.join(s, "x");
        HostMessage.MembersChanged c = batching.next(HostMessage.MembersChanged.class);
        assertThat(c.joined()).extracting(Member::id).containsExactly("x");
        assertThat(c.left()).isEmpty();
        assertThat(c.updated()).isEmpty();
        batching.assertNothingUnread();
    }

    @Test
    void guestsWithoutTheCapability_keepGettingIndividualMessages() {
        h.join(s, "x");
        h.join(s, "y");
        assertThat(classic.next(HostMessage.MemberJoined.class).member().id()).isEqualTo("x");
        assertThat(classic.next(HostMessage.MemberJoined.class).member().id()).isEqualTo("y");
        classic.assertNothingUnread();
        assertThat(classic.received()).noneMatch(m -> m instanceof HostMessage.MembersChanged);
    }

    @Test
    void aBurst_isHeldForTheWindow_andSentAsOneBatchInOrder() {
        h.join(s, "x1"); // lone: at once
        batching.next(HostMessage.MembersChanged.class);
        for (int i = 2; i <= 5; i++) {
            h.advanceMillis(2);
            h.join(s, "x" + i);
        }
        batching.assertNothingUnread(); // held
        h.advanceMillis(12); // 20 ms after the first change
        HostMessage.MembersChanged c = batching.next(HostMessage.MembersChanged.class);
        assertThat(c.joined()).extracting(Member::id).containsExactly("x2", "x3", "x4", "x5");
        batching.assertNothingUnread();
        assertThat(batching.members()).isEqualTo(s.members());
        assertThat(classic.members()).isEqualTo(s.members());
    }

    @Test
    void theHoldIsAtMostTheWindow_evenWhileChangesKeepComing() {
        h.join(s, "first");
        batching.drain();
        for (int i = 0; i < 50; i++) {
            h.advanceMillis(1);
            h.join(s, "m" + i);
        }
        // 50 ms of one join per millisecond: windows closed at 20 and 40 ms
        assertThat(batching.drain()).hasSize(2).allMatch(m -> m instanceof HostMessage.MembersChanged);
        h.advanceMillis(20);
        assertThat(batching.drain()).hasSize(1);
        assertThat(batching.members()).isEqualTo(s.members());
    }

    @Test
    void aMemberWhoJoinedAndLeftInsideOneWindow_appearsInNeitherList() {
        h.join(s, "lone");
        batching.drain();
        h.advanceMillis(1);
        InMemoryGuest brief = h.join(s, "brief");
        InMemoryGuest stays = h.join(s, "stays");
        brief.send(new GuestMessage.Leave(null));
        h.advanceMillis(25);
        HostMessage.MembersChanged c = batching.next(HostMessage.MembersChanged.class);
        assertThat(c.joined()).extracting(Member::id).containsExactly("stays");
        assertThat(c.left()).isEmpty();
        assertThat(batching.members()).isEqualTo(s.members());
        assertThat(stays.isOpen()).isTrue();
    }

    @Test
    void leavesAndUpdates_areBatchedToo_withTheirReasons() {
        InMemoryGuest a = h.join(s, "a");
        InMemoryGuest b = h.join(s, "b");
        h.advance(Duration.ofSeconds(1));
        batching.drain();
        a.send(new GuestMessage.Leave(null)); // lone: at once
        assertThat(batching.next(HostMessage.MembersChanged.class).left())
                .containsExactly(new HostMessage.Departure("a", LeaveReason.LEFT));
        b.send(new GuestMessage.Heartbeat("b", 70L));
        s.kick("b", "x");
        h.advanceMillis(20);
        HostMessage.MembersChanged c = batching.next(HostMessage.MembersChanged.class);
        assertThat(c.left()).containsExactly(new HostMessage.Departure("b", LeaveReason.KICKED));
        assertThat(c.updated()).isEmpty(); // the update before the leave is moot
        assertThat(batching.members()).isEqualTo(s.members());
    }

    @Test
    void batchingNewcomersInsideAWindow_areWelcomedAtItsFlush_withOneSharedListThatHoldsTheWholeWindow() {
        h.join(s, "x1"); // lone: at once, opens a window
        batching.drain();
        h.advanceMillis(1);
        h.join(s, "x2"); // held
        InMemoryGuest late1 = joinBatching("late1");
        InMemoryGuest late2 = joinBatching("late2");
        h.join(s, "x3");
        late1.assertNothingUnread(); // no WELCOME yet: it comes with the window's flush
        late2.assertNothingUnread();
        h.advanceMillis(25);
        for (InMemoryGuest late : java.util.List.of(late1, late2)) {
            late.next(HostMessage.Welcome.class);
            HostMessage.MemberList list = late.next(HostMessage.MemberList.class);
            assertThat(list.members()).extracting(Member::id).contains("x2", "late1", "late2", "x3");
            late.assertNothingUnread(); // the list already holds everything of the window
            assertThat(late.members()).isEqualTo(s.members());
        }
        assertThat(late1.received().get(1)).isSameAs(late2.received().get(1)); // one list for both
        assertThat(batching.next(HostMessage.MembersChanged.class).joined()).extracting(Member::id)
                .containsExactly("x2", "late1", "late2", "x3");
        assertThat(batching.members()).isEqualTo(s.members());
    }

    @Test
    void pastThirtyTwoJoinsInOneWindow_newcomersWithoutTheCapability_areWelcomedAtItsFlush_withOneSharedList() {
        java.util.List<InMemoryGuest> newcomers = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            newcomers.add(h.join(s, "n" + i));
        }
        // n0 comes to a quiet window and flushes at once; n1..n32 are the next window's first 32
        // joins and are welcomed at once too; n33..n39 wait for the flush.
        for (int i = 0; i <= 32; i++) {
            assertThat(newcomers.get(i).received()).as("n%d", i).first().isInstanceOf(HostMessage.Welcome.class);
        }
        for (int i = 33; i < 40; i++) {
            newcomers.get(i).assertNothingUnread();
        }
        assertThat(classic.drain()).hasSize(40).allMatch(m -> m instanceof HostMessage.MemberJoined);

        h.advanceMillis(25);
        for (int i = 33; i < 40; i++) {
            InMemoryGuest late = newcomers.get(i);
            late.next(HostMessage.Welcome.class);
            assertThat(late.next(HostMessage.MemberList.class).members()).hasSize(43);
            late.assertNothingUnread(); // the list holds the window's other newcomers: no MEMBER_JOINED
            assertThat(late.received().get(1)).isSameAs(newcomers.get(33).received().get(1)); // one list
        }
        assertThat(newcomers.get(32).drain()).filteredOn(m -> m instanceof HostMessage.MemberJoined)
                .hasSize(7); // those welcomed at once hear of every later newcomer
        for (InMemoryGuest g : newcomers) {
            assertThat(g.members()).isEqualTo(s.members());
        }
        assertThat(classic.members()).isEqualTo(s.members());
        assertThat(batching.members()).isEqualTo(s.members());
    }

    @Test
    void applicationMessagesForANewcomerAwaitingItsWelcome_followTheWelcome_inOrder() {
        h.join(s, "x1"); // opens a window
        InMemoryGuest late = joinBatching("late");
        s.send("late", "GREETING", java.util.Map.of("n", 1));
        s.broadcast("CHAT", java.util.Map.of("n", 2));
        late.assertNothingUnread();
        h.advanceMillis(25);
        assertThat(late.drain()).extracting(m -> m.getClass().getSimpleName() + (m instanceof
                dev.loudsync.core.protocol.ApplicationMessage a ? " " + a.type() : ""))
                .containsExactly("Welcome", "MemberList", "ApplicationMessage GREETING", "ApplicationMessage CHAT");
    }

    @Test
    void aNewcomerAwaitingItsWelcome_isToldWhenTheSessionCloses() {
        h.join(s, "x1");
        InMemoryGuest late = joinBatching("late");
        s.close();
        assertThat(late.next(HostMessage.SessionClosed.class)).isNotNull();
        assertThat(late.isOpen()).isFalse();
    }

    @Test
    void zeroWindow_sendsEveryChangeAtOnce() {
        Harness h0 = new Harness();
        Session s0 = h0.open(b -> b.batchWindow(Duration.ZERO).maxMembers(10));
        InMemoryGuest g = h0.join(Join.of(s0.id(), "g", "g").withCapabilities(Set.of("membersChanged")));
        g.drain();
        h0.join(s0, "a");
        h0.join(s0, "b");
        assertThat(g.drain()).hasSize(2);
    }

    @Test
    void aJoinStormOf200_convergesForBothKindsOfGuest_withFarFewerFramesForBatchingGuests() {
        for (int i = 0; i < 200; i++) {
            if (i % 10 == 0) {
                h.advanceMillis(1);
            }
            if (i % 2 == 0) {
                joinBatching("b" + i);
            } else {
                h.join(s, "c" + i);
            }
        }
        h.advance(Duration.ofMillis(100));
        assertThat(batching.members()).isEqualTo(s.members());
        assertThat(classic.members()).isEqualTo(s.members());
        assertThat(classic.drain()).hasSize(97); // 97 newcomers fit beside host, batching and classic
        assertThat(batching.drain().size()).isLessThan(5);
    }
}
