package dev.loudsync.tests.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.Delivery;
import dev.loudsync.core.JoinRequest;
import dev.loudsync.core.Member.Role;
import dev.loudsync.core.Member;
import dev.loudsync.core.Session;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.transport.Broadcaster;
import dev.loudsync.core.transport.Connection;
import dev.loudsync.testing.InMemoryGuest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PROTOCOL.md, "Version 1.1 extensions": delivery options, and join requests told to the members who
 * may approve them.
 */
class DeliveryAndApproversTest {

    private final List<String> droppableCalls = new ArrayList<>();
    private final Harness h = new Harness(b -> b.broadcaster(new Broadcaster() {
        @Override
        public void broadcast(HostMessage message, List<? extends Connection> recipients) {
            PER_CONNECTION.broadcast(message, recipients);
        }

        @Override
        public void broadcastDroppable(HostMessage message, List<? extends Connection> recipients) {
            droppableCalls.add(message.type() + " to " + recipients.size());
            Broadcaster.super.broadcastDroppable(message, recipients);
        }
    }));

    @Test
    void broadcast_toNamedMembers_orExcludingSome() {
        Session s = h.open(b -> b.latencyProbes(false));
        InMemoryGuest a = h.join(s, "a");
        InMemoryGuest b = h.join(s, "b");
        InMemoryGuest c = h.join(s, "c");
        a.drain();
        b.drain();
        c.drain();
        s.broadcast("HINT", Map.of(), Delivery.to(List.of("a", "c", "nobody"))).join();
        s.broadcast("CHAT", Map.of(), Delivery.everyone().excluding("a")).join();
        assertThat(a.drain()).extracting(HostMessage::type).containsExactly("HINT");
        assertThat(b.drain()).extracting(HostMessage::type).containsExactly("CHAT");
        assertThat(c.drain()).extracting(HostMessage::type).containsExactly("HINT", "CHAT");
    }

    @Test
    void droppableBroadcasts_goThroughTheTransportsDroppablePath() {
        Session s = h.open(b -> b.latencyProbes(false));
        InMemoryGuest a = h.join(s, "a");
        h.join(s, "b");
        a.drain();
        s.broadcast("TYPING", Map.of(), Delivery.everyone().excluding("b").droppable()).join();
        assertThat(droppableCalls).containsExactly("TYPING to 1");
        assertThat(a.drain()).extracting(HostMessage::type).containsExactly("TYPING");
    }

    @Test
    void approvers_hearOfEachRequest_andOfHowItEnded() {
        Session s = h.open(b -> b.requireApproval(true).latencyProbes(false));
        InMemoryGuest co = h.join(s, "co");
        s.approve("co").join();
        s.setRole("co", Role.COHOST).join();
        InMemoryGuest client = h.join(s, "cl");
        HostMessage.JoinRequested asked = co.drain().stream().filter(m -> m instanceof HostMessage.JoinRequested)
                .map(HostMessage.JoinRequested.class::cast).findFirst().orElseThrow();
        assertThat(asked.deviceId()).isEqualTo("cl");
        assertThat(asked.deviceName()).isEqualTo("Guest cl");

        co.send(new GuestMessage.Approve("cl", "a1"));
        List<HostMessage> got = co.drain();
        assertThat(got).extracting(HostMessage::type).containsExactly("JOIN_REQUEST_ENDED", "MEMBER_JOINED", "ACK");
        assertThat(((HostMessage.JoinRequestEnded) got.get(0)).outcome()).isEqualTo(HostMessage.Outcome.APPROVED);
        client.drain();

        InMemoryGuest denied = h.join(s, "d");
        InMemoryGuest withdrawn = h.join(s, "w");
        co.drain();
        co.send(new GuestMessage.Deny("d", null));
        assertThat(denied.closeCode()).isEqualTo(CloseCode.UNAUTHORIZED);
        withdrawn.send(new GuestMessage.Leave(null));
        assertThat(co.drain()).filteredOn(m -> m instanceof HostMessage.JoinRequestEnded)
                .extracting(m -> ((HostMessage.JoinRequestEnded) m).outcome())
                .containsExactly(HostMessage.Outcome.DENIED, HostMessage.Outcome.WITHDRAWN);
        assertThat(client.drain()).noneMatch(m -> m instanceof HostMessage.JoinRequested
                || m instanceof HostMessage.JoinRequestEnded);
    }

    @Test
    void aMemberWhoBecomesAnApprover_learnsOfTheRequestsAlreadyWaiting() {
        Session s = h.open(b -> b.requireApproval(true).latencyProbes(false));
        InMemoryGuest m = h.join(s, "m");
        s.approve("m").join();
        h.join(s, "w1");
        h.join(s, "w2");
        m.drain();
        s.setRole("m", Role.COHOST).join();
        assertThat(m.drain()).filteredOn(x -> x instanceof HostMessage.JoinRequested)
                .extracting(x -> ((HostMessage.JoinRequested) x).deviceId()).containsExactly("w1", "w2");
    }

    @Test
    void aClientMayNotApprove_andApprovingNobodyIsInvalid() {
        Session s = h.open(b -> b.requireApproval(true).latencyProbes(false));
        InMemoryGuest m = h.join(s, "m");
        s.approve("m").join();
        h.join(s, "w");
        m.drain();
        m.send(new GuestMessage.Approve("w", "a1"));
        assertThat(m.nextError().code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        s.setRole("m", Role.COHOST).join();
        m.drain();
        m.send(new GuestMessage.Approve("nobody", "a2"));
        HostMessage.Error e = m.nextError();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(e.message()).isEqualTo("No join request from nobody");
        assertThat(s.pendingRequests()).extracting(JoinRequest::deviceId).containsExactly("w");
    }

    @Test
    void inAServerHostedSessionWithApproval_theFirstMemberIsAdmittedAsHost_andApprovesTheNext() {
        Session s = h.openServerHosted(b -> b.requireApproval(true).latencyProbes(false));
        InMemoryGuest host = h.join(s, "h");
        host.next(HostMessage.Welcome.class);
        host.drain();
        InMemoryGuest g = h.join(s, "g");
        assertThat(g.next(HostMessage.JoinPending.class)).isNotNull();
        assertThat(host.next(HostMessage.JoinRequested.class).deviceId()).isEqualTo("g");
        host.send(new GuestMessage.Approve("g", null));
        g.next(HostMessage.Welcome.class);
        assertThat(s.members()).extracting(Member::id).containsExactly("h", "g");
    }
}
