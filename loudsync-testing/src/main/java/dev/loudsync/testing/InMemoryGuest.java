package dev.loudsync.testing;

import dev.loudsync.core.Member;
import dev.loudsync.core.UpgradeRequest;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.protocol.MemberView;
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
 * A guest connected to a session without a network: the test speaks for the guest
 * ({@link #send}), reads what the host sent ({@link #next}), and keeps the guest's view of the
 * members and of the shared state, as a real client would build them. Made by an
 * {@link InMemoryTransport}.
 *
 * <pre>{@code
 * InMemoryGuest phone = transport.join(session, "phone-1");
 * HostMessage.Welcome welcome = phone.next(HostMessage.Welcome.class);
 * phone.next(HostMessage.MemberList.class);
 * phone.assertNothingUnread();
 * assertThat(phone.members()).isEqualTo(session.members());
 * }</pre>
 *
 * <p>Strict: a membership delta or state patch that does not fit the guest's view throws
 * {@link AssertionError} at once, where the host sent it; so do {@link #next} and
 * {@link #assertNothingUnread} when what was received is not what the test expects. Closing the
 * connection reports the close back to the core, as a real transport would once the socket is
 * closed. Not thread-safe: use it from the thread that runs the session (with {@link ManualTime},
 * the test's).
 */
public final class InMemoryGuest {

    private final String remoteAddress;
    private final Deque<HostMessage> unread = new ArrayDeque<>();
    private final List<HostMessage> received = new ArrayList<>();
    private final Map<String, Integer> answers = new HashMap<>();
    private final MemberView members = new MemberView();
    private final StateView state = new StateView();
    private ConnectionHandler handler;
    private UpgradeRequest upgradeRequest;
    private CloseCode closedWith;
    private int keepAlives;
    private boolean reportedClosed;
    private boolean version1;

    private static final MemberView.Changes STRICT_MEMBERS = new MemberView.Changes() {
        @Override
        public void inconsistent(String what) {
            throw new AssertionError("inconsistent membership delta: " + what);
        }
    };

    private static final StateView.Listener STRICT_STATE = new StateView.Listener() {
        @Override
        public void inconsistent(String what) {
            throw new AssertionError("inconsistent state patch: " + what);
        }
    };

    InMemoryGuest(String remoteAddress) {
        this.remoteAddress = remoteAddress;
    }

    void attach(ConnectionHandler h) {
        this.handler = h;
    }

    /** The host's side of the wire: what the core sends to. */
    final Connection wire = new Connection() {
        @Override
        public void send(HostMessage message) {
            if (closedWith != null || reportedClosed) {
                return;
            }
            unread.add(message);
            received.add(message);
            String replyTo = message instanceof HostMessage.Ack ? ((HostMessage.Ack) message).replyTo()
                    : message instanceof HostMessage.Error ? ((HostMessage.Error) message).replyTo() : null;
            if (replyTo != null) {
                answers.merge(replyTo, 1, Integer::sum);
            }
            if (!(version1 && message instanceof HostMessage.HostChanged)) {
                members.apply(message, STRICT_MEMBERS);
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

    // ------------------------------------------------------------------ the guest's side

    /** The guest sends {@code message}. */
    public InMemoryGuest send(GuestMessage message) {
        handler.onMessage(message);
        return this;
    }

    /** The guest sends a frame the codec could not decode, with what a codec would report. */
    public InMemoryGuest sendInvalid(String type, String detail) {
        handler.onInvalidMessage(type, detail);
        return this;
    }

    /** The guest sends a frame with request id {@code id} that the codec could not decode. */
    public InMemoryGuest sendInvalid(String type, String id, String detail) {
        handler.onInvalidMessage(type, id, detail);
        return this;
    }

    /** The socket is lost without a close frame from the host. */
    public void drop() {
        reportClosed();
    }

    /** The core's handler of this connection, to report transport events (a pong, a full buffer). */
    public ConnectionHandler handler() {
        return handler;
    }

    /** What the connection's upgrade request showed, for authenticators; set it before the {@code JOIN}. */
    public InMemoryGuest withUpgradeRequest(UpgradeRequest request) {
        this.upgradeRequest = request;
        return this;
    }

    /**
     * Makes the guest's member view one of a client written for version 1, which ignores
     * {@code HOST_CHANGED} and follows role changes through {@code MEMBER_UPDATED} alone.
     */
    public InMemoryGuest asVersion1() {
        this.version1 = true;
        return this;
    }

    private void reportClosed() {
        if (!reportedClosed) {
            reportedClosed = true;
            handler.onClosed();
        }
    }

    // ------------------------------------------------------------------ what it received

    /** Whether the connection is open: the host did not close it, and it was not dropped. */
    public boolean isOpen() {
        return closedWith == null && !reportedClosed;
    }

    /** The close code the host closed the connection with; null while open or after {@link #drop}. */
    public CloseCode closeCode() {
        return closedWith;
    }

    /** Keep-alive probes (WebSocket pings) the host sent. */
    public int keepAlives() {
        return keepAlives;
    }

    /** Every message received, in order, read or not. */
    public List<HostMessage> received() {
        return List.copyOf(received);
    }

    /**
     * Takes the next unread message, which must be of {@code type}.
     *
     * @throws AssertionError if no message is left, or the next one is of another type
     */
    public <T extends HostMessage> T next(Class<T> type) {
        HostMessage m = unread.poll();
        if (m == null) {
            throw new AssertionError("expected a " + type.getSimpleName() + " but no message is left");
        }
        if (!type.isInstance(m)) {
            throw new AssertionError("expected a " + type.getSimpleName() + " but the next message is " + m);
        }
        return type.cast(m);
    }

    /** Takes the next unread message, which must be an {@code ERROR}. */
    public HostMessage.Error nextError() {
        return next(HostMessage.Error.class);
    }

    /** The unread messages, which are read afterwards. */
    public List<HostMessage> drain() {
        List<HostMessage> list = new ArrayList<>(unread);
        unread.clear();
        return list;
    }

    /**
     * Fails if a message is unread, other than of the {@code ignored} types; all are read afterwards.
     *
     * @throws AssertionError naming the unread messages
     */
    @SafeVarargs
    public final void assertNothingUnread(Class<? extends HostMessage>... ignored) {
        List<HostMessage> left = new ArrayList<>();
        for (HostMessage m : unread) {
            boolean skip = false;
            for (Class<? extends HostMessage> c : ignored) {
                skip |= c.isInstance(m);
            }
            if (!skip) {
                left.add(m);
            }
        }
        unread.clear();
        if (!left.isEmpty()) {
            throw new AssertionError("unread messages: " + left);
        }
    }

    /** How many {@code ACK}s and {@code ERROR}s named request {@code id} so far. */
    public int answersTo(String id) {
        return answers.getOrDefault(id, 0);
    }

    /** Whether a {@code MEMBER_LIST} arrived. */
    public boolean hasMemberList() {
        return members.hasList();
    }

    /** The guest's view of the members: its last {@code MEMBER_LIST} and the deltas since. */
    public List<Member> members() {
        return members.members();
    }

    /** Whether a {@code STATE} arrived (the guest joined with the {@code state} capability). */
    public boolean hasState() {
        return state.hasState();
    }

    /** The guest's copy of the shared state. */
    public Map<String, Object> state() {
        return state.state();
    }

    /** The version of the guest's copy of the shared state; -1 before its {@code STATE}. */
    public long stateVersion() {
        return state.version();
    }

    /** The connection's remote address, as the core sees it. */
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public String toString() {
        return "InMemoryGuest{" + remoteAddress + "}";
    }
}
