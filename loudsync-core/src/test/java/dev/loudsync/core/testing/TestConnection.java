package dev.loudsync.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.loudsync.core.UpgradeRequest;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.protocol.StateView;
import dev.loudsync.core.transport.Connection;
import dev.loudsync.core.transport.ConnectionHandler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory connection: records what the core sends, and lets a test speak for the guest.
 * Closing it reports {@code onClosed} back, as a real transport would once the socket is closed.
 */
public final class TestConnection {

    private final String remoteAddress;
    private final Deque<HostMessage> inbox = new ArrayDeque<>();
    private final List<HostMessage> all = new ArrayList<>();
    private ConnectionHandler handler;
    private CloseCode closedWith;
    private int keepAlives;
    private boolean reportedClosed;
    /** The guest's view of the members follows every message it receives. */
    public final GuestView view = new GuestView();
    /** The guest's copy of the shared state follows every message it receives; a gap fails. */
    public final StateView state = new StateView();
    private UpgradeRequest upgradeRequest;
    /** Whether the guest was written for version 1: its view knows nothing of HOST_CHANGED. */
    private boolean version1;
    /** ACKs and ERRORs received, by the request id they answer. */
    private final Map<String, Integer> answers = new HashMap<>();

    public TestConnection(String remoteAddress) {
        this.remoteAddress = remoteAddress;
    }

    void attach(ConnectionHandler h) {
        this.handler = h;
    }

    public ConnectionHandler handler() {
        return handler;
    }

    /** The host's side of the wire. */
    final Connection wire = new Connection() {
        @Override
        public void send(HostMessage message) {
            if (closedWith != null || reportedClosed) {
                return;
            }
            inbox.add(message);
            all.add(message);
            String replyTo = message instanceof HostMessage.Ack ? ((HostMessage.Ack) message).replyTo()
                    : message instanceof HostMessage.Error ? ((HostMessage.Error) message).replyTo() : null;
            if (replyTo != null) {
                answers.merge(replyTo, 1, Integer::sum);
            }
            if (!(version1 && message instanceof HostMessage.HostChanged)) {
                view.apply(message);
            }
            state.apply(message, STRICT_STATE);
        }

        @Override
        public void close(CloseCode code) {
            if (closedWith != null || reportedClosed) {
                return;
            }
            closedWith = code;
            reportClosed();
        }

        @Override
        public void sendKeepAlive() {
            if (closedWith == null) {
                keepAlives++;
            }
        }

        @Override
        public String remoteAddress() {
            return remoteAddress;
        }

        @Override
        public UpgradeRequest upgradeRequest() {
            return upgradeRequest != null ? upgradeRequest : UpgradeRequest.unknown(remoteAddress);
        }
    };

    private static final StateView.Listener STRICT_STATE = new StateView.Listener() {
        @Override
        public void inconsistent(String what) {
            fail("inconsistent state: " + what);
        }
    };

    /**
     * Makes the guest's view one of a client written for version 1, which ignores
     * {@code HOST_CHANGED} and follows role changes through {@code MEMBER_UPDATED} alone.
     */
    public TestConnection asVersion1() {
        this.version1 = true;
        return this;
    }

    /** What the connection's upgrade request showed, for authenticators; set before joining. */
    public TestConnection withUpgradeRequest(UpgradeRequest request) {
        this.upgradeRequest = request;
        return this;
    }

    // ---- the guest's side

    /** The guest sends a message. */
    public TestConnection send(GuestMessage message) {
        handler.onMessage(message);
        return this;
    }

    /** The guest sends a frame the codec could not decode. */
    public TestConnection sendInvalid(String type, String detail) {
        handler.onInvalidMessage(type, detail);
        return this;
    }

    /** The guest sends a frame with request id {@code id} that the codec could not decode. */
    public TestConnection sendInvalid(String type, String id, String detail) {
        handler.onInvalidMessage(type, id, detail);
        return this;
    }

    /** The socket is lost without a close frame from the host. */
    public void drop() {
        reportClosed();
    }

    private void reportClosed() {
        if (!reportedClosed) {
            reportedClosed = true;
            handler.onClosed();
        }
    }

    // ---- assertions

    public boolean isOpen() {
        return closedWith == null && !reportedClosed;
    }

    public CloseCode closeCode() {
        return closedWith;
    }

    /** How many ACKs and ERRORs named request {@code id} so far. */
    public int answersTo(String id) {
        return answers.getOrDefault(id, 0);
    }

    public int keepAlives() {
        return keepAlives;
    }

    /** Every message received, in order. */
    public List<HostMessage> received() {
        return List.copyOf(all);
    }

    /** Takes the next unread message, which must be of {@code type}. */
    public <T extends HostMessage> T next(Class<T> type) {
        HostMessage m = inbox.poll();
        if (m == null) {
            fail("expected a %s but no message is left", type.getSimpleName());
        }
        assertThat(m).as("next message").isInstanceOf(type);
        return type.cast(m);
    }

    /** Takes the next unread message, an ERROR, and checks its code and message. */
    public HostMessage.Error nextError() {
        return next(HostMessage.Error.class);
    }

    /** Unread messages, which are marked read. */
    public List<HostMessage> drain() {
        List<HostMessage> list = new ArrayList<>(inbox);
        inbox.clear();
        return list;
    }

    /** Fails if any message is unread (other than the given types, which are skipped). */
    @SafeVarargs
    public final void assertNothingUnread(Class<? extends HostMessage>... ignored) {
        List<HostMessage> left = new ArrayList<>();
        for (HostMessage m : inbox) {
            boolean skip = false;
            for (Class<? extends HostMessage> c : ignored) {
                skip |= c.isInstance(m);
            }
            if (!skip) {
                left.add(m);
            }
        }
        assertThat(left).as("unread messages").isEmpty();
        inbox.clear();
    }

    @Override
    public String toString() {
        return "TestConnection{" + remoteAddress + "}";
    }
}
