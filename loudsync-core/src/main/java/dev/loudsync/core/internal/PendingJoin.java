package dev.loudsync.core.internal;

import dev.loudsync.core.AuthDecision;
import dev.loudsync.core.JoinRequest;
import dev.loudsync.core.protocol.GuestMessage.Join;

/** A join waiting for the host's decision, with what its authentication decided. */
record PendingJoin(GuestConnection connection, Join join, JoinRequest request, AuthDecision decision) {
}
