/**
 * The engine behind LAN discovery: the beacon format; on the host's side the advertiser and the
 * DNS-SD publisher; on the guest's side the runtime, the beacon receiver, the DNS-SD browser and
 * the table of sessions heard of. Not API.
 */
package dev.loudsync.netty.discovery.internal;
