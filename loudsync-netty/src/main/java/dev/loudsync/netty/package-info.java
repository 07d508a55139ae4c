/**
 * The LoudSync host on Netty: {@link dev.loudsync.netty.LoudSyncServer} serves the protocol over
 * WebSocket (optionally with TLS, see {@link dev.loudsync.netty.ServerTls}) and plain HTTP through
 * a {@link dev.loudsync.netty.WebHandler} on the same port.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless it says so with
 * {@link org.jspecify.annotations.Nullable @Nullable}.
 */
@NullMarked
package dev.loudsync.netty;

import org.jspecify.annotations.NullMarked;
