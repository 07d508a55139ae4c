/**
 * The seam between the session core and a transport: a transport implements
 * {@link dev.loudsync.core.transport.Connection} for each guest (and may implement
 * {@link dev.loudsync.core.transport.Broadcaster}) and feeds what arrives to the
 * {@link dev.loudsync.core.transport.ConnectionHandler} the registry gives it.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless it says so with
 * {@link org.jspecify.annotations.Nullable @Nullable}.
 */
@NullMarked
package dev.loudsync.core.transport;

import org.jspecify.annotations.NullMarked;
