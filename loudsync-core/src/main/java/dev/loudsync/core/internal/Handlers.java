package dev.loudsync.core.internal;

import dev.loudsync.core.MessageHandler;
import dev.loudsync.core.PayloadHandler;
import dev.loudsync.core.RequestHandler;
import dev.loudsync.core.Session;
import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.MessageTypes;
import dev.loudsync.core.transport.PayloadBinder;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The application's handlers, one per application type, each adapted to return its result (for
 * an {@code ACK}): fire-and-forget {@link MessageHandler}s return none, {@link PayloadHandler}s get
 * their payload bound first. Registered from any thread; read on the session's executor.
 */
final class Handlers {

    /** A handling: the result of one application message, as {@link RequestHandler} defines it. */
    @FunctionalInterface
    interface Handler {
        Object handle(MemberState sender, ApplicationMessage message);
    }

    private final Session session;
    /** Binds payloads for typed handlers; null if the transport has none. */
    private final PayloadBinder binder;
    private final Map<String, Handler> byType = new ConcurrentHashMap<>();

    Handlers(Session session, PayloadBinder binder) {
        this.session = session;
        this.binder = binder;
    }

    /** The handler of {@code type}, or null. */
    Handler get(String type) {
        return byType.get(type);
    }

    void handle(String type, MessageHandler handler) {
        Objects.requireNonNull(handler, "handler");
        put(type, (sender, message) -> {
            handler.onMessage(session, sender.member(), message);
            return null;
        });
    }

    void respond(String type, RequestHandler handler) {
        Objects.requireNonNull(handler, "handler");
        put(type, (sender, message) -> handler.onRequest(session, sender.member(), message));
    }

    <T> void respond(String type, Class<T> payloadType, PayloadHandler<T> handler) {
        Objects.requireNonNull(payloadType, "payloadType");
        Objects.requireNonNull(handler, "handler");
        if (binder == null) {
            throw new IllegalStateException("respond: no payload binder (the registry's transport binds none; "
                    + "use respond(type, RequestHandler))");
        }
        put(type, (sender, message) -> {
            T payload;
            try {
                payload = binder.bind(message.payload(), payloadType);
            } catch (IllegalArgumentException e) {
                throw Inbox.invalidPayload(type, e.getMessage());
            }
            return handler.onRequest(session, sender.member(), payload);
        });
    }

    private void put(String type, Handler handler) {
        requireApplicationType(type);
        byType.put(type, handler);
    }

    /** An application message from the application, checked. */
    static ApplicationMessage applicationMessage(String type, Map<String, ?> payload) {
        requireApplicationType(type);
        @SuppressWarnings("unchecked")
        Map<String, Object> body = payload == null ? Map.of() : (Map<String, Object>) payload;
        return new ApplicationMessage(type, body);
    }

    /** @throws IllegalArgumentException unless {@code type} is an application type */
    static void requireApplicationType(String type) {
        Objects.requireNonNull(type, "type");
        if (!MessageTypes.isApplicationType(type)) {
            throw new IllegalArgumentException("type: " + type
                    + " (expected: upper case [A-Z][A-Z0-9_]*, not a protocol type)");
        }
    }
}
