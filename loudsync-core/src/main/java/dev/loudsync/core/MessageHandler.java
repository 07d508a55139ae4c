package dev.loudsync.core;

import dev.loudsync.core.protocol.ApplicationMessage;

/**
 * Handles one application message type sent by members, registered with
 * {@link Session#handle(String, MessageHandler)}.
 *
 * <p>Runs on the session's executor and must not block. The sender is the connection's member as
 * the session knows it, never anything the guest claimed in the payload. An exception is caught
 * and logged; the guest gets no error for it.
 */
@FunctionalInterface
public interface MessageHandler {

    /** Called for each message of the registered type from a member. */
    void onMessage(Session session, Member sender, ApplicationMessage message);
}
