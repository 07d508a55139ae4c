package dev.loudsync.netty;

/**
 * Where a {@link LoudSyncServer} is in its life. It only moves forward:
 * {@code NEW → STARTING → RUNNING → STOPPING → STOPPED}, with two shortcuts: a server stopped before
 * it started goes from {@code NEW} straight to {@code STOPPED}, and one whose port could not be
 * bound from {@code STARTING} to {@code STOPPED}.
 *
 * @see LoudSyncServer#state()
 */
public enum ServerState {
    /** Built, not started: sessions can be opened, nothing listens yet. */
    NEW,
    /** {@link LoudSyncServer#start()} was called; the port is being bound. */
    STARTING,
    /** The port is bound and connections are served. */
    RUNNING,
    /**
     * {@link LoudSyncServer#stop()} was called: sessions are being closed and goodbyes written; no
     * new join is accepted.
     */
    STOPPING,
    /** Every connection is closed and the port released; a stopped server cannot start again. */
    STOPPED
}
