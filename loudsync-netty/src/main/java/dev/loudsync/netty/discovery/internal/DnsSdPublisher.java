package dev.loudsync.netty.discovery.internal;

import dev.loudsync.core.Session;
import dev.loudsync.core.TimeSource;
import dev.loudsync.netty.discovery.LanDiscovery;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes sessions as DNS-SD services, with JmDNS in production.
 *
 * <p>JmDNS calls may block (withdrawing a service and closing take about 2 s each: goodbyes go out
 * three times, a second apart), so every call runs on one daemon thread of this publisher,
 * {@code loudsync-dnssd}, in the order asked; JmDNS adds threads of its own. The methods here only
 * queue work and may be called from any thread. Sessions are tracked by identity, so a closed
 * session and a new one with the same id never mix. The first failure is logged at WARN, later
 * ones at DEBUG; a failure never propagates.
 */
final class DnsSdPublisher {

    private static final Logger log = LoggerFactory.getLogger(DnsSdPublisher.class);
    /** DNS-SD instance names are at most 63 bytes of UTF-8. */
    private static final int MAX_INSTANCE_NAME_BYTES = 63;

    private final Opener opener;
    private final InetAddress address;
    private final int port;
    private final TimeSource time;
    private final long minUpdateNanos;
    private final long confirmDelayNanos;
    private final ScheduledThreadPoolExecutor thread;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    // Confined to the thread:
    private final Map<Session, Published> published = new IdentityHashMap<>();
    private Backend backend;
    private boolean warned;

    /** What the publisher needs of a DNS-SD implementation; every call on the publisher's thread. */
    interface Backend {
        /** Publishes the service (may block while it is probed and announced). */
        void register(ServiceInfo service) throws IOException;

        /** Replaces the service's TXT record on the network. */
        void setText(ServiceInfo service, Map<String, String> txt);

        /** Withdraws the service (goodbye). */
        void unregister(ServiceInfo service);

        /** Withdraws everything and releases the sockets and threads. */
        void close() throws IOException;
    }

    /** Opens a backend, on the publisher's thread. */
    interface Opener {
        Backend open() throws IOException;
    }

    /** A publisher on JmDNS bound to {@code address}. */
    static DnsSdPublisher jmdns(InetAddress address, int port, TimeSource time) {
        Opener opener = () -> {
            String host = "loudsync-" + Integer.toHexString(ThreadLocalRandom.current().nextInt() & 0xfffffff);
            JmDNS jmdns = JmDNS.create(address, host);
            log.debug("DNS-SD started on {} as {}", address, host);
            return new Backend() {
                @Override
                public void register(ServiceInfo service) throws IOException {
                    jmdns.registerService(service);
                }

                @Override
                public void setText(ServiceInfo service, Map<String, String> txt) {
                    service.setText(txt); // JmDNS re-announces a registered service's new TXT record
                }

                @Override
                public void unregister(ServiceInfo service) {
                    jmdns.unregisterService(service);
                }

                @Override
                public void close() throws IOException {
                    jmdns.close(); // withdraws every service and the host name: goodbyes, about 2 s
                }
            };
        };
        return new DnsSdPublisher(opener, address, port, time, Duration.ofSeconds(1), Duration.ofMillis(1500));
    }

    /** One published session; confined to the thread. */
    private static final class Published {
        final ServiceInfo info;
        long lastTextNanos;
        boolean updateScheduled;
        boolean scheduledConfirming;
        boolean confirmScheduled;

        Published(ServiceInfo info, long lastTextNanos) {
            this.info = info;
            this.lastTextNanos = lastTextNanos;
        }
    }

