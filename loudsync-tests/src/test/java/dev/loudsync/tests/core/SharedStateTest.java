package dev.loudsync.tests.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.core.protocol.Capability;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.testing.InMemoryGuest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md, "Version 1.1 extensions", "Shared state". */
class SharedStateTest {

    private final Harness h = new Harness();
    private Session s;

    @BeforeEach
    void session() {
        s = h.open(b -> b.latencyProbes(false).maxMembers(20));
    }

    private InMemoryGuest keeper(String id) {
        return h.join(s, id, Capability.STATE);
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    @Test
    void aStateGuest_getsStateRightAfterItsMemberList_startingEmptyAtVersion0() {
        InMemoryGuest a = keeper("a");
        a.next(HostMessage.Welcome.class);
        a.next(HostMessage.MemberList.class);
        HostMessage.State state = a.next(HostMessage.State.class);
        assertThat(state.version()).isZero();
        assertThat(state.state()).isEmpty();
        a.assertNothingUnread();
    }

    @Test
    void aPatch_goesToStateGuestsOnly_versionPlusOne_andTheirCopiesEqualTheSessions() {
        InMemoryGuest a = keeper("a");
        InMemoryGuest plain = h.join(s, "plain");
        a.drain();
        plain.drain();
        assertThat(s.patchState(map("queue", List.of("t1"), "settings", map("maxQueueSize", 50))).join()).isEqualTo(1);
        HostMessage.StatePatch p = a.next(HostMessage.StatePatch.class);
        assertThat(p.version()).isEqualTo(1);
        assertThat(p.patch()).containsEntry("queue", List.of("t1"));
        plain.assertNothingUnread();
        assertThat(a.state()).isEqualTo(s.state());
        assertThat(s.stateVersion()).isEqualTo(1);
    }

    @Test
    void mergePatch_mergesObjectsKeyByKey_nullRemoves_arraysReplace() {
        InMemoryGuest a = keeper("a");
        s.patchState(map("settings", map("allowVoting", true, "maxQueueSize", 50), "queue", List.of(1, 2))).join();
        s.patchState(map("settings", map("maxQueueSize", 10, "allowVoting", null), "queue", List.of(3))).join();
        assertThat(s.state()).isEqualTo(Map.of("settings", Map.of("maxQueueSize", 10), "queue", List.of(3)));
        s.patchState(map("settings", null)).join();
        assertThat(s.state()).isEqualTo(Map.of("queue", List.of(3)));
        assertThat(a.state()).isEqualTo(s.state());
        assertThat(a.stateVersion()).isEqualTo(3);
    }

    @Test
    void aNewcomer_getsTheCurrentStateAndVersion_thenFollowsThePatches() {
        s.patchState(map("nowPlaying", map("entryId", "e1"))).join();
        s.patchState(map("history", List.of("e0"))).join();
        InMemoryGuest late = keeper("late");
        late.next(HostMessage.Welcome.class);
        late.next(HostMessage.MemberList.class);
        HostMessage.State st = late.next(HostMessage.State.class);
        assertThat(st.version()).isEqualTo(2);
        assertThat(st.state()).isEqualTo(s.state());
        s.patchState(map("nowPlaying", null)).join();
        assertThat(late.next(HostMessage.StatePatch.class).version()).isEqualTo(3);
        assertThat(late.state()).isEqualTo(Map.of("history", List.of("e0")));
    }

    @Test
    void aPatchThatChangesNothing_sendsNothing_andKeepsTheVersion() {
        InMemoryGuest a = keeper("a");
        s.patchState(map("k", 1)).join();
        a.drain();
        assertThat(s.patchState(map("k", 1, "absent", null)).join()).isEqualTo(1);
        a.assertNothingUnread();
    }

    @Test
    void aChangePastTheSizeLimit_isRefusedToTheApp_andSendsNothing() {
        Session small = h.registry.open(SessionConfig.builder().sessionId("SMALL").host("h", "H")
                .maxStateBytes(100).build());
        InMemoryGuest a = h.join(small, "a", Capability.STATE);
        a.drain();
        small.patchState(map("text", "x".repeat(50))).join();
        a.drain();
        assertThat(small.patchState(map("more", "y".repeat(60)))).failsWithin(Duration.ZERO)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(IllegalArgumentException.class);
        assertThat(small.stateVersion()).isEqualTo(1);
        assertThat(small.state()).containsOnlyKeys("text");
        a.assertNothingUnread();
    }

    @Test
    void valuesThatAreNotPlainJson_orNullsInArrays_areRefused() {
        assertThat(s.patchState(map("when", new Object()))).isCompletedExceptionally();
        assertThat(s.patchState(map("list", Arrays.asList(1, null)))).isCompletedExceptionally();
        assertThat(s.patchState(map("nan", Double.NaN))).isCompletedExceptionally();
        assertThat(s.stateVersion()).isZero();
    }

    @Test
    void theStateIsUnmodifiable_soNoCallerCanChangeItBehindThePatches() {
        Map<String, Object> given = map("list", new java.util.ArrayList<>(List.of(1)));
        s.patchState(given).join();
        ((List<Object>) given.get("list")).add(2);
        assertThat(s.state()).isEqualTo(Map.of("list", List.of(1)));
        try {
            s.state().put("x", 1);
        } catch (UnsupportedOperationException expected) {
            return;
        }
        throw new AssertionError("state() was modifiable");
    }

    @Test
    void batchingGuests_getMembershipChangesAndPatchesInTheOrderTheyHappened() {
        InMemoryGuest b = h.join(GuestMessage.Join.of(s.id(), "b", "B")
                .withCapabilities(java.util.Set.of(Capability.STATE, Capability.MEMBERS_CHANGED)));
        h.advance(Duration.ofSeconds(1));
        b.drain();
        h.join(s, "x1"); // a lone change: at once
        h.join(s, "x2"); // held for the window
        s.patchState(map("who", List.of("x1", "x2"))).join();
        List<HostMessage> got = b.drain();
        assertThat(got).extracting(HostMessage::type)
                .containsExactly("MEMBERS_CHANGED", "MEMBERS_CHANGED", "STATE_PATCH");
        h.advance(Duration.ofMillis(50));
        assertThat(b.members()).isEqualTo(s.members());
        assertThat(b.state()).isEqualTo(s.state());
    }

    @Test
    void aResumedGuest_getsTheWholeStateAgain() {
        Session r = h.registry.open(SessionConfig.builder().sessionId("RES1").host("h", "H")
                .reconnectGrace(Duration.ofSeconds(30)).build());
        InMemoryGuest a = h.join(r, "a", Capability.STATE);
        String token = a.next(HostMessage.Welcome.class).resumeToken();
        a.drop();
        r.patchState(map("k", "v")).join();
        InMemoryGuest back = h.join(GuestMessage.Join.of(r.id(), "a", "A").withResumeToken(token)
                .withCapabilities(java.util.Set.of(Capability.STATE)));
        assertThat(back.drain()).filteredOn(m -> m instanceof HostMessage.State)
                .extracting(m -> ((HostMessage.State) m).version()).containsExactly(1L);
        assertThat(back.state()).isEqualTo(Map.of("k", "v"));
    }
}
