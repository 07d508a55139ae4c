package dev.loudsync.netty.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy whose connections a test can cut abruptly, as a Wi-Fi drop would, or hold:
 * a held connection stops forwarding in both directions, its ends included (a close or a reset is
 * not passed on), as across a network that went silent or to a frozen peer; the kernels on both
 * sides keep the sockets open.
 */
public final class TcpProxy implements AutoCloseable {

    /** One proxied connection: its two sockets and whether it is held. */
    private static final class Link {
        final Socket in;
        final Socket out;
        private boolean held;

        Link(Socket in, Socket out, boolean held) {
            this.in = in;
            this.out = out;
            this.held = held;
        }

        synchronized void hold(boolean h) {
            held = h;
            notifyAll();
        }

        /** Waits while the link is held. */
        synchronized void pass() throws InterruptedException {
            while (held) {
                wait();
            }
        }
    }

    private final ServerSocket server;
    private final int targetPort;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    /** New connections start held, until {@link #releaseAll()}. */
    private volatile boolean holdingNew;
    public final AtomicInteger accepted = new AtomicInteger();

    public TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 1024, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(this::acceptLoop, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket in = server.accept();
                accepted.incrementAndGet();
                Socket out = new Socket();
                out.connect(new InetSocketAddress("127.0.0.1", targetPort), 5_000);
                Link link = new Link(in, out, holdingNew);
                links.add(link);
                pump(link, in, out);
                pump(link, out, in);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Link link, Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
                int n;
                while ((n = i.read(buf)) >= 0) {
                    link.pass();
                    o.write(buf, 0, n);
                    o.flush();
                }
                link.pass(); // a held link passes no end on either
            } catch (IOException | InterruptedException e) {
                // cut
            } finally {
                links.remove(link);
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Resets every connection through the proxy (SO_LINGER 0: no FIN, an RST). */
    public void cutAll() {
        for (Link l : links) {
            l.hold(false);
            for (Socket s : List.of(l.in, l.out)) {
                try {
                    s.setSoLinger(true, 0);
                } catch (IOException e) {
                    // already gone
                }
                closeQuietly(s);
            }
        }
        links.clear();
    }

    /**
     * Holds the connections open now: nothing more passes on them, in either direction, until
     * {@link #releaseAll()}; new connections are not affected (a black hole for the old ones).
     */
    public void holdExisting() {
        for (Link l : links) {
            l.hold(true);
        }
    }

    /** Holds every connection, those opened later too, until {@link #releaseAll()}: a frozen host. */
    public void holdAll() {
        holdingNew = true;
        holdExisting();
    }

    /** Lets every held connection forward again, what was kept first. */
    public void releaseAll() {
        holdingNew = false;
        for (Link l : links) {
            l.hold(false);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // ignore
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cutAll();
    }
}
