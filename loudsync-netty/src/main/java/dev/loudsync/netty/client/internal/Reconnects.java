package dev.loudsync.netty.client.internal;

import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.netty.client.ReconnectPolicy;
import java.time.Duration;
import java.util.Random;

/**
 * The client's reconnect decisions: after a lost connection (no close frame, 1001, 1011-1013) or a
 * reconnectable close (4000-4499) of a membership it joined, try again as the policy says; never
 * after a final code (4500-4999), a normal close of a joined membership, {@code KICKED},
 * {@code SESSION_CLOSED} or its own {@code LEAVE}. Event-loop confined.
 */
final class Reconnects {

    /** What follows the end of a connection. */
    enum Outcome {
        /** Nothing: the membership ended normally (a kick and the end of the session included). */
        ENDED,
        /** Nothing: the host refused with a final code. */
        REFUSED,
        /** Nothing: not reconnectable, never joined, or the policy ran out of attempts. */
        GAVE_UP,
        /** Try again after {@link #nextDelay()}. */
        RETRY
    }

    private final ReconnectPolicy policy;
    private final Random random = new Random();
    private int attempts;

    Reconnects(ReconnectPolicy policy) {
        this.policy = policy;
    }

    /** Starts counting attempts from 0 again: a new connect, or a successful join. */
    void reset() {
        attempts = 0;
    }

    /**
     * @param closeCode  the close code, 1006 when the connection ended without one
     * @param finalEnd   whether the host kicked this client or ended the session
     * @param everJoined whether a {@code WELCOME} gave this client a membership to resume
     */
    Outcome decide(int closeCode, boolean finalEnd, boolean everJoined) {
        if (finalEnd || (closeCode == 1000 && everJoined)) {
            return Outcome.ENDED;
        }
        if (CloseCode.isFinal(closeCode)) {
            return Outcome.REFUSED;
        }
        boolean reconnectable = CloseCode.isReconnectable(closeCode) || closeCode == 1001 || closeCode == 1006
                || (closeCode >= 1011 && closeCode <= 1013);
        if (!everJoined || !reconnectable || attempts >= policy.maxAttempts()) {
            return Outcome.GAVE_UP;
        }
        return Outcome.RETRY;
    }

    /** The wait before the next attempt, which it counts. */
    Duration nextDelay() {
        return policy.delay(attempts++, random);
    }
}
