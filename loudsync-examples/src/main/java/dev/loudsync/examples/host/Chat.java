package dev.loudsync.examples.host;

import dev.loudsync.core.Member;
import dev.loudsync.core.MessageHandler;
import dev.loudsync.core.Session;
import dev.loudsync.core.protocol.ApplicationMessage;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application-message demo: a member's {@code CHAT {text}} goes to every member, the sender
 * included, as {@code CHAT {from, text}}. {@code from} is the sender's device id as the session
 * knows it, whatever the payload says.
 */
final class Chat implements MessageHandler {

    static final String TYPE = "CHAT";

    /** The longest text relayed, in characters (code points). */
    static final int MAX_TEXT_LENGTH = 1000;

    private static final Logger log = LoggerFactory.getLogger(Chat.class);

    @Override
    public void onMessage(Session session, Member sender, ApplicationMessage message) {
        Object text = message.payload().get("text");
        if (!(text instanceof String s) || s.isEmpty() || s.codePointCount(0, s.length()) > MAX_TEXT_LENGTH) {
            log.debug("Ignored a CHAT from {}: text is not a string of 1 to {} characters", sender.id(),
                    MAX_TEXT_LENGTH);
            return;
        }
        session.broadcast(TYPE, Map.of("from", sender.id(), "text", s));
    }
}
