package dev.loudsync.core.internal;

import dev.loudsync.core.JoinRequest;
import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionListener;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's listeners. Events are told on the session's executor, to each listener in the order
 * it was added; an exception from one is logged and affects neither the others nor the session.
 * Listeners are added and removed from any thread.
 */
final class Listeners {

    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private final Session session;
    private final CopyOnWriteArrayList<SessionListener> list = new CopyOnWriteArrayList<>();

    Listeners(Session session) {
        this.session = session;
    }

    void add(SessionListener listener) {
        list.addIfAbsent(Objects.requireNonNull(listener, "listener"));
    }

    void remove(SessionListener listener) {
        list.remove(listener);
    }

    void memberJoined(Member member) {
        tell("memberJoined", l -> l.memberJoined(session, member));
    }

    void memberLeft(Member member, LeaveReason reason) {
        tell("memberLeft", l -> l.memberLeft(session, member, reason));
    }

    void memberUpdated(Member member) {
        tell("memberUpdated", l -> l.memberUpdated(session, member));
    }

    void hostChanged(Member host, Member previousHost) {
        tell("hostChanged", l -> l.hostChanged(session, host, previousHost));
    }

    void joinRequested(JoinRequest request) {
        tell("joinRequested", l -> l.joinRequested(session, request));
    }

    /** The session closed: each of the members {@code gone} left with it, then it is closed. */
    void sessionClosed(List<MemberState> gone) {
        for (MemberState m : gone) {
            memberLeft(m.member(), LeaveReason.SESSION_CLOSED);
        }
        tell("sessionClosed", l -> l.sessionClosed(session));
    }

    private void tell(String event, Consumer<SessionListener> call) {
        for (SessionListener l : list) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                log.warn("Listener {} failed on {} in session {}", l, event, session.id(), e);
            }
        }
    }
}
