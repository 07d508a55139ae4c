package dev.loudsync.examples.jam;

import dev.loudsync.core.Member;
import dev.loudsync.core.RequestRejectedException;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionListener;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jam of one session: its queue, votes and playback, kept in the session's shared state.
 *
 * <p>Requests (see {@link #install}) are answered with {@code ACK} or with {@code ERROR} and a code
 * of their own: {@code TRACK_NOT_FOUND}, {@code ENTRY_NOT_FOUND}, {@code QUEUE_FULL},
 * {@code QUEUE_EMPTY}, {@code NOTHING_PLAYING}, {@code VOTING_DISABLED}, {@code INVALID_MESSAGE}
 * for a bad field and {@code UNAUTHORIZED} for someone else's entry. {@code PLAY_NEXT},
 * {@code PLAYBACK} and {@code SETTINGS} are restricted to the host and cohosts by the session
 * itself.
 *
 * <h2>Threading</h2>
 * Requests run on the session's thread; the end of a track is noticed on the jam's timer thread.
 * Both change this object under its lock and publish each change with {@link Session#patchState}
 * while holding it, so patches reach the session in the order the changes were made (the core
 * accepts {@code patchState} from any thread and applies calls in order). Nothing else writes the
 * state.
 *
 * <h2>Playback</h2>
 * {@code playback.at} is the host's clock ({@link #clock}, the clock of the server's {@code PONG}s)
 * at which the track is at {@code positionMs}. Starting a track, or resuming, sets {@code at} a
 * short {@linkplain JamServer#DEFAULT_START_LEAD lead} ahead, so that every page has fetched and
 * decoded the audio before the first note and they all start it together from its beginning.
 */
final class JamSession implements SessionListener {

    private static final Logger log = LoggerFactory.getLogger(JamSession.class);

    static final int MAX_HISTORY = 20;
    static final int DEFAULT_MAX_QUEUE = 50;
    static final int MAX_QUEUE_LIMIT = 500;

    record QueueAdd(String trackId) {
    }

    record QueueRemove(String entryId) {
    }

    record Vote(String entryId, Integer value) {
    }

    record Playback(String action, Long positionMs) {
    }

    /** {@code SETTINGS}: absent fields stay as they are; a {@code skipThreshold} of 0 turns skipping off. */
    record Settings(Boolean allowVoting, Integer maxQueueSize, Boolean autoPlay, Double skipThreshold) {
    }

    private final Session session;
    private final Catalog catalog;
    private final ScheduledExecutorService timers;
    private final LongSupplier clock;
    private final long startLeadMs;

    // Everything below is guarded by this.
    private final List<Entry> queue = new ArrayList<>();
    private final Deque<Map<String, Object>> history = new ArrayDeque<>();
    private Entry nowPlaying;
    /** {@code nowPlaying} as last published: a merge patch must remove what the new value lacks. */
    private Map<String, Object> publishedNowPlaying;
    private boolean playing;
    private long positionMs;
    private long at;
    private boolean allowVoting = true;
    private int maxQueueSize = DEFAULT_MAX_QUEUE;
    private boolean autoPlay = true;
    private double skipThreshold; // 0: off
    private long entries;
    private ScheduledFuture<?> trackEnd;
    private boolean closed;

    JamSession(Session session, Catalog catalog, ScheduledExecutorService timers, LongSupplier clock,
            Duration startLead) {
        this.session = session;
        this.catalog = catalog;
        this.timers = timers;
        this.clock = clock;
        this.startLeadMs = startLead.toMillis();
    }

    /** Registers the handlers and the listener, and publishes the initial state. */
    void install() {
        synchronized (this) {
            at = clock.getAsLong();
            Map<String, Object> initial = new LinkedHashMap<>();
            initial.put("queue", List.of());
            initial.put("history", List.of());
            initial.put("playback", playbackJson());
            initial.put("settings", settingsJson());
            publish(initial);
        }
        session.respond("QUEUE_ADD", QueueAdd.class, (s, m, p) -> add(m, p));
        session.respond("QUEUE_REMOVE", QueueRemove.class, (s, m, p) -> remove(m, p));
        session.respond("VOTE", Vote.class, (s, m, p) -> vote(m, p));
        session.respond("PLAY_NEXT", (s, m, msg) -> playNext());
        session.respond("PLAYBACK", Playback.class, (s, m, p) -> playback(p));
        session.respond("SETTINGS", Settings.class, (s, m, p) -> settings(p));
        for (String type : List.of("PLAY_NEXT", "PLAYBACK", "SETTINGS")) {
            session.restrict(type, Member.Role.HOST, Member.Role.COHOST);
        }
        session.addListener(this);
    }

    synchronized Map<String, String> add(Member sender, QueueAdd p) {
        Track track = catalog.find(required("trackId", p.trackId()))
                .orElseThrow(() -> reject("TRACK_NOT_FOUND", "No track " + p.trackId() + " in the catalog"));
        if (queue.size() >= maxQueueSize) {
            throw reject("QUEUE_FULL", "The queue is full (" + queue.size() + "/" + maxQueueSize + ")");
        }
        Entry e = new Entry("e-" + (++entries), track, sender.id(), sender.name(), clock.getAsLong(), entries);
        queue.add(e);
        publishQueue();
        return Map.of("entryId", e.entryId);
    }

    synchronized Object remove(Member sender, QueueRemove p) {
        Entry e = queued(required("entryId", p.entryId()));
        if (!e.addedBy.equals(sender.id()) && sender.role() == Member.Role.CLIENT) {
            throw reject("UNAUTHORIZED", "Only the host, a cohost or whoever added it may remove " + e.entryId);
        }
        queue.remove(e);
        publishQueue();
        return null;
    }

    synchronized Object vote(Member sender, Vote p) {
        String id = required("entryId", p.entryId());
        Integer value = p.value();
        if (value == null || value < -1 || value > 1) {
            throw reject("INVALID_MESSAGE", "value: " + value + " (expected: 1, -1 or 0)");
        }
        if (!allowVoting) {
            throw reject("VOTING_DISABLED", "Voting is off in this session");
        }
        boolean current = nowPlaying != null && nowPlaying.entryId.equals(id);
        Entry e = current ? nowPlaying : queued(id);
        if (value == 0) {
            e.votes.remove(sender.id());
        } else {
            e.votes.put(sender.id(), value);
        }
        if (current) {
            if (skipThreshold > 0 && e.downVotes() >= Math.max(1, Math.ceil(skipThreshold * session.members().size()))) {
                log.info("Session {}: {} skipped by votes", session.id(), e.track.title());
                advance();
            } else {
                Map<String, Object> patch = new HashMap<>();
                patch.put("nowPlaying", nowPlayingPatch());
                publish(patch);
            }
        } else {
            publishQueue();
        }
        return null;
    }

    synchronized Object playNext() {
        if (queue.isEmpty()) {
            throw reject("QUEUE_EMPTY", "The queue is empty");
        }
        advance();
        return null;
    }

    synchronized Object playback(Playback p) {
        String action = required("action", p.action());
        if (nowPlaying == null) {
            throw reject("NOTHING_PLAYING", "Nothing is playing: start the next entry with PLAY_NEXT");
        }
        Long pos = p.positionMs();
        if (pos != null && (pos < 0 || pos > nowPlaying.track.durationMs())) {
            throw reject("INVALID_MESSAGE", "positionMs: " + pos + " (expected: 0-" + nowPlaying.track.durationMs() + ")");
        }
        long now = clock.getAsLong();
        switch (action) {
            case "play" -> {
                if (playing && pos == null) {
                    return null; // already playing: a second tap must not make every phone stutter
                }
                positionMs = pos != null ? pos : positionMs;
                playing = true;
                at = now + startLeadMs;
            }
            case "pause" -> {
                positionMs = pos != null ? pos : positionAt(now);
                playing = false;
                at = now;
            }
            case "seek" -> {
                if (pos == null) {
                    throw reject("INVALID_MESSAGE", "positionMs: required for seek");
                }
                positionMs = pos;
                at = playing ? now + startLeadMs : now;
            }
            default -> throw reject("INVALID_MESSAGE", "action: " + action + " (expected: play, pause or seek)");
        }
        scheduleTrackEnd();
        publish(Map.of("playback", playbackJson()));
        return null;
    }

    synchronized Object settings(Settings p) {
        if (p.maxQueueSize() != null && (p.maxQueueSize() < 1 || p.maxQueueSize() > MAX_QUEUE_LIMIT)) {
            throw reject("INVALID_MESSAGE", "maxQueueSize: " + p.maxQueueSize() + " (expected: 1-" + MAX_QUEUE_LIMIT + ")");
        }
        if (p.skipThreshold() != null && !(p.skipThreshold() >= 0 && p.skipThreshold() <= 1)) {
            throw reject("INVALID_MESSAGE", "skipThreshold: " + p.skipThreshold() + " (expected: 0-1, 0 = off)");
        }
        if (p.allowVoting() != null) {
            allowVoting = p.allowVoting();
        }
        if (p.maxQueueSize() != null) {
            maxQueueSize = p.maxQueueSize(); // a smaller limit keeps what is queued; it stops new entries
        }
        if (p.autoPlay() != null) {
            autoPlay = p.autoPlay();
        }
        if (p.skipThreshold() != null) {
            skipThreshold = p.skipThreshold();
        }
        // The settings object is replaced whole: a merge would keep a skipThreshold that is now off.
        publish(Map.of("settings", settingsJsonWithRemovals()));
        return null;
    }

    @Override
    public synchronized void sessionClosed(Session s) {
        closed = true;
        cancelTrackEnd();
    }

    /** Where the playing track is at host time {@code now}. */
    private long positionAt(long now) {
        if (!playing) {
            return positionMs;
        }
        return Math.max(0, Math.min(nowPlaying.track.durationMs(), positionMs + (now - at)));
    }

    /** Starts the top entry, or stops when the queue is empty. */
    private void advance() {
        Map<String, Object> patch = new LinkedHashMap<>();
        long now = clock.getAsLong();
        if (queue.isEmpty()) {
            nowPlaying = null;
            playing = false;
            positionMs = 0;
            at = now;
            patch.put("nowPlaying", nowPlayingPatch());
        } else {
            nowPlaying = queue.remove(0);
            playing = true;
            positionMs = 0;
            at = now + startLeadMs;
            Map<String, Object> played = new LinkedHashMap<>(nowPlaying.toJson());
            played.put("playedAt", at);
            history.addFirst(played);
            while (history.size() > MAX_HISTORY) {
                history.removeLast();
            }
            patch.put("nowPlaying", nowPlayingPatch());
            patch.put("queue", queueJson());
            patch.put("history", List.copyOf(history));
        }
        patch.put("playback", playbackJson());
        scheduleTrackEnd();
        publish(patch);
    }

    private void scheduleTrackEnd() {
        cancelTrackEnd();
        if (closed || nowPlaying == null || !playing) {
            return;
        }
        long endsAt = at + (nowPlaying.track.durationMs() - positionMs);
        Entry playingEntry = nowPlaying;
        trackEnd = timers.schedule(() -> trackEnded(playingEntry), Math.max(0, endsAt - clock.getAsLong()),
                TimeUnit.MILLISECONDS);
    }

    private void cancelTrackEnd() {
        if (trackEnd != null) {
            trackEnd.cancel(false);
            trackEnd = null;
        }
    }

    private synchronized void trackEnded(Entry ended) {
        if (closed || nowPlaying != ended || !playing) {
            return; // paused, skipped or replaced since this was scheduled
        }
        trackEnd = null;
        if (autoPlay && !queue.isEmpty()) {
            advance();
        } else {
            nowPlaying = null;
            playing = false;
            positionMs = 0;
            at = clock.getAsLong();
            Map<String, Object> patch = new HashMap<>();
            patch.put("nowPlaying", nowPlayingPatch());
            patch.put("playback", playbackJson());
            publish(patch);
        }
    }

    private Entry queued(String entryId) {
        for (Entry e : queue) {
            if (e.entryId.equals(entryId)) {
                return e;
            }
        }
        throw reject("ENTRY_NOT_FOUND", "No entry " + entryId + " in the queue");
    }

    /**
     * The patch that turns the published {@code nowPlaying} into the current one: a merge patch
     * merges objects, so a vote taken back, or the votes of the entry played before, must be
     * removed with {@code null}s.
     */
    private Map<String, Object> nowPlayingPatch() {
        Map<String, Object> current = nowPlaying == null ? null : nowPlaying.toJson();
        Map<String, Object> patch = current == null || publishedNowPlaying == null ? current
                : replacing(publishedNowPlaying, current);
        publishedNowPlaying = current;
        return patch;
    }

    /** {@code next} as a merge patch over {@code previous}: keys it lacks become null, nested objects alike. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> replacing(Map<String, Object> previous, Map<String, Object> next) {
        Map<String, Object> patch = new LinkedHashMap<>(next);
        for (Map.Entry<String, Object> e : previous.entrySet()) {
            Object now = next.get(e.getKey());
            if (now == null) {
                patch.put(e.getKey(), null);
            } else if (now instanceof Map<?, ?> n && e.getValue() instanceof Map<?, ?> p) {
                patch.put(e.getKey(), replacing((Map<String, Object>) p, (Map<String, Object>) n));
            }
        }
        return patch;
    }

    private void publishQueue() {
        publish(Map.of("queue", queueJson()));
    }

    private List<Object> queueJson() {
        queue.sort(Comparator.comparingInt(Entry::score).reversed().thenComparingLong(e -> e.addedAt)
                .thenComparingLong(e -> e.seq));
        List<Object> list = new ArrayList<>(queue.size());
        for (Entry e : queue) {
            list.add(e.toJson());
        }
        return list;
    }

    private Map<String, Object> playbackJson() {
        return Map.of("playing", playing, "positionMs", positionMs, "at", at);
    }

    private Map<String, Object> settingsJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("allowVoting", allowVoting);
        m.put("maxQueueSize", maxQueueSize);
        m.put("autoPlay", autoPlay);
        if (skipThreshold > 0) {
            m.put("skipThreshold", skipThreshold);
        }
        return m;
    }

    private Map<String, Object> settingsJsonWithRemovals() {
        Map<String, Object> m = settingsJson();
        m.putIfAbsent("skipThreshold", null);
        return m;
    }

    private void publish(Map<String, ?> patch) {
        session.patchState(patch).whenComplete((v, e) -> {
            if (e != null) {
                log.warn("Session {}: state change refused: {}", session.id(), e.toString());
            }
        });
    }

    private static String required(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw reject("INVALID_MESSAGE", field + ": required");
        }
        return value;
    }

    private static RequestRejectedException reject(String code, String message) {
        return new RequestRejectedException(code, message);
    }

    /** A queued (or playing) entry; changed only under the jam's lock. */
    private static final class Entry {
        final String entryId;
        final Track track;
        final String addedBy;
        final String addedByName;
        final long addedAt;
        final long seq;
        final Map<String, Integer> votes = new LinkedHashMap<>();

        Entry(String entryId, Track track, String addedBy, String addedByName, long addedAt, long seq) {
            this.entryId = entryId;
            this.track = track;
            this.addedBy = addedBy;
            this.addedByName = addedByName;
            this.addedAt = addedAt;
            this.seq = seq;
        }

        int score() {
            int s = 0;
            for (int v : votes.values()) {
                s += v;
            }
            return s;
        }

        long downVotes() {
            return votes.values().stream().filter(v -> v < 0).count();
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("entryId", entryId);
            m.put("trackId", track.trackId());
            m.put("title", track.title());
            m.put("artist", track.artist());
            m.put("durationMs", track.durationMs());
            m.put("addedBy", addedBy);
            m.put("addedByName", addedByName);
            m.put("addedAt", addedAt);
            m.put("score", score());
            m.put("votes", new LinkedHashMap<>(votes));
            return m;
        }
    }
}
