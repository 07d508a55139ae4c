package dev.loudsync.netty.discovery.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the network interface LAN discovery uses when the application names none. */
public final class Interfaces {

    private static final Logger log = LoggerFactory.getLogger(Interfaces.class);

    private Interfaces() {
    }

    /**
     * The IPv4 address of the first (lowest index) interface that is up, not loopback, not
     * point-to-point (VPN tunnels) and supports multicast; empty if there is none.
     */
    public static Optional<InetAddress> defaultLanAddress() {
        List<NetworkInterface> all;
        try {
            all = Collections.list(NetworkInterface.getNetworkInterfaces());
        } catch (SocketException | RuntimeException e) {
            log.debug("Cannot list network interfaces", e);
            return Optional.empty();
        }
        List<NetworkInterface> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingInt(NetworkInterface::getIndex));
        for (NetworkInterface ni : sorted) {
            try {
                if (!ni.isUp() || ni.isLoopback() || ni.isPointToPoint() || !ni.supportsMulticast()) {
                    continue;
                }
            } catch (SocketException e) {
                continue;
            }
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isAnyLocalAddress()) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    /** Whether the interface holding {@code address} is up and supports multicast. */
    public static boolean supportsMulticast(InetAddress address) {
        try {
            NetworkInterface ni = NetworkInterface.getByInetAddress(address);
            return ni != null && ni.isUp() && ni.supportsMulticast();
        } catch (SocketException | RuntimeException e) {
            return false;
        }
    }

    /** Returns {@code address} if it can name one interface, else throws (null, wildcard, multicast). */
    public static java.net.InetAddress requireInterfaceAddress(java.net.InetAddress address, String property) {
        java.util.Objects.requireNonNull(address, property);
        if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
            throw new IllegalArgumentException(property + ": " + address
                    + " (expected: the address of one interface, not a wildcard or multicast address)");
        }
        return address;
    }
}
