/**
 * The session model, with no network code: {@link dev.loudsync.core.SessionRegistry} opens
 * {@link dev.loudsync.core.Session sessions}, each with its members, roles, join rules,
 * heartbeats, shared state and listeners, and runs them on a
 * {@link dev.loudsync.core.SerialExecutor} per session. The test kit ({@code loudsync-testing})
 * drives time by hand in tests.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless it says so with
 * {@link org.jspecify.annotations.Nullable @Nullable}.
 */
@NullMarked
package dev.loudsync.core;

import org.jspecify.annotations.NullMarked;
