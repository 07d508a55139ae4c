package dev.loudsync.netty;

import org.jspecify.annotations.Nullable;

/**
 * Answers plain HTTP requests on the server's port, for example to serve a guest page. WebSocket
 * upgrades never reach it.
 *
 * <p>Runs on a network thread: it must not block (serve from memory). An exception is logged and
 * answered with 500.
 */
@FunctionalInterface
public interface WebHandler {

    /** The response, or null for 404. */
    @Nullable WebResponse handle(WebRequest request);
}
