/**
 * A guest in Java: {@link dev.loudsync.netty.client.LoudSyncClient} joins a session, keeps the live
 * member list, syncs its clock with the host's and reconnects after a lost connection.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless it says so with
 * {@link org.jspecify.annotations.Nullable @Nullable}.
 */
@NullMarked
package dev.loudsync.netty.client;

import org.jspecify.annotations.NullMarked;
