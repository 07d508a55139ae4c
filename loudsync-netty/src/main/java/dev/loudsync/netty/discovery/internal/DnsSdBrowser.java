package dev.loudsync.netty.discovery.internal;

import dev.loudsync.netty.discovery.LanDiscovery;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Browses DNS-SD services of type {@link LanDiscovery#SERVICE_TYPE} with JmDNS on one interface
 * and hands what it hears to the {@link SessionTable} on the discovery thread: JmDNS's events
 * arrive on its own threads, are checked (a TXT record as strictly as a beacon) and submitted.
 * Nothing thrown goes back to JmDNS.
 *
 * <p>{@link #start} and {@link #stop} run on the discovery thread.
 */
final class DnsSdBrowser {

    private static final Logger log = LoggerFactory.getLogger(DnsSdBrowser.class);
    /** TXT entries read at most per service. */
    private static final int MAX_TXT_ENTRIES = 32;

    private final SessionTable table;
    private final Consumer<Runnable> submit;
    private JmDNS jmdns;

    /** @param submit queues a task for the discovery thread */
    DnsSdBrowser(SessionTable table, Consumer<Runnable> submit) {
        this.table = table;
        this.submit = submit;
    }

    /** Starts browsing on the interface of {@code address}; a failure is logged and leaves it off. */
    void start(InetAddress address) {
        try {
            String host = "loudsync-guest-" + Integer.toHexString(ThreadLocalRandom.current().nextInt() & 0xfffffff);
            jmdns = JmDNS.create(address, host);
            jmdns.addServiceListener(LanDiscovery.SERVICE_TYPE, new Listener());
            log.debug("LAN discovery: browsing DNS-SD on {}", address);
        } catch (IOException | RuntimeException e) {
            log.warn("LAN discovery: DNS-SD browsing on {} failed; only beacons are heard", address, e);
            stop();
        }
    }

    /** Stops browsing (JmDNS says goodbye on the network, which takes about 2 s). Idempotent. */
    void stop() {
        if (jmdns != null) {
            try {
                jmdns.close();
            } catch (IOException | RuntimeException e) {
                log.debug("LAN discovery: closing JmDNS failed", e);
            }
            jmdns = null;
        }
    }

    private final class Listener implements ServiceListener {
        @Override
        public void serviceAdded(ServiceEvent event) {
            log.debug("LAN discovery: DNS-SD service added: {}", event.getName());
            // Asks for SRV/TXT/A records if they did not come with the PTR answer; waits 200 ms at most.
            DiscoveryRuntime.guarded(() -> event.getDNS().requestServiceInfo(event.getType(), event.getName(), 1));
        }

        @Override
        public void serviceRemoved(ServiceEvent event) {
            log.debug("LAN discovery: DNS-SD service removed: {}", event.getName());
            DiscoveryRuntime.guarded(() -> {
                String name = serviceKey(event);
                submit.accept(() -> table.serviceRemoved(name));
            });
        }

        @Override
        public void serviceResolved(ServiceEvent event) {
            DiscoveryRuntime.guarded(() -> resolved(event));
        }

        private void resolved(ServiceEvent event) {
            ServiceInfo info = event.getInfo();
            log.debug("LAN discovery: DNS-SD service resolved: {} {}", event.getName(), info);
            if (info == null) {
                return;
            }
            Map<String, String> txt = new HashMap<>();
            Iterator<String> names = Collections.list(info.getPropertyNames()).iterator();
            for (int i = 0; i < MAX_TXT_ENTRIES && names.hasNext(); i++) {
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
                submit.accept(() -> table.serviceResolved(name, beacon));
            } else {
                submit.accept(() -> table.serviceRemoved(name)); // it no longer says anything valid
            }
        }

        private String serviceKey(ServiceEvent event) {
            return event.getName().toLowerCase(Locale.ROOT);
        }

        private InetAddress first(InetAddress[] addresses) {
            return addresses != null && addresses.length > 0 ? addresses[0] : null;
        }
    }
}
