package dev.loudsync.netty.client.internal;

import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.protocol.StateView;
import dev.loudsync.netty.client.ClientListener;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's copy of the session's shared state (1.1): core's {@link StateView} over the host's
 * {@code STATE} and {@code STATE_PATCH}es, published for any thread before the listener is told of
 * the change (so a listener reading {@code state()} sees it). A {@code STATE} after a resume
 * replaces the copy whole.
 *
 * <p>Messages are applied on the client's event loop; {@link #state()} and {@link #version()} may
 * be read from any thread.
 */
final class ClientSharedState implements StateView.Listener {

    private static final Logger log = LoggerFactory.getLogger(ClientSharedState.class);

    /** The state and its version, published together. */
    private record Snapshot(long version, Map<String, Object> state) {
    }

    private final StateView view = new StateView();
    private final ClientListener listener;
    private final Consumer<Runnable> notify;
    private volatile Snapshot snapshot = new Snapshot(-1, Map.of());

    /** @param notify runs a listener call, isolating the client from what it throws */
    ClientSharedState(ClientListener listener, Consumer<Runnable> notify) {
        this.listener = listener;
        this.notify = notify;
    }

    Map<String, Object> state() {
        return snapshot.state;
    }

    long version() {
        return snapshot.version;
    }

    /** Applies {@code message} if it is {@code STATE} or {@code STATE_PATCH}; whether it was one. */
    boolean apply(HostMessage message) {
        if (!(message instanceof HostMessage.State) && !(message instanceof HostMessage.StatePatch)) {
            return false;
        }
        view.apply(message, this);
        return true;
    }

    @Override
    public void changed(long version, Map<String, Object> state, Map<String, Object> patch) {
        snapshot = new Snapshot(version, state);
        notify.accept(() -> listener.sharedStateChanged(version, state, patch));
    }

    @Override
    public void inconsistent(String what) {
        log.debug("The host's state message does not fit this client's copy: {}", what);
    }
}
