/** The engine behind LAN discovery: beacon format, host-side advertiser, DNS-SD publisher. Not API. */
package dev.loudsync.netty.discovery.internal;
