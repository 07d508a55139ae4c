package dev.loudsync.netty;

import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Answers plain HTTP requests on the server's port later: for handlers that must wait for
 * something (a database, a file), which a {@link WebHandler} on the network thread must not.
 * WebSocket upgrades never reach it.
 *
 * <p>Called on a network thread and must return at once; the stage may complete on any thread,
 * and the answer is written when it does (null for 404, an exceptional completion for 500, logged).
 * The connection reads no further request meanwhile, so answers keep the requests' order.
 */
@FunctionalInterface
public interface AsyncWebHandler {

    /** The response to come, or a stage of null for 404. */
    CompletionStage<@Nullable WebResponse> handle(WebRequest request);
}
