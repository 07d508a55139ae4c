package dev.loudsync.core;

import org.jspecify.annotations.Nullable;

/**
 * Opens a session on demand when a {@code JOIN} names one that is not open (1.1): for apps whose
 * sessions outlive their open time, such as chat rooms kept in a database, which would otherwise
 * have to stay open for good to stay joinable. Installed with
 * {@link SessionRegistry.Builder#sessionOpener}.
 *
 * <p>Called on the thread that reads the {@code JOIN} (a network thread of a server), possibly by
 * several at once for the same id: it must answer from memory without blocking, open the session
 * on the same registry (or server), configure it (handlers, listeners) before returning, and
 * return the session already open when another call opened it first. The {@code JOIN} then goes to
 * the session, as to any other. Returning null, or throwing (logged), refuses the join with
 * {@code SESSION_NOT_FOUND} as before.
 */
@FunctionalInterface
public interface SessionOpener {

    /**
     * The session with {@code sessionId}, opened now, or null when there is none to open.
     *
     * @param sessionId the id the {@code JOIN} names, as the guest wrote it (ids compare
     *                  case-insensitively, ignoring {@code -} and spaces: see {@link SessionCodes#normalize})
     */
    @Nullable Session open(String sessionId);
}
