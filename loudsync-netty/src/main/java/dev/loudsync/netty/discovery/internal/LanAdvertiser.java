package dev.loudsync.netty.discovery.internal;

import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionListener;
import dev.loudsync.core.SessionRegistry;
import dev.loudsync.core.TimeSource;
import dev.loudsync.netty.discovery.LanAdvertising;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host side of LAN discovery: advertises a server's open sessions with DNS-SD and UDP beacons
 * (see {@link LanAdvertising}).
 *
 * <p>Lifecycle, driven by the server: {@link #prepare()} when it starts (picks the interface, on
 * the caller's thread), {@link #start} once the port is bound, {@link #sessionOpened} for each
 * session opened afterwards, {@link #stop()} before its event loops shut down. Never throws from
 * these: a failure to advertise is logged at WARN once per mechanism.
 *
 * <p>Threads: beacons are sent by a timer on the given event loop, from a non-blocking datagram
 * channel (no thread of its own). DNS-SD runs on a {@link DnsSdPublisher} thread plus JmDNS's own.
 */
public final class LanAdvertiser {

    private static final Logger log = LoggerFactory.getLogger(LanAdvertiser.class);
    private static final long STOP_TIMEOUT_SECONDS = 5;

    private final LanAdvertising settings;
    private final SessionRegistry registry;
    private final TimeSource time;
    private final SessionListener listener = new MembershipListener();
    // Guarded by this:
    private boolean prepared;
    private InetAddress address;
    private boolean started;
    private CompletableFuture<Void> stopped;
    private DnsSdPublisher publisher;
    private DatagramChannel beaconChannel;
    private ScheduledFuture<?> beaconTimer;
    private ScheduledExecutorService loop;
    private int port;
    // Read by the beacon timer:
    private volatile boolean stopping;
    private volatile boolean beaconWarned;

    /**
     * @param boundAddress the server's listening address when it is a specific one (not the
     *                     wildcard), or null: guests can only reach the server there, so it is
     *                     advertised unless an interface address was configured
     */
    private final java.net.InetAddress boundAddress;

    public LanAdvertiser(LanAdvertising settings, SessionRegistry registry, TimeSource time,
            java.net.InetAddress boundAddress) {
        this.settings = settings;
        this.registry = registry;
        this.time = time;
        this.boundAddress = boundAddress;
    }

    /** Picks the interface to advertise on (lists the interfaces unless one was configured). */
    public synchronized void prepare() {
        if (prepared) {
            return;
        }
        prepared = true;
        // Not Optional.or: Android (API level 26) lacks it.
        address = settings.networkInterfaceAddress().orElse(boundAddress);
        if (address == null) {
            address = Interfaces.defaultLanAddress().orElse(null);
        }
        if (address == null && (settings.dnsSd() || settings.beacon())) {
            log.info("LAN discovery: no network interface that is up, not loopback and multicast-capable with an "
                    + "IPv4 address; sessions are not advertised");
        }
    }

    /**
     * Starts advertising the open sessions (and those opened later) for a server on {@code port};
     * beacons are timed on {@code timerLoop}.
     */
    public synchronized void start(int boundPort, ScheduledExecutorService timerLoop) {
        prepare();
        if (started || stopped != null || address == null) {
            return;
        }
        started = true;
        this.port = boundPort;
        this.loop = timerLoop;
        if (settings.dnsSd()) {
            publisher = DnsSdPublisher.jmdns(address, boundPort, time);
            publisher.start();
        }
        if (settings.beacon()) {
            startBeacon(timerLoop);
        }
        log.debug("LAN discovery: advertising on {} ({})", address, settings);
        for (Session s : registry.sessions()) {
            track(s);
        }
    }

    /** Advertises a session opened after {@link #start}. */
    public synchronized void sessionOpened(Session session) {
        if (started && stopped == null) {
            track(session);
        }
    }

    /**
     * Stops: withdraws every DNS-SD service, stops the beacons, closes JmDNS. Idempotent.
     *
     * @return completes when JmDNS is closed (at most about {@value #STOP_TIMEOUT_SECONDS} s later)
     */
    public synchronized CompletableFuture<Void> stop() {
        if (stopped != null) {
            return stopped;
        }
        stopping = true;
        if (beaconTimer != null) {
            beaconTimer.cancel(false);
        }
        if (beaconChannel != null) {
            try {
                beaconChannel.close();
            } catch (IOException e) {
                log.debug("Closing the beacon channel failed", e);
            }
        }
        if (publisher == null) {
            stopped = CompletableFuture.completedFuture(null);
            return stopped;
        }
        CompletableFuture<Void> closing = publisher.stop();
        CompletableFuture<Void> done = new CompletableFuture<>();
        stopped = done;
        try {
            ScheduledFuture<?> timeout = loop.schedule(() -> {
                if (done.complete(null)) {
                    log.warn("LAN discovery: JmDNS did not close within {} s; stopping without waiting",
                            STOP_TIMEOUT_SECONDS);
                }
            }, STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            done.whenComplete((v, e) -> timeout.cancel(false));
        } catch (RuntimeException e) {
            // the loop is shutting down already: wait for JmDNS alone
        }
        closing.whenComplete((v, e) -> done.complete(null));
        return done;
    }

    private void track(Session session) {
        if (publisher == null) {
            return; // beacons read the registry at each tick
        }
        publisher.publish(session);
        session.addListener(listener);
        if (!session.isOpen()) {
            publisher.withdraw(session); // closed before the listener was in place
        }
    }

    private void startBeacon(ScheduledExecutorService timerLoop) {
        InetSocketAddress target = settings.beaconTarget();
        InetAddress from = address;
        int serverPort = port;
        try {
            DatagramChannel channel = DatagramChannel.open(from instanceof Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            beaconChannel = channel;
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.SO_BROADCAST, true);
            channel.bind(new InetSocketAddress(from, 0));
            long periodNanos = settings.beaconInterval().toNanos();
            beaconTimer = timerLoop.scheduleAtFixedRate(() -> sendBeacons(channel, from, serverPort, target), 0,
                    periodNanos, TimeUnit.NANOSECONDS);
        } catch (IOException | RuntimeException e) {
            beaconFailed(e);
            closeQuietly();
        }
    }

    /** Runs on the event loop: one datagram per open session. Never blocks (non-blocking channel). */
    private void sendBeacons(DatagramChannel channel, InetAddress from, int serverPort, InetSocketAddress target) {
        for (Session s : registry.sessions()) {
            if (stopping) {
                return;
            }
            if (!s.isOpen()) {
                continue;
            }
            try {
                byte[] json = Beacon.of(s, from, serverPort).toJson();
                if (channel.send(ByteBuffer.wrap(json), target) == 0) {
                    log.debug("Beacon for session {} dropped: socket buffer full", s.id());
                }
            } catch (IOException | RuntimeException e) {
                if (!stopping) {
                    beaconFailed(e);
                }
            }
        }
    }

    private void beaconFailed(Exception e) {
        if (!beaconWarned) {
            beaconWarned = true;
            log.warn("LAN discovery: sending beacons from {} to {} failed; sessions may not be listed", address,
                    settings.beaconTarget(), e);
        } else {
            log.debug("LAN discovery: sending a beacon failed again", e);
        }
    }

    private void closeQuietly() {
        if (beaconChannel != null) {
            try {
                beaconChannel.close();
            } catch (IOException e) {
                log.debug("Closing the beacon channel failed", e);
            }
            beaconChannel = null;
        }
    }

    /** Keeps the DNS-SD record in step with the session. Runs on the session's executor. */
    private final class MembershipListener implements SessionListener {
        @Override
        public void memberJoined(Session session, Member member) {
            publisher.membersChanged(session);
        }

        @Override
        public void memberLeft(Session session, Member member, LeaveReason reason) {
            if (reason != LeaveReason.SESSION_CLOSED) {
                publisher.membersChanged(session);
            }
        }

        @Override
        public void sessionClosed(Session session) {
            publisher.withdraw(session);
        }
    }
}
