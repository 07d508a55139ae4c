/**
 * The LoudSync wire protocol as Java values: the messages a guest sends
 * ({@link dev.loudsync.core.protocol.GuestMessage}) and a host sends
 * ({@link dev.loudsync.core.protocol.HostMessage}), close and error codes, and the field rules
 * both sides check ({@link dev.loudsync.core.protocol.ProtocolRules}).
 *
 * <p>Nothing in this package accepts or returns {@code null} unless it says so with
 * {@link org.jspecify.annotations.Nullable @Nullable}: a field the protocol makes optional is
 * {@code @Nullable} in its record.
 */
@NullMarked
package dev.loudsync.core.protocol;

import org.jspecify.annotations.NullMarked;
