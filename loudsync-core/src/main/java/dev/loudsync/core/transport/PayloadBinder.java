package dev.loudsync.core.transport;

import java.util.Map;

/**
 * Binds an application message's payload to a class of the application's own, for
 * {@link dev.loudsync.core.Session#respond(String, Class, dev.loudsync.core.PayloadHandler)}. The
 * core knows no JSON library: a transport supplies one (the Netty server binds with Jackson).
 *
 * <p>Called on a session's executor; must be thread-safe and must not block.
 */
public interface PayloadBinder {

    /**
     * Binds {@code payload} (plain JSON values) to {@code type}.
     *
     * @throws IllegalArgumentException if it does not bind, with a reason safe to show to the guest
     *                                  (a field name, not an exception class)
     */
    <T> T bind(Map<String, Object> payload, Class<T> type);
}
