package dev.loudsync.core.protocol;

/** Capabilities a guest may announce in {@code JOIN.capabilities}. Unknown names are ignored. */
public final class Capability {
    /** The guest understands {@code MEMBERS_CHANGED} batches instead of one message per change. */
    public static final String MEMBERS_CHANGED = "membersChanged";
    /** 1.1: the guest keeps the session's shared state: {@code STATE}, then {@code STATE_PATCH}es. */
    public static final String STATE = "state";

    private Capability() {
    }
}
