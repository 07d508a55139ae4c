package dev.loudsync.netty.discovery.internal;

/**
 * Whether DNS-SD can run: it needs JmDNS, an optional dependency of {@code loudsync-netty}, so that
 * applications without LAN discovery, or with beacons alone, do not carry it.
 */
public final class DnsSdSupport {

    /** The Maven coordinates an application adds to use DNS-SD. */
    static final String ARTIFACT = "org.jmdns:jmdns";

    private static final boolean AVAILABLE = present("javax.jmdns.JmDNS");

    private DnsSdSupport() {
    }

    /**
     * Throws when JmDNS is missing, at once where DNS-SD is turned on (a builder's
     * {@code build()}) rather than when discovery starts.
     *
     * @param where what asks for DNS-SD, for the message ({@code "LanAdvertising"})
     * @throws IllegalStateException if JmDNS is neither on the class path nor on the module path
     */
    public static void requireJmDns(String where) {
        if (!AVAILABLE) {
            throw new IllegalStateException(where + ": DNS-SD needs JmDNS, an optional dependency of "
                    + "loudsync-netty: add " + ARTIFACT + " to the application (on the module path, also "
                    + "'requires javax.jmdns'), or turn DNS-SD off with dnsSd(false) and use the UDP beacon alone");
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, DnsSdSupport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
