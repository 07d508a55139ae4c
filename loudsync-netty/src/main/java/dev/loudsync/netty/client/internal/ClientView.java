package dev.loudsync.netty.client.internal;

import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.protocol.MemberView;
import dev.loudsync.netty.client.ClientListener;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's member list: core's {@link MemberView} over what the host sends, published for any
 * thread, with the listener told of each change once the new list is published (so a listener
 * reading {@code members()} sees the change it is told of).
 *
 * <p>Messages are applied on the client's event loop; {@link #members()} may be read from any thread.
 */
final class ClientView implements MemberView.Changes {

    private static final Logger log = LoggerFactory.getLogger(ClientView.class);

    private final MemberView view = new MemberView();
    private final ClientListener listener;
    private final Consumer<Runnable> notify;
    private final List<Runnable> told = new ArrayList<>();
    private volatile List<Member> members = List.of();

    /** @param notify runs a listener call, isolating the client from what it throws */
    ClientView(ClientListener listener, Consumer<Runnable> notify) {
        this.listener = listener;
        this.notify = notify;
    }

    /** The members as this client knows them, in {@code ProtocolRules.MEMBER_ORDER}. */
    List<Member> members() {
        return members;
    }

    /** Applies {@code message} if it is about membership; whether it was (and the view took it). */
    boolean apply(HostMessage message) {
        if (!view.apply(message, this)) {
            return false;
        }
        members = view.members();
        try {
            for (Runnable call : told) {
                notify.accept(call);
            }
        } finally {
            told.clear();
        }
        return true;
    }

    @Override
    public void listed(List<Member> list) {
        told.add(() -> listener.memberList(list));
    }

    @Override
    public void joined(Member member) {
        told.add(() -> listener.memberJoined(member));
    }

    @Override
    public void left(String deviceId, LeaveReason reason) {
        told.add(() -> listener.memberLeft(deviceId, reason));
    }

    @Override
    public void updated(Member member) {
        told.add(() -> listener.memberUpdated(member));
    }

    @Override
    public void hostChanged(Member host, String previousHostId) {
        told.add(() -> listener.hostChanged(host, previousHostId));
    }

    @Override
    public void inconsistent(String what) {
        log.debug("The host's membership message does not fit this client's view: {}", what);
    }
}
