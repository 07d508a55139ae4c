/**
 * LAN discovery: hosts advertise their open sessions, guests list the sessions nearby.
 *
 * <p>A host turns it on with
 * {@link dev.loudsync.netty.LoudSyncServer.Builder#lanDiscovery(LanAdvertising)} (off by default:
 * a library does not multicast unless asked). A guest lists sessions with {@link LanDiscovery}.
 * Both sides speak two mechanisms: DNS-SD (mDNS, service type {@value LanDiscovery#SERVICE_TYPE},
 * through JmDNS) and a UDP beacon (one JSON object per datagram, default port
 * {@value LanDiscovery#DEFAULT_BEACON_PORT}), as {@code PROTOCOL.md} describes under "LAN discovery".
 * DNS-SD needs JmDNS ({@code org.jmdns:jmdns}), an optional dependency: an application that turns
 * DNS-SD on (it is on by default) adds it; one that uses the beacon alone does not.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless it says so with
 * {@link org.jspecify.annotations.Nullable @Nullable}.
 */
@NullMarked
package dev.loudsync.netty.discovery;

import org.jspecify.annotations.NullMarked;