    /**
     * A publisher whose TXT updates for one session are at least {@code minUpdateInterval} apart,
     * each set once more {@code confirmDelay} later (see {@link #updateText}).
     */
    DnsSdPublisher(Opener opener, InetAddress address, int port, TimeSource time, Duration minUpdateInterval,
            Duration confirmDelay) {
        this.opener = opener;
        this.address = address;
        this.port = port;
        this.time = time;
        this.minUpdateNanos = minUpdateInterval.toNanos();
        this.confirmDelayNanos = confirmDelay.toNanos();
        this.thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "loudsync-dnssd");
            t.setDaemon(true);
            return t;
        });
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        thread.setRemoveOnCancelPolicy(true);
    }

    /** Opens the backend (JmDNS on the interface). */
    void start() {
        submit(() -> backend = opener.open());
    }

    /** Publishes {@code session}, unless it is already published or closed. */
    void publish(Session session) {
        submit(() -> {
            if (backend == null || published.containsKey(session) || !session.isOpen()) {
                return;
            }
            Beacon b = Beacon.of(session, address, port);
            ServiceInfo info = ServiceInfo.create(LanDiscovery.SERVICE_TYPE, instanceName(b.sessionName()), port, 0,
                    0, b.toTxt());
            published.put(session, new Published(info, time.nanoTime() - minUpdateNanos));
            backend.register(info);
            log.debug("Published session {} as '{}'", b.sessionId(), info.getName());
        });
    }

    /** Updates the TXT record's member count, at most once per minimum update interval. */
    void membersChanged(Session session) {
        submit(() -> requestUpdate(session, false));
    }

    /** Withdraws {@code session} (a goodbye on the network), if it was published. */
    void withdraw(Session session) {
        submit(() -> {
            Published p = published.remove(session);
            if (p != null && backend != null) {
                backend.unregister(p.info);
                log.debug("Withdrew session {}", session.id());
            }
        });
    }

    /**
     * Withdraws everything, closes JmDNS and ends the thread.
     *
     * @return completes when JmDNS is closed
     */
    CompletableFuture<Void> stop() {
        try {
            thread.execute(() -> {
                try {
                    if (backend != null) {
                        published.clear();
                        backend.close();
                        backend = null;
                    }
                } catch (Exception e) {
                    failed(e);
                } finally {
                    stopped.complete(null);
                }
            });
            thread.shutdown();
        } catch (RejectedExecutionException e) {
            // stopped before
        }
        return stopped;
    }

    private void requestUpdate(Session session, boolean confirming) {
        Published p = published.get(session);
        if (p == null) {
            return;
        }
        if (p.updateScheduled) {
            p.scheduledConfirming &= confirming; // it reads the count when it runs
            return;
        }
        long waitNanos = p.lastTextNanos + minUpdateNanos - time.nanoTime();
        if (waitNanos <= 0) {
            updateText(session, p, confirming);
        } else {
            p.updateScheduled = true;
            p.scheduledConfirming = confirming;
            thread.schedule(() -> guarded(() -> {
                p.updateScheduled = false;
                updateText(session, p, p.scheduledConfirming);
            }), waitNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void updateText(Session session, Published p, boolean confirming) {
        if (backend == null || published.get(session) != p || !session.isOpen()) {
            return;
        }
        p.lastTextNanos = time.nanoTime();
        Beacon b = Beacon.of(session, address, port);
        // JmDNS re-announces a changed TXT record, unless the change lands while the service is still
        // being announced, just after the last announcement was built: then the old text stays out
        // there until the record is renewed (an hour). So each change is set once more, later.
        backend.setText(p.info, b.toTxt());
        log.debug("Updated session {}: {} members", b.sessionId(), b.memberCount());
        if (!confirming && !p.confirmScheduled) {
            p.confirmScheduled = true;
            thread.schedule(() -> guarded(() -> {
                p.confirmScheduled = false;
                requestUpdate(session, true);
            }), confirmDelayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private void submit(Work work) {
        try {
            thread.execute(() -> guarded(work));
        } catch (RejectedExecutionException e) {
            // stopping: nothing more to publish
        }
    }

    private void guarded(Work work) {
        try {
            work.run();
        } catch (Exception e) {
            failed(e);
        }
    }

    private void failed(Exception e) {
        if (!warned) {
            warned = true;
            log.warn("LAN discovery: DNS-SD advertising on {} failed; sessions may not be listed by mDNS browsers",
                    address, e);
        } else {
            log.debug("LAN discovery: DNS-SD advertising failed again", e);
        }
    }

    /** The session name cut to a DNS label's 63 bytes of UTF-8, at a character boundary. */
    static String instanceName(String name) {
        if (name.getBytes(StandardCharsets.UTF_8).length <= MAX_INSTANCE_NAME_BYTES) {
            return name;
        }
        StringBuilder sb = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > MAX_INSTANCE_NAME_BYTES) {
                break;
            }
            sb.appendCodePoint(cp);
            bytes += n;
            i += Character.charCount(cp);
        }
        return sb.toString();
    }
}
