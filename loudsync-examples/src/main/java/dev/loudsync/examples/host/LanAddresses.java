package dev.loudsync.examples.host;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The addresses guests on the LAN can reach the host at. */
final class LanAddresses {

    private static final Logger log = LoggerFactory.getLogger(LanAddresses.class);

    private LanAddresses() {
    }

    /** One {@code ws://ADDRESS:PORT/} per address of {@link #of(InetAddress)}. */
    static List<String> webSocketUrls(InetSocketAddress bound) {
        List<String> urls = new ArrayList<>();
        for (InetAddress a : of(bound.getAddress())) {
            String host = a instanceof Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
            urls.add("ws://" + host + ":" + bound.getPort() + "/");
        }
        return urls;
    }

    /**
     * For a server bound to one address, that address. For one bound to all: the IPv4 addresses of
     * the interfaces that are up and not loopback, or the loopback address if there are none.
     */
    static List<InetAddress> of(InetAddress bound) {
        if (!bound.isAnyLocalAddress()) {
            return List.of(bound);
        }
        List<InetAddress> found = new ArrayList<>();
        try {
            for (NetworkInterface ni : NetworkInterface.networkInterfaces().toList()) {
                try {
                    if (ni.isUp() && !ni.isLoopback()) {
                        ni.inetAddresses().filter(Inet4Address.class::isInstance).forEach(found::add);
                    }
                } catch (SocketException e) {
                    log.debug("Skipped network interface {}: {}", ni.getName(), e.toString());
                }
            }
        } catch (SocketException e) {
            log.debug("Could not list network interfaces: {}", e.toString());
        }
        return found.isEmpty() ? List.of(InetAddress.getLoopbackAddress()) : found;
    }
}
