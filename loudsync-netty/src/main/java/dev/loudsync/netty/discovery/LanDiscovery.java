package dev.loudsync.netty.discovery;

import dev.loudsync.core.internal.Checks;
import dev.loudsync.core.TimeSource;
import dev.loudsync.netty.discovery.internal.Beacon;
import dev.loudsync.netty.discovery.internal.Interfaces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guest side of LAN discovery: lists the sessions hosts advertise nearby (see
 * {@link LanAdvertising} for the host side).
 *
 * <pre>{@code
 * try (LanDiscovery discovery = LanDiscovery.builder().listener(myListener).build()) {
 *     discovery.start();
 *     ...
 *     discovery.sessions(); // what is around now
 * }
 * // or, for a command line tool:
 * List<DiscoveredSession> nearby = LanDiscovery.scan(Duration.ofSeconds(3));
 * }</pre>
 *
 * <h2>Sources</h2>
 * It listens for UDP beacons on a port (default {@value #DEFAULT_BEACON_PORT}, all local
 * addresses) and browses DNS-SD services of type {@value #SERVICE_TYPE} with JmDNS on one
 * interface (default: the first one that is up, not loopback and multicast-capable, with an IPv4
 * address; if there is none, DNS-SD is skipped and that is logged at INFO). Both feed one list,
 * keyed by normalized session id, host address and port. Incoming data is checked strictly: a
 * datagram over 2 KiB, malformed JSON, a duplicate or missing field, a wrong type, an
 * out-of-range value or a host address that is not an IP literal is ignored, and so is a
 * protocol version other than 1. The list holds at most {@value #MAX_SESSIONS} sessions; more are
 * ignored until room frees up.
 *
 * <h2>Expiry</h2>
 * A beacon sighting lasts {@link Builder#expireAfter expireAfter} (default 6 s, three beacon
 * intervals). A DNS-SD sighting lasts until the host withdraws the service or its records expire
 * in the mDNS cache, as JmDNS reports. A session is lost when neither source reports it.
 *
 * <h2>Threads</h2>
 * {@link #start()} starts two daemon threads: {@code loudsync-discovery-beacon}, which blocks
 * receiving datagrams (only when beacons are on), and {@code loudsync-discovery}, which owns the
 * list, expires entries and calls the {@link Listener} (one call at a time, in order). With DNS-SD
 * on, JmDNS runs threads of its own. {@link #close()} stops them all and waits (bounded) for them.
 *
 * <p>Thread-safe.
 */
public final class LanDiscovery implements AutoCloseable {

    /** The DNS-SD service type of LoudSync sessions. */
    public static final String SERVICE_TYPE = "_loudsync._tcp.local.";
    /** Default UDP port of beacons. */
    public static final int DEFAULT_BEACON_PORT = 8081;
    /** Default {@link Builder#expireAfter}. */
    public static final Duration DEFAULT_EXPIRE_AFTER = Duration.ofSeconds(6);
    /** The most sessions listed at once. */
    public static final int MAX_SESSIONS = 256;

    private static final Logger log = LoggerFactory.getLogger(LanDiscovery.class);
    /** Beacons and DNS-SD events waiting for the discovery thread; more are dropped (a flood). */
    private static final int MAX_QUEUED = 1024;
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    /**
     * Told when the list changes. Every method has an empty default, so new events never break an
     * implementation. Calls come from the discovery thread, one at a time, in order; they must not
     * block. An exception thrown here is logged and otherwise ignored.
     */
    public interface Listener {
        /** A session was heard of for the first time (or again, after it was lost). */
        default void sessionFound(DiscoveredSession session) {
        }

        /** Something other than {@code lastSeen} changed, for example the member count or a source. */
        default void sessionUpdated(DiscoveredSession session) {
        }

        /** No source reports the session any more; {@code session} is its last state. */
        default void sessionLost(DiscoveredSession session) {
        }
    }

    private enum State { NEW, STARTED, CLOSED }

    private record Key(String sessionId, InetAddress address, int port) {
    }

    /** One listed session; confined to the discovery thread. */
    private static final class Entry {
        DiscoveredSession current;
        boolean beacon;
        long beaconSeenNanos;
        String serviceName;
    }

    private final int beaconPort;
    private final InetAddress beaconBindAddress;
    private final boolean dnsSdOn;
    private final boolean beaconOn;
    private final InetAddress interfaceAddress;
    private final Duration expireAfter;
    private final TimeSource time;
    private final Listener listener;

    private final Object lock = new Object();
    private State state = State.NEW;
    private ScheduledThreadPoolExecutor worker;
    private volatile Thread workerThread;
    private DatagramSocket socket;
    private Thread receiver;
    private volatile boolean closed;
    private final AtomicInteger queued = new AtomicInteger();
    private volatile List<DiscoveredSession> snapshot = List.of();

    // Confined to the discovery thread:
    private final Map<Key, Entry> entries = new LinkedHashMap<>();
    private final Map<String, Key> byService = new HashMap<>();
    private JmDNS jmdns;
    private boolean capWarned;

    private LanDiscovery(Builder b) {
        this.beaconPort = b.beaconPort != null ? b.beaconPort : DEFAULT_BEACON_PORT;
        this.beaconBindAddress = b.beaconBindAddress;
        this.dnsSdOn = b.dnsSd == null || b.dnsSd;
        this.beaconOn = b.beacon == null || b.beacon;
        this.interfaceAddress = b.interfaceAddress;
        this.expireAfter = b.expireAfter != null ? b.expireAfter : DEFAULT_EXPIRE_AFTER;
        this.time = b.timeSource != null ? b.timeSource : TimeSource.system();
        this.listener = b.listener != null ? b.listener : new Listener() { };
    }

    /** A new builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Listens for {@code duration} with the default settings and returns what was heard: for a
     * command line tool. Blocks the calling thread.
     *
     * @throws UncheckedIOException if the beacon port cannot be bound
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    public static List<DiscoveredSession> scan(Duration duration) throws InterruptedException {
        return scan(duration, builder());
    }

    /**
     * Listens for {@code duration} with the settings of {@code settings} (built once, started,
     * closed before returning) and returns what was heard. Blocks the calling thread.
     *
     * @throws UncheckedIOException if the beacon port cannot be bound
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    public static List<DiscoveredSession> scan(Duration duration, Builder settings) throws InterruptedException {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration: " + duration + " (expected: >= 0)");
        }
        try (LanDiscovery discovery = settings.build()) {
            discovery.start();
            TimeUnit.NANOSECONDS.sleep(duration.toNanos());
            return discovery.sessions();
        }
    }

    /**
     * Starts listening: binds the beacon port (if beacons are on) and starts browsing DNS-SD (if on;
     * in the background, a failure is logged at WARN).
     *
     * @throws UncheckedIOException  if the beacon port cannot be bound (nothing is left running)
     * @throws IllegalStateException if started before or closed
     */
    public void start() {
        synchronized (lock) {
            if (state != State.NEW) {
                throw new IllegalStateException("discovery is " + state.name().toLowerCase(Locale.ROOT)
                        + " (expected: new)");
            }
            if (beaconOn) {
                try {
                    socket = new DatagramSocket(null);
                    socket.setReuseAddress(true);
                    socket.bind(beaconBindAddress != null ? new InetSocketAddress(beaconBindAddress, beaconPort)
                            : new InetSocketAddress(beaconPort));
                } catch (IOException e) {
                    if (socket != null) {
                        socket.close();
                    }
                    state = State.CLOSED;
                    closed = true;
                    throw new UncheckedIOException("Cannot listen for LAN beacons on port " + beaconPort, e);
                }
            }
            state = State.STARTED;
            worker = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "loudsync-discovery");
                t.setDaemon(true);
                workerThread = t;
                return t;
            });
            worker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            worker.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
            long sweepNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10),
                    Math.min(TimeUnit.SECONDS.toNanos(1), expireAfter.toNanos() / 4));
            worker.scheduleWithFixedDelay(() -> guarded(this::expire), sweepNanos, sweepNanos, TimeUnit.NANOSECONDS);
            if (beaconOn) {
                DatagramSocket s = socket;
                receiver = new Thread(() -> receive(s), "loudsync-discovery-beacon");
                receiver.setDaemon(true);
                receiver.start();
            }
            if (dnsSdOn) {
                InetAddress address = interfaceAddress != null ? interfaceAddress
                        : Interfaces.defaultLanAddress().orElse(null);
                if (address == null) {
                    log.info("LAN discovery: no network interface that is up, not loopback and multicast-capable "
                            + "with an IPv4 address; DNS-SD browsing is off");
                } else {
                    worker.execute(() -> startDnsSd(address));
                }
            }
        }
    }

    /** The sessions heard of and not lost: an immutable snapshot, in the order they were found. */
    public List<DiscoveredSession> sessions() {
        return snapshot;
    }

    /** The local address beacons are received on (with the real port when built with port 0), once started. */
    public Optional<InetSocketAddress> beaconAddress() {
        synchronized (lock) {
            return socket != null && !socket.isClosed()
                    ? Optional.of((InetSocketAddress) socket.getLocalSocketAddress()) : Optional.empty();
        }
    }

    /**
     * Stops listening and browsing, and waits for the threads to end: at once with beacons only,
     * about 2 s with DNS-SD (JmDNS says goodbye on the network), at most about 5 s. No listener call
     * follows. {@link #sessions()} keeps the last list. Idempotent; called from a listener, it does
     * not wait.
     */
    @Override
    public void close() {
        ScheduledThreadPoolExecutor w;
        Thread r;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            boolean wasStarted = state == State.STARTED;
            state = State.CLOSED;
            closed = true;
            if (!wasStarted) {
                return;
            }
            if (socket != null) {
                socket.close(); // ends the receiver's blocking receive
            }
            w = worker;
            r = receiver;
            w.execute(this::stopDnsSd);
            w.shutdown();
        }
        if (Thread.currentThread() == workerThread || Thread.currentThread() == r) {
            return; // closed from a listener: cannot wait for ourselves
        }
        try {
            if (!w.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                log.warn("LAN discovery: still closing after {} ms", CLOSE_WAIT_MILLIS);
            }
            if (r != null) {
                r.join(CLOSE_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- beacons (receiver thread) ----

    private void receive(DatagramSocket s) {
        byte[] buffer = new byte[Beacon.MAX_DATAGRAM_BYTES + 1]; // one more, to see what is too long
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (!closed) {
            packet.setLength(buffer.length);
            try {
                s.receive(packet);
            } catch (IOException e) {
                if (closed || s.isClosed()) {
                    return;
                }
                log.debug("LAN discovery: receiving a beacon failed", e);
                continue;
            }
            if (packet.getLength() > Beacon.MAX_DATAGRAM_BYTES) {
                continue;
            }
            Beacon beacon = Beacon.parse(buffer, 0, packet.getLength());
            if (beacon != null) {
                submit(() -> onBeacon(beacon));
            }
        }
    }

    /** Queues work for the discovery thread, unless too much is waiting already. */
    private void submit(Runnable task) {
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            return;
        }
        try {
            worker.execute(() -> {
                queued.decrementAndGet();
                if (!closed) {
                    guarded(task);
                }
            });
        } catch (RejectedExecutionException e) {
            queued.decrementAndGet(); // closing
        }
    }

    // ---- DNS-SD (JmDNS threads hand over to the discovery thread) ----

    private void startDnsSd(InetAddress address) {
        if (closed) {
            return;
        }
        try {
            String host = "loudsync-guest-" + Integer.toHexString(ThreadLocalRandom.current().nextInt() & 0xfffffff);
            jmdns = JmDNS.create(address, host);
            jmdns.addServiceListener(SERVICE_TYPE, new Browser());
            log.debug("LAN discovery: browsing DNS-SD on {}", address);
        } catch (IOException | RuntimeException e) {
            log.warn("LAN discovery: DNS-SD browsing on {} failed; only beacons are heard", address, e);
            stopDnsSd();
        }
    }

    private void stopDnsSd() {
        if (jmdns != null) {
            try {
                jmdns.close();
            } catch (IOException | RuntimeException e) {
                log.debug("LAN discovery: closing JmDNS failed", e);
            }
            jmdns = null;
        }
    }

    /** Receives JmDNS's events on its threads and hands them over; nothing thrown goes back to JmDNS. */
    private final class Browser implements ServiceListener {
        @Override
        public void serviceAdded(ServiceEvent event) {
            log.debug("LAN discovery: DNS-SD service added: {}", event.getName());
            // Asks for SRV/TXT/A records if they did not come with the PTR answer; waits 200 ms at most.
            guarded(() -> event.getDNS().requestServiceInfo(event.getType(), event.getName(), 1));
        }

        @Override
        public void serviceRemoved(ServiceEvent event) {
            log.debug("LAN discovery: DNS-SD service removed: {}", event.getName());
            guarded(() -> {
                String name = serviceKey(event);
                submit(() -> onServiceRemoved(name));
            });
        }

        @Override
        public void serviceResolved(ServiceEvent event) {
            guarded(() -> resolved(event));
        }

        private void resolved(ServiceEvent event) {
            ServiceInfo info = event.getInfo();
            log.debug("LAN discovery: DNS-SD service resolved: {} {}", event.getName(), info);
            if (info == null) {
                return;
            }
            Map<String, String> txt = new HashMap<>();
            Iterator<String> names = Collections.list(info.getPropertyNames()).iterator();
            for (int i = 0; i < 32 && names.hasNext(); i++) {
                String key = names.next();
                String value = info.getPropertyString(key);
                if (value != null) {
                    txt.put(key, value);
                }
            }
            InetAddress address = first(info.getInet4Addresses());
            if (address == null) {
                address = first(info.getInetAddresses());
            }
            Beacon beacon = Beacon.fromTxt(txt, address, info.getPort());
            String name = serviceKey(event);
            if (beacon != null) {
                submit(() -> onServiceResolved(name, beacon));
            } else {
                submit(() -> onServiceRemoved(name)); // it no longer says anything valid
            }
        }

        private String serviceKey(ServiceEvent event) {
            return event.getName().toLowerCase(Locale.ROOT);
        }

        private InetAddress first(InetAddress[] addresses) {
            return addresses != null && addresses.length > 0 ? addresses[0] : null;
        }
    }

    // ---- the list (discovery thread) ----

    private void onBeacon(Beacon b) {
        Key key = keyOf(b);
        Entry e = entryFor(key);
        if (e == null) {
            return;
        }
        e.beacon = true;
        e.beaconSeenNanos = time.nanoTime();
        refresh(key, e, b);
    }

    private void onServiceResolved(String serviceName, Beacon b) {
        Key key = keyOf(b);
        Key before = byService.get(serviceName);
        if (before != null && !before.equals(key)) {
            onServiceRemoved(serviceName); // the service now announces another session
        }
        Entry e = entryFor(key);
        if (e == null) {
            return;
        }
        e.serviceName = serviceName;
        byService.put(serviceName, key);
        refresh(key, e, b);
    }

    private void onServiceRemoved(String serviceName) {
        Key key = byService.remove(serviceName);
        Entry e = key != null ? entries.get(key) : null;
        if (e != null && serviceName.equals(e.serviceName)) {
            e.serviceName = null;
            sourcesChanged(key, e);
        }
    }

    private void expire() {
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
            if (entries.size() >= MAX_SESSIONS) {
                if (!capWarned) {
                    capWarned = true;
                    log.warn("LAN discovery: {} sessions listed already; ignoring more", MAX_SESSIONS);
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
        e.current = new DiscoveredSession(b.sessionId(), b.sessionName(), b.hostId(), b.hostName(),
                new InetSocketAddress(key.address(), key.port()), b.memberCount(), b.maxMembers(), b.pinRequired(),
                sources(e), Instant.ofEpochMilli(time.currentTimeMillis()));
        publish();
        if (before == null) {
            notify("sessionFound", () -> listener.sessionFound(e.current));
        } else if (!e.current.sameAs(before)) {
            DiscoveredSession now = e.current;
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
        e.current = new DiscoveredSession(before.sessionId(), before.sessionName(), before.hostId(),
                before.hostName(), before.address(), before.memberCount(), before.maxMembers(), before.pinRequired(),
                sources, before.lastSeen());
        publish();
        DiscoveredSession now = e.current;
        notify("sessionUpdated", () -> listener.sessionUpdated(now));
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

    private static Key keyOf(Beacon b) {
        return new Key(b.normalizedSessionId(), b.hostAddress(), b.port());
    }

    private void publish() {
        List<DiscoveredSession> list = new ArrayList<>(entries.size());
        for (Entry e : entries.values()) {
            list.add(e.current);
        }
        snapshot = Collections.unmodifiableList(list);
    }

    private void notify(String event, Runnable call) {
        if (closed) {
            return;
        }
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("LAN discovery: listener {} failed on {}", listener, event, e);
        }
    }

    private static void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warn("LAN discovery: unexpected failure", e);
        }
    }

    /** Builds a {@link LanDiscovery}. Setting a property twice throws {@link IllegalStateException}. */
    public static final class Builder {
        private Integer beaconPort;
        private InetAddress beaconBindAddress;
        private Boolean dnsSd;
        private Boolean beacon;
        private InetAddress interfaceAddress;
        private Duration expireAfter;
        private TimeSource timeSource;
        private Listener listener;

        private Builder() {
        }

        /** The UDP port to receive beacons on, 0 to 65535 (0: any free port, see {@link LanDiscovery#beaconAddress()}); default 8081. */
        public Builder beaconPort(int port) {
            Checks.once(beaconPort, "beaconPort");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("beaconPort: " + port + " (expected: 0-65535)");
            }
            this.beaconPort = port;
            return this;
        }

        /**
         * The local address to receive beacons on; default all addresses (needed to receive
         * broadcasts). The socket is bound with {@code SO_REUSEADDR}.
         */
        public Builder beaconBindAddress(InetAddress address) {
            Checks.once(beaconBindAddress, "beaconBindAddress");
            this.beaconBindAddress = Objects.requireNonNull(address, "beaconBindAddress");
            return this;
        }

        /** Whether to browse DNS-SD (mDNS, via JmDNS); default true. */
        public Builder dnsSd(boolean on) {
            Checks.once(dnsSd, "dnsSd");
            this.dnsSd = on;
            return this;
        }

        /** Whether to listen for UDP beacons; default true. */
        public Builder beacon(boolean on) {
            Checks.once(beacon, "beacon");
            this.beacon = on;
            return this;
        }

        /**
         * The address of the interface to browse DNS-SD on (JmDNS binds to it). Not a wildcard or
         * multicast address. Default: the first interface that is up, not loopback and
         * multicast-capable, with an IPv4 address.
         */
        public Builder interfaceAddress(InetAddress address) {
            Checks.once(interfaceAddress, "interfaceAddress");
            this.interfaceAddress = Interfaces.requireInterfaceAddress(address, "interfaceAddress");
            return this;
        }

        /** How long a beacon sighting lasts, 10 ms to 1 hour; default 6 s. */
        public Builder expireAfter(Duration duration) {
            Checks.once(expireAfter, "expireAfter");
            this.expireAfter = Checks.inRange(duration, "expireAfter", Duration.ofMillis(10), Duration.ofHours(1));
            return this;
        }

        /** Where time is read (expiry, {@code lastSeen}); default the system clocks. */
        public Builder timeSource(TimeSource source) {
            Checks.once(timeSource, "timeSource");
            this.timeSource = Objects.requireNonNull(source, "timeSource");
            return this;
        }

        /** Told of every change to the list. */
        public Builder listener(Listener l) {
            Checks.once(listener, "listener");
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /** Builds a discovery (not started; see {@link LanDiscovery#start()}). */
        public LanDiscovery build() {
            return new LanDiscovery(this);
        }
    }
}
