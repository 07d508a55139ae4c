package dev.loudsync.netty.discovery.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives UDP beacons on one port: a daemon thread ({@code loudsync-discovery-beacon}) blocks in
 * {@code receive} and hands each valid {@link Beacon} over; a datagram over
 * {@link Beacon#MAX_DATAGRAM_BYTES} or one that does not parse is dropped. {@link #close()} closes
 * the socket, which ends the thread.
 */
final class BeaconReceiver {

    private static final Logger log = LoggerFactory.getLogger(BeaconReceiver.class);

    private final DatagramSocket socket;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * Binds the port ({@code SO_REUSEADDR}) and starts receiving.
     *
     * @param bindAddress the local address, or null for all (needed to receive broadcasts)
     * @param port        the port, 0 for any free one
     * @param onBeacon    called on the receiving thread with each valid beacon
     * @throws UncheckedIOException if the port cannot be bound (nothing is left open)
     */
    BeaconReceiver(InetAddress bindAddress, int port, Consumer<Beacon> onBeacon) {
        DatagramSocket s = null;
        try {
            s = new DatagramSocket(null);
            s.setReuseAddress(true);
            s.bind(bindAddress != null ? new InetSocketAddress(bindAddress, port) : new InetSocketAddress(port));
        } catch (IOException e) {
            if (s != null) {
                s.close();
            }
            throw new UncheckedIOException("Cannot listen for LAN beacons on port " + port, e);
        }
        this.socket = s;
        this.thread = new Thread(() -> receive(onBeacon), "loudsync-discovery-beacon");
        thread.setDaemon(true);
        thread.start();
    }

    /** The bound address, with the real port; null once closed. */
    InetSocketAddress localAddress() {
        return socket.isClosed() ? null : (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** The receiving thread. */
    Thread thread() {
        return thread;
    }

    /** Closes the socket, which ends the receiving thread. Idempotent. */
    void close() {
        closed = true;
        socket.close();
    }

    private void receive(Consumer<Beacon> onBeacon) {
        byte[] buffer = new byte[Beacon.MAX_DATAGRAM_BYTES + 1]; // one more, to see what is too long
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (!closed) {
            packet.setLength(buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                if (closed || socket.isClosed()) {
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
                onBeacon.accept(beacon);
            }
        }
    }
}
