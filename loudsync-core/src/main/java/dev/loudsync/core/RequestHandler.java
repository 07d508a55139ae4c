package dev.loudsync.core;

import dev.loudsync.core.protocol.ApplicationMessage;
import org.jspecify.annotations.Nullable;

/**
 * Handles one application message type and returns its result (1.1), registered with
 * {@link Session#respond(String, RequestHandler)}.
 *
 * <p>When the guest's message has an {@code id}, the result goes back in
 * {@code ACK {replyTo, result}}: a value (plain JSON values, or anything the transport can write as
 * JSON, such as a record), {@code null} for an {@code ACK} without result, or a
 * {@link java.util.concurrent.CompletionStage} that completes with one of those later. Throwing (or
 * completing the stage with) a {@link RequestRejectedException} answers {@code ERROR} with its code
 * and text; anything else unexpected answers {@code ERROR SERVER_ERROR "Internal error"} and is
 * logged. A stage still running after 10 s is answered {@code ERROR SERVER_ERROR "Timed out"}.
 * Messages the handling sends to the sender (through the {@link Session}) reach it before the
 * {@code ACK}. Without an {@code id}, success is silent.
 *
 * <p>Runs on the session's executor and must not block: return a stage for slow work.
 */
@FunctionalInterface
public interface RequestHandler {

    /** Handles one message from {@code sender} and returns its result (see the class comment). */
    @Nullable Object onRequest(Session session, Member sender, ApplicationMessage message);
}
