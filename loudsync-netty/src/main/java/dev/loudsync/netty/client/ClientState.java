package dev.loudsync.netty.client;

/** Where a {@link LoudSyncClient} is in its life. */
public enum ClientState {
    /** Not connected and not trying: before {@code connect()}, after a goodbye, kick or session end. */
    DISCONNECTED,
    /** Opening the first connection and joining. */
    CONNECTING,
    /** Joined: {@code WELCOME} received. */
    CONNECTED,
    /** The connection was lost; trying again with backoff, to resume the membership. */
    RECONNECTING,
    /** Gave up: a final refusal (close codes 4500–4999) or the reconnect policy ran out. */
    FAILED
}
