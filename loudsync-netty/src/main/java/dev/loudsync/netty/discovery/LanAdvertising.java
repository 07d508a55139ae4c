package dev.loudsync.netty.discovery;

import dev.loudsync.core.internal.Checks;
import dev.loudsync.netty.discovery.internal.DnsSdSupport;
import dev.loudsync.netty.discovery.internal.Interfaces;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a host advertises its open sessions on the LAN, for
 * {@link dev.loudsync.netty.LoudSyncServer.Builder#lanDiscovery LoudSyncServer.Builder.lanDiscovery}:
 * an immutable value built by {@link #builder()}.
 *
 * <p>Two mechanisms, each on by default and each can be switched off:
 * <ul>
 *   <li><b>DNS-SD</b> (mDNS, Bonjour): each open session is a service of type
 *       {@value LanDiscovery#SERVICE_TYPE} named after the session (made unique on the network),
 *       on the server's port, with a TXT record holding the beacon's fields. The member count in
 *       the TXT record follows joins and leaves, updated at most once per second per session.</li>
 *   <li><b>UDP beacon</b>: every {@link #beaconInterval()}, one datagram per open session holding
 *       one JSON object with exactly {@code sessionId}, {@code sessionName}, {@code hostId},
 *       {@code hostName}, {@code hostAddress}, {@code port}, {@code memberCount},
 *       {@code maxMembers}, {@code protocolVersion} (1) and {@code pinRequired}, sent to
 *       {@link #beaconTarget()} (default the broadcast address {@code 255.255.255.255:8081}).</li>
 * </ul>
 *
 * <p>Both use one network interface: the one holding {@link #networkInterfaceAddress()}, or by
 * default the first interface that is up, not loopback and multicast-capable, with an IPv4
 * address. That address is also the beacon's source and its {@code hostAddress}. If there is no
 * such interface, nothing is advertised (logged at INFO).
 *
 * <p>Builder setters check their argument at once ({@link IllegalArgumentException}); setting a
 * property twice throws {@link IllegalStateException}.
 */
public final class LanAdvertising {

    /** Default {@link #beaconTarget()}: the limited broadcast address, port {@value LanDiscovery#DEFAULT_BEACON_PORT}. */
    public static final InetSocketAddress DEFAULT_BEACON_TARGET =
            new InetSocketAddress(broadcast(), LanDiscovery.DEFAULT_BEACON_PORT);
    /** Default {@link #beaconInterval()}. */
    public static final Duration DEFAULT_BEACON_INTERVAL = Duration.ofSeconds(2);

    private final boolean dnsSd;
    private final boolean beacon;
    private final InetSocketAddress beaconTarget;
    private final Duration beaconInterval;
    private final InetAddress networkInterfaceAddress;

    private LanAdvertising(Builder b) {
        this.dnsSd = b.dnsSd == null || b.dnsSd;
        this.beacon = b.beacon == null || b.beacon;
        this.beaconTarget = b.beaconTarget != null ? b.beaconTarget : DEFAULT_BEACON_TARGET;
        this.beaconInterval = b.beaconInterval != null ? b.beaconInterval : DEFAULT_BEACON_INTERVAL;
        this.networkInterfaceAddress = b.networkInterfaceAddress;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Both mechanisms with their defaults. */
    public static LanAdvertising defaults() {
        return builder().build();
    }

    /** Whether sessions are published with DNS-SD. */
    public boolean dnsSd() {
        return dnsSd;
    }

    /** Whether sessions are announced with UDP beacons. */
    public boolean beacon() {
        return beacon;
    }

    /** Where beacons are sent. */
    public InetSocketAddress beaconTarget() {
        return beaconTarget;
    }

    /** How often each open session's beacon is sent. */
    public Duration beaconInterval() {
        return beaconInterval;
    }

    /** The address of the interface to advertise on; empty means pick one when the server starts. */
    public Optional<InetAddress> networkInterfaceAddress() {
        return Optional.ofNullable(networkInterfaceAddress);
    }

    @Override
    public String toString() {
        return "LanAdvertising{dnsSd=" + dnsSd + ", beacon=" + beacon + ", beaconTarget=" + beaconTarget
                + ", beaconInterval=" + beaconInterval + ", networkInterfaceAddress=" + networkInterfaceAddress + "}";
    }

    private static InetAddress broadcast() {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 255, (byte) 255, (byte) 255, (byte) 255});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e); // four bytes are a valid IPv4 address
        }
    }

    /** Builds a {@link LanAdvertising}. Setting a property twice throws {@link IllegalStateException}. */
    public static final class Builder {
        private Boolean dnsSd;
        private Boolean beacon;
        private InetSocketAddress beaconTarget;
        private Duration beaconInterval;
        private InetAddress networkInterfaceAddress;

        private Builder() {
        }

        /**
         * Whether to publish sessions with DNS-SD (mDNS); default true. DNS-SD needs JmDNS
         * ({@code org.jmdns:jmdns}), an optional dependency the application adds.
         */
        public Builder dnsSd(boolean on) {
            Checks.once(dnsSd, "dnsSd");
            this.dnsSd = on;
            return this;
        }

        /** Whether to send UDP beacons; default true. */
        public Builder beacon(boolean on) {
            Checks.once(beacon, "beacon");
            this.beacon = on;
            return this;
        }

        /**
         * Where to send beacons: a resolved address and a port 1 to 65535; default
         * {@code 255.255.255.255:8081} (broadcast).
         */
        public Builder beaconTarget(InetSocketAddress target) {
            Checks.once(beaconTarget, "beaconTarget");
            Objects.requireNonNull(target, "beaconTarget");
            if (target.isUnresolved() || target.getPort() == 0 || target.getAddress().isAnyLocalAddress()) {
                throw new IllegalArgumentException("beaconTarget: " + target
                        + " (expected: a resolved, non-wildcard address and a port 1-65535)");
            }
            this.beaconTarget = target;
            return this;
        }

        /** How often to send each session's beacon, 50 ms to 5 min; default 2 s. */
        public Builder beaconInterval(Duration interval) {
            Checks.once(beaconInterval, "beaconInterval");
            this.beaconInterval = Checks.inRange(interval, "beaconInterval", Duration.ofMillis(50),
                    Duration.ofMinutes(5));
            return this;
        }

        /**
         * The address of the interface to advertise on (JmDNS binds to it; beacons are sent from
         * it and carry it as {@code hostAddress}). Not a wildcard or multicast address. Default:
         * the first interface that is up, not loopback and multicast-capable, with an IPv4 address.
         */
        public Builder networkInterfaceAddress(InetAddress address) {
            Checks.once(networkInterfaceAddress, "networkInterfaceAddress");
            this.networkInterfaceAddress = Interfaces.requireInterfaceAddress(address, "networkInterfaceAddress");
            return this;
        }

        /**
         * Builds the settings.
         *
         * @throws IllegalStateException if DNS-SD is on and JmDNS is missing (the message says which
         *                               dependency to add)
         */
        public LanAdvertising build() {
            if (dnsSd == null || dnsSd) {
                DnsSdSupport.requireJmDns("LanAdvertising");
            }
            return new LanAdvertising(this);
        }
    }
}
