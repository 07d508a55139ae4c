/**
 * The engine behind {@link dev.loudsync.netty.client.LoudSyncClient}: connections, the member
 * view, heartbeats and pings, reconnect decisions. Not API.
 */
package dev.loudsync.netty.client.internal;
