package dev.loudsync.examples.jam;

import static dev.loudsync.examples.jam.JamFixture.assertRefused;
import static dev.loudsync.examples.jam.JamFixture.await;
import static dev.loudsync.examples.jam.JamFixture.map;
import static dev.loudsync.examples.jam.JamFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.Member;
import dev.loudsync.core.Session;
import dev.loudsync.netty.client.LoudSyncClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every jam message and rule, with Java clients over real sockets. */
class JamProtocolTest {

    private static final long SHORT_MS = 400;
    private static final long LEAD_MS = 50;

    private final JamFixture jam = new JamFixture(JamFixture.catalog(SHORT_MS), Duration.ofMillis(LEAD_MS));
    private String code;
    private Session session;
    private LoudSyncClient host;
    private LoudSyncClient ben;
    private LoudSyncClient cat;

    private void threeMembers() throws Exception {
        code = jam.createSession("Test jam");
        session = jam.jam.server().session(code).orElseThrow();
        host = jam.join(code, "d-ann", "Ann");
        ben = jam.join(code, "d-ben", "Ben");
        cat = jam.join(code, "d-cat", "Cat");
    }

    @AfterEach
    void stop() {
        jam.close();
    }

    private static List<Map<String, Object>> queue(LoudSyncClient c) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> q = (List<Map<String, Object>>) c.state().get("queue");
        return q;
    }

    private static List<Object> queueIds(LoudSyncClient c) {
        return queue(c).stream().map(e -> e.get("entryId")).toList();
    }

    private static Map<String, Object> playback(LoudSyncClient c) {
        return map(c.state().get("playback"));
    }

    private static String add(LoudSyncClient c, String trackId) throws Exception {
        return (String) map(ok(c.request("QUEUE_ADD", Map.of("trackId", trackId)))).get("entryId");
    }

    /** Every client's state equals the session's: what guests see is what the jam holds. */
    private void awaitConverged() throws InterruptedException {
        await(() -> same(host.state(), session.state()) && same(ben.state(), session.state())
                && same(cat.state(), session.state()), "every client has the session's state");
    }

    /** Equal as JSON (the client reads small numbers as Integer, the session may hold Long). */
    private static boolean same(Map<String, Object> a, Map<String, Object> b) {
        try {
            return JamFixture.JSON.readTree(JamFixture.JSON.writeValueAsString(a))
                    .equals(JamFixture.JSON.readTree(JamFixture.JSON.writeValueAsString(b)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theFirstMemberIsTheHost_andTheStateStartsEmptyWithDefaultSettings() throws Exception {
        threeMembers();
        await(() -> host.members().size() == 3 && ben.members().size() == 3, "the member lists arrived");
        assertThat(host.members().get(0).role()).isEqualTo(Member.Role.HOST);
        assertThat(ben.members().get(0).id()).isEqualTo("d-ann");
        awaitConverged();
        Map<String, Object> s = ben.state();
        assertThat(s.get("queue")).isEqualTo(List.of());
        assertThat(s.get("history")).isEqualTo(List.of());
        assertThat(s).doesNotContainKey("nowPlaying");
        assertThat(playback(ben)).containsEntry("playing", false).containsEntry("positionMs", 0);
        assertThat(map(s.get("settings"))).containsOnlyKeys("allowVoting", "maxQueueSize", "autoPlay")
                .containsEntry("allowVoting", true).containsEntry("maxQueueSize", 50).containsEntry("autoPlay", true);
    }

    @Test
    void queueAdd_answersTheEntryIdAndNeverStartsPlayback() throws Exception {
        threeMembers();
        long before = System.currentTimeMillis();
        String id = add(ben, "t-long");
        awaitConverged();
        Map<String, Object> e = queue(cat).get(0);
        assertThat(e).containsEntry("entryId", id).containsEntry("trackId", "t-long").containsEntry("title", "Long One")
                .containsEntry("artist", "Band A").containsEntry("durationMs", 60_000).containsEntry("addedBy", "d-ben")
                .containsEntry("addedByName", "Ben").containsEntry("score", 0).containsEntry("votes", Map.of());
        assertThat(((Number) e.get("addedAt")).longValue()).isBetween(before, System.currentTimeMillis());
        assertThat(cat.state()).doesNotContainKey("nowPlaying");
        assertThat(playback(cat)).containsEntry("playing", false);

        assertRefused(ben.request("QUEUE_ADD", Map.of("trackId", "nope")), "TRACK_NOT_FOUND", "No track nope in the catalog");
        assertRefused(ben.request("QUEUE_ADD", Map.of()), "INVALID_MESSAGE", "trackId: required");
    }

    @Test
    void theQueueHoldsAtMostMaxQueueSize() throws Exception {
        threeMembers();
        ok(host.request("SETTINGS", Map.of("maxQueueSize", 2)));
        add(ben, "t-long");
        add(cat, "t-long");
        assertRefused(ben.request("QUEUE_ADD", Map.of("trackId", "t-short")), "QUEUE_FULL", "The queue is full (2/2)");
        assertRefused(host.request("SETTINGS", Map.of("maxQueueSize", 0)), "INVALID_MESSAGE",
                "maxQueueSize: 0 (expected: 1-500)");
        awaitConverged();
        assertThat(queue(host)).hasSize(2);
    }

    @Test
    void votes_reorderTheQueueForEveryone_onePerMember() throws Exception {
        threeMembers();
        String first = add(host, "t-long");
        String second = add(ben, "t-short");
        String third = add(cat, "t-long");
        awaitConverged();
        assertThat(queueIds(ben)).containsExactly(first, second, third);

        ok(ben.request("VOTE", Map.of("entryId", third, "value", 1)));
        ok(ben.request("VOTE", Map.of("entryId", third, "value", 1))); // again: still one vote
        ok(cat.request("VOTE", Map.of("entryId", first, "value", -1)));
        awaitConverged();
        assertThat(queueIds(host)).containsExactly(third, second, first);
        assertThat(queue(host).get(0)).containsEntry("score", 1).containsEntry("votes", Map.of("d-ben", 1));
        assertThat(queue(host).get(2)).containsEntry("score", -1).containsEntry("votes", Map.of("d-cat", -1));

        ok(cat.request("VOTE", Map.of("entryId", first, "value", 0))); // cleared
        ok(host.request("VOTE", Map.of("entryId", second, "value", 1)));
        ok(cat.request("VOTE", Map.of("entryId", second, "value", 1)));
        awaitConverged();
        // Scores 2, 1, 0; equal scores would keep the earliest added first.
        assertThat(queueIds(cat)).containsExactly(second, third, first);
        assertThat(queue(cat).get(2)).containsEntry("votes", Map.of()).containsEntry("score", 0);

        assertRefused(ben.request("VOTE", Map.of("entryId", first, "value", 2)), "INVALID_MESSAGE",
                "value: 2 (expected: 1, -1 or 0)");
        assertRefused(ben.request("VOTE", Map.of("entryId", "e-99", "value", 1)), "ENTRY_NOT_FOUND",
                "No entry e-99 in the queue");
        ok(host.request("SETTINGS", Map.of("allowVoting", false)));
        assertRefused(ben.request("VOTE", Map.of("entryId", first, "value", 1)), "VOTING_DISABLED",
                "Voting is off in this session");
    }

    @Test
    void queueRemove_ownEntries_andAnyForTheHostAndCohosts() throws Exception {
        threeMembers();
        String bens = add(ben, "t-long");
        String cats = add(cat, "t-long");
        String cats2 = add(cat, "t-short");
        assertRefused(ben.request("QUEUE_REMOVE", Map.of("entryId", cats)), "UNAUTHORIZED",
                "Only the host, a cohost or whoever added it may remove " + cats);
        ok(ben.request("QUEUE_REMOVE", Map.of("entryId", bens)));
        ok(host.request("QUEUE_REMOVE", Map.of("entryId", cats)));
        host.setRole("d-ben", Member.Role.COHOST).get(10, TimeUnit.SECONDS);
        await(() -> session.members().stream().anyMatch(m -> m.id().equals("d-ben") && m.role() == Member.Role.COHOST),
                "Ben is a cohost");
        ok(ben.request("QUEUE_REMOVE", Map.of("entryId", cats2)));
        assertRefused(ben.request("QUEUE_REMOVE", Map.of("entryId", cats2)), "ENTRY_NOT_FOUND",
                "No entry " + cats2 + " in the queue");
        awaitConverged();
        assertThat(queue(cat)).isEmpty();
    }

    @Test
    void playNext_isForTheHostAndCohosts_andStartsTheTopEntry() throws Exception {
        threeMembers();
        assertRefused(host.request("PLAY_NEXT", Map.of()), "QUEUE_EMPTY", "The queue is empty");
        String low = add(ben, "t-long");
        String top = add(cat, "t-long");
        ok(ben.request("VOTE", Map.of("entryId", top, "value", 1)));
        assertRefused(ben.request("PLAY_NEXT", Map.of()), "UNAUTHORIZED", null);

        long before = System.currentTimeMillis();
        ok(host.request("PLAY_NEXT", Map.of()));
        awaitConverged();
        Map<String, Object> now = map(ben.state().get("nowPlaying"));
        assertThat(now).containsEntry("entryId", top).containsEntry("score", 1);
        assertThat(queueIds(ben)).containsExactly(low);
        Map<String, Object> p = playback(ben);
        assertThat(p).containsEntry("playing", true).containsEntry("positionMs", 0);
        // The start is a short lead ahead of the host's clock, for every page to be ready.
        assertThat(((Number) p.get("at")).longValue()).isBetween(before + LEAD_MS, System.currentTimeMillis() + LEAD_MS);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> history = (List<Map<String, Object>>) ben.state().get("history");
        assertThat(history).singleElement().satisfies(h -> assertThat(h).containsEntry("entryId", top));

        host.setRole("d-cat", Member.Role.COHOST).get(10, TimeUnit.SECONDS);
        await(() -> session.members().stream().anyMatch(m -> m.id().equals("d-cat") && m.role() == Member.Role.COHOST),
                "Cat is a cohost");
        ok(cat.request("PLAY_NEXT", Map.of()));
        awaitConverged();
        assertThat(map(host.state().get("nowPlaying"))).containsEntry("entryId", low)
                .as("the votes of the entry played before are gone").containsEntry("votes", Map.of());
    }

    @Test
    void playback_pausesSeeksAndResumes_forTheHostAndCohostsOnly() throws Exception {
        threeMembers();
        assertRefused(host.request("PLAYBACK", Map.of("action", "play")), "NOTHING_PLAYING",
                "Nothing is playing: start the next entry with PLAY_NEXT");
        add(ben, "t-long");
        ok(host.request("PLAY_NEXT", Map.of()));
        assertRefused(ben.request("PLAYBACK", Map.of("action", "pause")), "UNAUTHORIZED", null);

        ok(host.request("PLAYBACK", Map.of("action", "pause")));
        awaitConverged();
        Map<String, Object> paused = playback(cat);
        assertThat(paused).containsEntry("playing", false);
        long pausedAt = ((Number) paused.get("positionMs")).longValue();
        assertThat(pausedAt).isBetween(0L, 60_000L);

        ok(host.request("PLAYBACK", Map.of("action", "seek", "positionMs", 30_000)));
        awaitConverged();
        assertThat(playback(cat)).containsEntry("playing", false).containsEntry("positionMs", 30_000);

        long before = System.currentTimeMillis();
        ok(host.request("PLAYBACK", Map.of("action", "play")));
        awaitConverged();
        assertThat(playback(cat)).containsEntry("playing", true).containsEntry("positionMs", 30_000);
        assertThat(((Number) playback(cat).get("at")).longValue()).isGreaterThanOrEqualTo(before + LEAD_MS);
        long version = session.stateVersion();
        ok(host.request("PLAYBACK", Map.of("action", "play"))); // already playing: nothing changes
        assertThat(session.stateVersion()).isEqualTo(version);

        assertRefused(host.request("PLAYBACK", Map.of("action", "seek")), "INVALID_MESSAGE",
                "positionMs: required for seek");
        assertRefused(host.request("PLAYBACK", Map.of("action", "seek", "positionMs", 60_001)), "INVALID_MESSAGE",
                "positionMs: 60001 (expected: 0-60000)");
        assertRefused(host.request("PLAYBACK", Map.of("action", "rewind")), "INVALID_MESSAGE",
                "action: rewind (expected: play, pause or seek)");
    }

    @Test
    void autoPlay_movesToTheNextEntryWhenATrackEnds_andStopsAtTheEnd() throws Exception {
        threeMembers();
        String one = add(ben, "t-short");
        String two = add(cat, "t-short");
        ok(host.request("PLAY_NEXT", Map.of()));
        await(() -> host.state().get("nowPlaying") instanceof Map<?, ?> m && two.equals(m.get("entryId")),
                "the second entry plays after the first");
        await(() -> !host.state().containsKey("nowPlaying"), "nothing plays after the last entry");
        awaitConverged();
        assertThat(playback(ben)).containsEntry("playing", false);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> history = (List<Map<String, Object>>) ben.state().get("history");
        assertThat(history).extracting(h -> h.get("entryId")).containsExactly(two, one);
    }

    @Test
    void withoutAutoPlay_theEndOfATrackStopsPlayback() throws Exception {
        threeMembers();
        ok(host.request("SETTINGS", Map.of("autoPlay", false)));
        add(ben, "t-short");
        String waiting = add(cat, "t-long");
        ok(host.request("PLAY_NEXT", Map.of()));
        await(() -> host.state().containsKey("nowPlaying"), "a track plays");
        await(() -> !host.state().containsKey("nowPlaying"), "it ends, and nothing follows");
        awaitConverged();
        assertThat(queueIds(cat)).containsExactly(waiting);
    }

    @Test
    void enoughDownVotesOnThePlayingEntry_skipIt() throws Exception {
        threeMembers();
        ok(host.request("SETTINGS", Map.of("skipThreshold", 0.5)));
        awaitConverged();
        assertThat(map(ben.state().get("settings"))).containsEntry("skipThreshold", 0.5);
        String playing = add(ben, "t-long");
        String next = add(cat, "t-long");
        ok(host.request("PLAY_NEXT", Map.of()));
        ok(ben.request("VOTE", Map.of("entryId", playing, "value", -1))); // 1 of 3: not yet half
        awaitConverged();
        assertThat(map(cat.state().get("nowPlaying"))).containsEntry("entryId", playing).containsEntry("score", -1);
        ok(ben.request("VOTE", Map.of("entryId", playing, "value", 0))); // taken back
        awaitConverged();
        assertThat(map(cat.state().get("nowPlaying"))).containsEntry("votes", Map.of());
        ok(ben.request("VOTE", Map.of("entryId", playing, "value", -1)));
        ok(cat.request("VOTE", Map.of("entryId", playing, "value", -1))); // 2 of 3
        awaitConverged();
        assertThat(map(host.state().get("nowPlaying"))).containsEntry("entryId", next);

        ok(host.request("SETTINGS", Map.of("skipThreshold", 0)));
        awaitConverged();
        assertThat(map(ben.state().get("settings"))).doesNotContainKey("skipThreshold");
        assertRefused(host.request("SETTINGS", Map.of("skipThreshold", 1.5)), "INVALID_MESSAGE",
                "skipThreshold: 1.5 (expected: 0-1, 0 = off)");
        assertRefused(ben.request("SETTINGS", Map.of("autoPlay", false)), "UNAUTHORIZED", null);
    }

    @Test
    void historyKeepsTheLastTwentyPlayed_newestFirst() throws Exception {
        threeMembers();
        String last = null;
        for (int i = 0; i < 21; i++) {
            last = add(ben, "t-long");
            ok(host.request("PLAY_NEXT", Map.of()));
        }
        awaitConverged();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> history = (List<Map<String, Object>>) cat.state().get("history");
        assertThat(history).hasSize(20);
        assertThat(history.get(0)).containsEntry("entryId", last).containsKey("playedAt");
        assertThat(history.get(19)).containsEntry("entryId", "e-2");
    }

    @Test
    void whenTheHostLeaves_theNextMemberHostsAndControlsPlayback() throws Exception {
        threeMembers();
        add(ben, "t-long");
        add(cat, "t-long");
        ok(host.request("PLAY_NEXT", Map.of()));
        host.leave().get(10, TimeUnit.SECONDS);
        await(() -> ben.members().size() == 2 && ben.members().get(0).id().equals("d-ben")
                && ben.members().get(0).role() == Member.Role.HOST, "Ben hosts");
        ok(ben.request("PLAY_NEXT", Map.of()));
        ok(ben.request("PLAYBACK", Map.of("action", "pause")));
        assertRefused(cat.request("PLAY_NEXT", Map.of()), "UNAUTHORIZED", null);
        await(() -> same(cat.state(), session.state()), "Cat has the session's state");
        assertThat(playback(cat)).containsEntry("playing", false);
    }
}
