package dev.loudsync.netty.discovery.internal;

import dev.loudsync.core.TimeSource;
import dev.loudsync.netty.discovery.DiscoveredSession;
import dev.loudsync.netty.discovery.LanDiscovery;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@link LanDiscovery}: its lifecycle and its threads. The discovery thread
 * ({@code loudsync-discovery}) owns the {@link SessionTable}, sweeps it for expired beacons and
 * runs every listener call; the {@link BeaconReceiver}'s thread and JmDNS's threads
 * ({@link DnsSdBrowser}) hand what they hear over to it through a bounded queue, so that a flood
 * is dropped instead of piling up.
 *
 * <p>Thread-safe. Not API.
 */
public final class DiscoveryRuntime {

    /**
     * What {@code LanDiscovery.Builder} decided.
     *
     * @param beaconBindAddress null: all local addresses
     * @param interfaceAddress  the interface to browse DNS-SD on; null: the first suitable one
     */
    public record Settings(int beaconPort, InetAddress beaconBindAddress, boolean dnsSd, boolean beacon,
            InetAddress interfaceAddress, Duration expireAfter, TimeSource time, LanDiscovery.Listener listener) {
    }

    private static final Logger log = LoggerFactory.getLogger(DiscoveryRuntime.class);
    /** Beacons and DNS-SD events waiting for the discovery thread; more are dropped (a flood). */
    private static final int MAX_QUEUED = 1024;
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    private enum State { NEW, STARTED, CLOSED }

    private final Settings settings;
    private final SessionTable table;
    private final Object lock = new Object();
    private State state = State.NEW;
    private volatile boolean closed;
    private ScheduledThreadPoolExecutor worker;
    private volatile Thread workerThread;
    private BeaconReceiver receiver;
    private DnsSdBrowser browser;
    private final AtomicInteger queued = new AtomicInteger();

    public DiscoveryRuntime(Settings settings) {
        this.settings = settings;
        this.table = new SessionTable(settings.time(), settings.expireAfter(), settings.listener(), () -> closed);
    }

    /** See {@code LanDiscovery.start()}. */
    public void start() {
        synchronized (lock) {
            if (state != State.NEW) {
                throw new IllegalStateException("discovery is " + state.name().toLowerCase(Locale.ROOT)
                        + " (expected: new)");
            }
            worker = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "loudsync-discovery");
                t.setDaemon(true);
                workerThread = t;
                return t;
            });
            worker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            worker.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
            if (settings.beacon()) {
                try {
                    receiver = new BeaconReceiver(settings.beaconBindAddress(), settings.beaconPort(),
                            beacon -> submit(() -> table.beacon(beacon)));
                } catch (RuntimeException e) {
                    state = State.CLOSED;
                    closed = true;
                    worker.shutdownNow();
                    throw e;
                }
            }
            state = State.STARTED;
            long sweepNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10),
                    Math.min(TimeUnit.SECONDS.toNanos(1), settings.expireAfter().toNanos() / 4));
            worker.scheduleWithFixedDelay(() -> guarded(table::expire), sweepNanos, sweepNanos,
                    TimeUnit.NANOSECONDS);
            if (settings.dnsSd()) {
                InetAddress address = settings.interfaceAddress() != null ? settings.interfaceAddress()
                        : Interfaces.defaultLanAddress().orElse(null);
                if (address == null) {
                    log.info("LAN discovery: no network interface that is up, not loopback and multicast-capable "
                            + "with an IPv4 address; DNS-SD browsing is off");
                } else {
                    browser = new DnsSdBrowser(table, this::submit);
                    DnsSdBrowser b = browser;
                    worker.execute(() -> {
                        if (!closed) {
                            b.start(address);
                        }
                    });
                }
            }
        }
    }

    /** See {@code LanDiscovery.sessions()}. */
    public List<DiscoveredSession> sessions() {
        return table.sessions();
    }

    /** See {@code LanDiscovery.beaconAddress()}. */
    public Optional<InetSocketAddress> beaconAddress() {
        synchronized (lock) {
            return Optional.ofNullable(receiver != null ? receiver.localAddress() : null);
        }
    }

    /** See {@code LanDiscovery.close()}. */
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
            r = null;
            if (receiver != null) {
                receiver.close();
                r = receiver.thread();
            }
            w = worker;
            if (browser != null) {
                w.execute(browser::stop);
            }
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

    /** Runs {@code task}; what it throws is logged, never passed on (to JmDNS, or the discovery thread). */
    static void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warn("LAN discovery: unexpected failure", e);
        }
    }
}
