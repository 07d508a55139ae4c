package dev.loudsync.core.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A guest's copy of the session's shared state (1.1), built from what the host sends: its
 * {@code STATE}, then each {@code STATE_PATCH} applied as a JSON Merge Patch (RFC 7386). Whenever
 * the session is quiet it equals the session's state.
 *
 * <p>A patch whose version is not exactly one more than the view's is not applied and reported to
 * {@link Listener#inconsistent}: a client carries on (and may rejoin for a fresh {@code STATE}), a
 * test fails. Patches before the first {@code STATE} are ignored.
 *
 * <p>Not thread-safe: one thread applies messages; {@link #state()} returns an unmodifiable
 * snapshot that may be handed to any thread.
 */
public final class StateView {

    /** Told of each change a message makes. Both methods default to nothing. */
    public interface Listener {
        /** The state changed to {@code state} at {@code version}, by a whole {@code STATE} or by {@code patch}. */
        default void changed(long version, Map<String, Object> state, @Nullable Map<String, @Nullable Object> patch) {
        }

        /** A patch did not fit the view, described by {@code what}. */
        default void inconsistent(String what) {
        }
    }

    private static final Listener NONE = new Listener() {
    };

    private Map<String, Object> state = Map.of();
    private long version = -1;

    /** Whether a {@code STATE} arrived yet. */
    public boolean hasState() {
        return version >= 0;
    }

    /** The state's version; -1 before the first {@code STATE}. */
    public long version() {
        return version;
    }

    /** The state, unmodifiable; empty before the first {@code STATE}. */
    public Map<String, Object> state() {
        return state;
    }

    /** Applies {@code message}; see {@link #apply(HostMessage, Listener)}. */
    public boolean apply(HostMessage message) {
        return apply(message, NONE);
    }

    /**
     * Applies {@code message} if it is about the state, telling {@code listener}.
     *
     * @return whether the view changed
     */
    public boolean apply(HostMessage message, Listener listener) {
        if (message instanceof HostMessage.State) {
            HostMessage.State s = (HostMessage.State) message;
            state = s.state();
            version = s.version();
            listener.changed(version, state, null);
            return true;
        }
        if (!(message instanceof HostMessage.StatePatch) || version < 0) {
            return false;
        }
        HostMessage.StatePatch p = (HostMessage.StatePatch) message;
        if (p.version() != version + 1) {
            listener.inconsistent("STATE_PATCH " + p.version() + " after version " + version);
            return false;
        }
        state = apply(state, p.patch());
        version = p.version();
        listener.changed(version, state, p.patch());
        return true;
    }

    /**
     * {@code target} with {@code patch} applied as a JSON Merge Patch (RFC 7386): objects merge key
     * by key, {@code null} removes a key, anything else (arrays included) replaces. Neither argument
     * is changed; the result is unmodifiable and shares what did not change.
     */
    public static Map<String, Object> apply(Map<String, Object> target, Map<String, @Nullable Object> patch) {
        Map<String, Object> result = new LinkedHashMap<>(target);
        for (Map.Entry<String, Object> e : patch.entrySet()) {
            Object value = e.getValue();
            if (value == null) {
                result.remove(e.getKey());
            } else if (value instanceof Map) {
                Object old = result.get(e.getKey());
                @SuppressWarnings("unchecked")
                Map<String, Object> base = old instanceof Map ? (Map<String, Object>) old : Map.of();
                @SuppressWarnings("unchecked")
                Map<String, Object> sub = (Map<String, Object>) value;
                result.put(e.getKey(), apply(base, sub));
            } else {
                result.put(e.getKey(), value);
            }
        }
        return Collections.unmodifiableMap(result);
    }
}
