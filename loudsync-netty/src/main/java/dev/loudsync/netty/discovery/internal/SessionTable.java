package dev.loudsync.netty.discovery.internal;

import dev.loudsync.core.TimeSource;
import dev.loudsync.netty.discovery.DiscoveredSession;
import dev.loudsync.netty.discovery.LanDiscovery;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions a guest has heard of: beacons and DNS-SD services merged into one entry per
 * normalized session id, host address and port, each source expiring on its own (a beacon after
 * {@code expireAfter}, a DNS-SD service when JmDNS reports it removed); an entry no source reports
 * is lost. At most {@link LanDiscovery#MAX_SESSIONS} entries; more are ignored until room frees up.
 * The listener is told of every change, unless the discovery is closed.
 *
 * <p>Confined to the discovery thread, but {@link #sessions()}, which any thread may read.
 */
final class SessionTable {

    private static final Logger log = LoggerFactory.getLogger(SessionTable.class);

    private record Key(String sessionId, InetAddress address, int port) {
        static Key of(Beacon b) {
            return new Key(b.normalizedSessionId(), b.hostAddress(), b.port());
        }
    }

    /** One listed session. */
    private static final class Entry {
        DiscoveredSession current;
        boolean beacon;
        long beaconSeenNanos;
        String serviceName;
    }

    private final TimeSource time;
    private final Duration expireAfter;
    private final LanDiscovery.Listener listener;
    private final BooleanSupplier closed;
    private final Map<Key, Entry> entries = new LinkedHashMap<>();
    private final Map<String, Key> byService = new HashMap<>();
    private boolean capWarned;
    private volatile List<DiscoveredSession> snapshot = List.of();

    /** @param closed whether the discovery is closed: then the listener is told nothing more */
    SessionTable(TimeSource time, Duration expireAfter, LanDiscovery.Listener listener, BooleanSupplier closed) {
        this.time = time;
        this.expireAfter = expireAfter;
        this.listener = listener;
        this.closed = closed;
    }

    /** The sessions heard of and not lost, in the order they were found; an immutable snapshot. */
    List<DiscoveredSession> sessions() {
        return snapshot;
    }

    /** A beacon arrived. */
    void beacon(Beacon b) {
        Key key = Key.of(b);
        Entry e = entryFor(key);
        if (e == null) {
            return;
        }
        e.beacon = true;
        e.beaconSeenNanos = time.nanoTime();
        refresh(key, e, b);
    }

    /** A DNS-SD service (by lower-case name) announces {@code b}. */
    void serviceResolved(String serviceName, Beacon b) {
        Key key = Key.of(b);
        Key before = byService.get(serviceName);
        if (before != null && !before.equals(key)) {
            serviceRemoved(serviceName); // the service now announces another session
        }
        Entry e = entryFor(key);
        if (e == null) {
            return;
        }
        e.serviceName = serviceName;
        byService.put(serviceName, key);
        refresh(key, e, b);
    }

    /** A DNS-SD service is gone, or no longer announces anything valid. */
    void serviceRemoved(String serviceName) {
        Key key = byService.remove(serviceName);
        Entry e = key != null ? entries.get(key) : null;
        if (e != null && serviceName.equals(e.serviceName)) {
            e.serviceName = null;
            sourcesChanged(key, e);
        }
    }

    /** Ends the beacon sightings older than {@code expireAfter}. */
    void expire() {
        long now = time.nanoTime();
        long ttl = expireAfter.toNanos();
        for (Map.Entry<Key, Entry> me : new ArrayList<>(entries.entrySet())) {
            Entry e = me.getValue();
            if (e.beacon && now - e.beaconSeenNanos > ttl) {
                e.beacon = false;
                sourcesChanged(me.getKey(), e);
            }
        }
    }

    private Entry entryFor(Key key) {
        Entry e = entries.get(key);
        if (e == null) {
            if (entries.size() >= LanDiscovery.MAX_SESSIONS) {
                if (!capWarned) {
                    capWarned = true;
                    log.warn("LAN discovery: {} sessions listed already; ignoring more", LanDiscovery.MAX_SESSIONS);
                }
                return null;
            }
            e = new Entry();
            entries.put(key, e);
        }
        return e;
    }

    private void refresh(Key key, Entry e, Beacon b) {
        DiscoveredSession before = e.current;
        DiscoveredSession now = new DiscoveredSession(b.sessionId(), b.sessionName(), b.hostId(), b.hostName(),
                new InetSocketAddress(key.address(), key.port()), b.memberCount(), b.maxMembers(), b.pinRequired(),
                b.loudSyncNative(), sources(e), Instant.ofEpochMilli(time.currentTimeMillis()));
        e.current = now;
        publish();
        if (before == null) {
            notify("sessionFound", () -> listener.sessionFound(now));
        } else if (!now.equals(withLastSeen(before, now.lastSeen()))) {
            notify("sessionUpdated", () -> listener.sessionUpdated(now));
        }
    }

    private void sourcesChanged(Key key, Entry e) {
        DiscoveredSession before = e.current;
        Set<DiscoveredSession.Source> sources = sources(e);
        if (sources.isEmpty()) {
            entries.remove(key);
            if (e.serviceName != null) {
                byService.remove(e.serviceName);
            }
            publish();
            notify("sessionLost", () -> listener.sessionLost(before));
            return;
        }
        DiscoveredSession now = new DiscoveredSession(before.sessionId(), before.sessionName(), before.hostId(),
                before.hostName(), before.address(), before.memberCount(), before.maxMembers(), before.pinRequired(),
                before.loudSyncNative(), sources, before.lastSeen());
        e.current = now;
        publish();
        notify("sessionUpdated", () -> listener.sessionUpdated(now));
    }

    /** {@code s} as if last seen at {@code lastSeen}: compared with the new state, only what a listener cares about differs. */
    private static DiscoveredSession withLastSeen(DiscoveredSession s, Instant lastSeen) {
        return new DiscoveredSession(s.sessionId(), s.sessionName(), s.hostId(), s.hostName(), s.address(),
                s.memberCount(), s.maxMembers(), s.pinRequired(), s.loudSyncNative(), s.seenBy(), lastSeen);
    }

    private static Set<DiscoveredSession.Source> sources(Entry e) {
        EnumSet<DiscoveredSession.Source> s = EnumSet.noneOf(DiscoveredSession.Source.class);
        if (e.beacon) {
            s.add(DiscoveredSession.Source.BEACON);
        }
        if (e.serviceName != null) {
            s.add(DiscoveredSession.Source.DNS_SD);
        }
        return s;
    }

    private void publish() {
        List<DiscoveredSession> list = new ArrayList<>(entries.size());
        for (Entry e : entries.values()) {
            list.add(e.current);
        }
        snapshot = Collections.unmodifiableList(list);
    }

    private void notify(String event, Runnable call) {
        if (closed.getAsBoolean()) {
            return;
        }
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("LAN discovery: listener {} failed on {}", listener, event, e);
        }
    }
}
