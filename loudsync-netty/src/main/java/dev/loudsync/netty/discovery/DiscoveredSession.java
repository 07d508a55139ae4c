package dev.loudsync.netty.discovery;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A session some host advertises on the LAN, as {@link LanDiscovery} last heard of it: an
 * immutable snapshot. Sessions are told apart by normalized session id
 * ({@link dev.loudsync.core.SessionCodes#normalize}), host address and port; the same session
 * heard by beacon and by DNS-SD is one entry, with the latest values either source reported.
 *
 * @param sessionId   the session id to join with, as the host configured it
 * @param sessionName the session's display name
 * @param hostId      the host device's id
 * @param hostName    the host device's display name
 * @param address     where to connect: the host's address and the server's port
 *                    ({@code ws://address:port/})
 * @param memberCount members, host included, when last heard
 * @param maxMembers  capacity, host included
 * @param pinRequired whether joining needs a PIN (false for a host in the original format, which
 *                    does not say: its session may still ask for one when joining)
 * @param loudSyncNative whether the host announces itself as LoudSync's hosts do, with the protocol
 *                    version and whether a PIN is needed; false for a host built to the original
 *                    design, whose beacon has neither (it is listed as protocol version 1, no PIN)
 * @param seenBy      the mechanisms that currently report the session; never empty
 * @param lastSeen    when the session was last heard of, by the discovery's time source
 */
public record DiscoveredSession(String sessionId, String sessionName, String hostId, String hostName,
        InetSocketAddress address, int memberCount, int maxMembers, boolean pinRequired, boolean loudSyncNative,
        Set<Source> seenBy, Instant lastSeen) {

    /** How a session was heard of. */
    public enum Source {
        /** A UDP beacon. */
        BEACON,
        /** A DNS-SD (mDNS) service. */
        DNS_SD
    }

    public DiscoveredSession {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(sessionName, "sessionName");
        Objects.requireNonNull(hostId, "hostId");
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(address, "address");
        EnumSet<Source> sources = EnumSet.noneOf(Source.class);
        sources.addAll(seenBy);
        seenBy = Collections.unmodifiableSet(sources);
        Objects.requireNonNull(lastSeen, "lastSeen");
    }
}
