/**
 * LoudSync's protocol as a state machine: sessions, members, the join rules, liveness and the
 * message model, with no network code.
 *
 * <p>Exported: the API ({@code dev.loudsync.core}), the protocol's messages and rules
 * ({@code dev.loudsync.core.protocol}) and the seam a transport implements
 * ({@code dev.loudsync.core.transport}). {@code dev.loudsync.core.internal} is exported to
 * {@code dev.loudsync.netty} alone, which shares its argument checks; it is no API.
 */
module dev.loudsync.core {
    requires org.slf4j;
    // Annotations only: not needed at run time, but visible to the users' null checkers.
    requires static transitive org.jspecify;

    exports dev.loudsync.core;
    exports dev.loudsync.core.protocol;
    exports dev.loudsync.core.transport;
    exports dev.loudsync.core.internal to dev.loudsync.netty;
}
