package dev.loudsync.core.protocol;

/** Capabilities a guest may announce in {@code JOIN.capabilities}. Unknown names are ignored. */
public final class Capability {
    /** The guest understands {@code MEMBERS_CHANGED} batches instead of one message per change. */
    public static final String MEMBERS_CHANGED = "membersChanged";
    /** 1.1: the guest keeps the session's shared state: {@code STATE}, then {@code STATE_PATCH}es. */
    public static final String STATE = "state";
    /**
     * The guest shows every member's latency, so it gets every latency change even in a session
     * too large for everyone to (see {@code Session.members()}); the host and cohosts always do.
     */
    public static final String LATENCIES = "latencies";

    private Capability() {
    }
}
