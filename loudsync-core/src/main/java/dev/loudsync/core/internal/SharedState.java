package dev.loudsync.core.internal;

import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.protocol.StateView;
import java.util.Map;

/**
 * The session's shared state (1.1): one JSON object, changed only by the application with merge
 * patches, each one version more.
 *
 * <p>Invariants: the state is a deep unmodifiable plain-JSON object without {@code null}; its
 * compact JSON encoding is at most {@code maxStateBytes}; {@link #current()} is the state at
 * {@link #version()}, and every state-keeping guest got either that {@code STATE} or the patches
 * leading to it. A patch that changes nothing is no change: no version, no message. Confined to
 * the session's executor, but {@link #current()}, which any thread may read.
 */
final class SharedState {

    private final int maxBytes;
    private volatile HostMessage.State current = new HostMessage.State(0, Map.of());

    SharedState(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The state and its version, as one immutable message (what a newcomer gets). */
    HostMessage.State current() {
        return current;
    }

    long version() {
        return current.version();
    }

    /**
     * Applies a merge patch.
     *
     * @return the patch to send to the state-keeping members, with the new version; null if the
     *         patch changed nothing
     * @throws IllegalArgumentException if the patch is not plain JSON (a {@code null} inside an
     *                                  array included), or the state would grow past the limit
     */
    HostMessage.StatePatch patch(Map<?, ?> mergePatch) {
        Map<String, Object> patch = JsonValues.copyObject(mergePatch, true);
        Map<String, Object> next = StateView.apply(current.state(), patch);
        if (next.equals(current.state())) {
            return null;
        }
        long size = JsonValues.encodedSize(next);
        if (size > maxBytes) {
            throw new IllegalArgumentException("state: " + size + " bytes after the patch (expected: at most "
                    + maxBytes + ", the session's maxStateBytes)");
        }
        long version = current.version() + 1;
        current = new HostMessage.State(version, next);
        return new HostMessage.StatePatch(version, patch);
    }
}
