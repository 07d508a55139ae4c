package dev.loudsync.netty.discovery;

import dev.loudsync.core.TimeSource;
import dev.loudsync.core.internal.Checks;
import dev.loudsync.netty.discovery.internal.DiscoveryRuntime;
import dev.loudsync.netty.discovery.internal.DnsSdSupport;
import dev.loudsync.netty.discovery.internal.Interfaces;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

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

    private final DiscoveryRuntime runtime;

    private LanDiscovery(Builder b) {
        this.runtime = new DiscoveryRuntime(new DiscoveryRuntime.Settings(
                b.beaconPort != null ? b.beaconPort : DEFAULT_BEACON_PORT, b.beaconBindAddress,
                b.dnsSd == null || b.dnsSd, b.beacon == null || b.beacon, b.interfaceAddress,
                b.expireAfter != null ? b.expireAfter : DEFAULT_EXPIRE_AFTER,
                b.timeSource != null ? b.timeSource : TimeSource.system(),
                b.listener != null ? b.listener : new Listener() { }));
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
        runtime.start();
    }

    /** The sessions heard of and not lost: an immutable snapshot, in the order they were found. */
    public List<DiscoveredSession> sessions() {
        return runtime.sessions();
    }

    /** The local address beacons are received on (with the real port when built with port 0), once started. */
    public Optional<InetSocketAddress> beaconAddress() {
        return runtime.beaconAddress();
    }

    /**
     * Stops listening and browsing, and waits for the threads to end: at once with beacons only,
     * about 2 s with DNS-SD (JmDNS says goodbye on the network), at most about 5 s. No listener call
     * follows. {@link #sessions()} keeps the last list. Idempotent; called from a listener, it does
     * not wait.
     */
    @Override
    public void close() {
        runtime.close();
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

        /**
         * Whether to browse DNS-SD (mDNS); default true. DNS-SD needs JmDNS
         * ({@code org.jmdns:jmdns}), an optional dependency the application adds.
         */
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

        /**
         * Builds a discovery (not started; see {@link LanDiscovery#start()}).
         *
         * @throws IllegalStateException if DNS-SD is on and JmDNS is missing (the message says which
         *                               dependency to add)
         */
        public LanDiscovery build() {
            if (dnsSd == null || dnsSd) {
                DnsSdSupport.requireJmDns("LanDiscovery");
            }
            return new LanDiscovery(this);
        }
    }
}
