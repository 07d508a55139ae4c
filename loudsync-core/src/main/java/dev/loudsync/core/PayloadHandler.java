package dev.loudsync.core;

import org.jspecify.annotations.Nullable;

/**
 * Like {@link RequestHandler}, but receives the payload bound to a class of the application's own
 * (a record, for example), registered with {@link Session#respond(String, Class, PayloadHandler)}.
 * A payload that does not bind is answered {@code ERROR INVALID_MESSAGE} and never reaches the
 * handler.
 *
 * @param <T> the payload's class
 */
@FunctionalInterface
public interface PayloadHandler<T> {

    /** Handles one message from {@code sender} and returns its result (see {@link RequestHandler}). */
    @Nullable Object onRequest(Session session, Member sender, T payload);
}
