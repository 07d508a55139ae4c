package dev.loudsync.netty.discovery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.testing.ManualTime;
import dev.loudsync.netty.discovery.DiscoveredSession;
import dev.loudsync.netty.discovery.DiscoveredSession.Source;
import dev.loudsync.netty.discovery.LanDiscovery;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The merge and expiry of what beacons and DNS-SD report, on manual time, without threads or sockets. */
class SessionTableTest {

    private final ManualTime time = new ManualTime();
    private final List<String> told = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final SessionTable table = new SessionTable(time, Duration.ofSeconds(6), new LanDiscovery.Listener() {
        @Override
        public void sessionFound(DiscoveredSession s) {
            told.add("found " + s.sessionId() + " " + s.seenBy() + " " + s.memberCount());
        }

        @Override
        public void sessionUpdated(DiscoveredSession s) {
            told.add("updated " + s.sessionId() + " " + s.seenBy() + " " + s.memberCount());
        }

        @Override
        public void sessionLost(DiscoveredSession s) {
            told.add("lost " + s.sessionId());
        }
    }, closed::get);

    private static Beacon beacon(String sessionId, int members) throws Exception {
        return new Beacon(sessionId, "Party", "host-1", "Laptop", InetAddress.getByName("192.0.2.7"), 8080, members,
                8, 1, false, true);
    }

    @Test
    void aBeaconAndAServiceOfTheSameSession_areOneEntry_lostWhenBothAreGone() throws Exception {
        table.beacon(beacon("K7M-2QX", 2));
        table.serviceResolved("party._loudsync._tcp.local.", beacon("k7m2qx", 2));
        assertThat(table.sessions()).hasSize(1);
        assertThat(table.sessions().get(0).seenBy()).containsExactlyInAnyOrder(Source.BEACON, Source.DNS_SD);

        time.advance(Duration.ofSeconds(7));
        table.expire();
        assertThat(table.sessions().get(0).seenBy()).containsExactly(Source.DNS_SD);
        table.serviceRemoved("party._loudsync._tcp.local.");
        assertThat(table.sessions()).isEmpty();
        assertThat(told).containsExactly("found K7M-2QX [BEACON] 2", "updated k7m2qx [BEACON, DNS_SD] 2",
                "updated k7m2qx [DNS_SD] 2", "lost k7m2qx");
    }

    @Test
    void aRepeatedBeacon_isNoUpdate_unlessSomethingButLastSeenChanged() throws Exception {
        table.beacon(beacon("ABC123", 2));
        time.advance(Duration.ofSeconds(2));
        table.beacon(beacon("ABC123", 2));
        assertThat(table.sessions().get(0).lastSeen().toEpochMilli()).isEqualTo(time.currentTimeMillis());
        table.beacon(beacon("ABC123", 3));
        assertThat(told).containsExactly("found ABC123 [BEACON] 2", "updated ABC123 [BEACON] 3");
    }

    @Test
    void aBeaconLastsExpireAfter() throws Exception {
        table.beacon(beacon("ABC123", 2));
        time.advance(Duration.ofSeconds(6));
        table.expire();
        assertThat(table.sessions()).hasSize(1);
        time.advance(Duration.ofMillis(1));
        table.expire();
        assertThat(table.sessions()).isEmpty();
        assertThat(told).containsExactly("found ABC123 [BEACON] 2", "lost ABC123");
    }

    @Test
    void aServiceThatNowAnnouncesAnotherSession_losesTheOldOne() throws Exception {
        table.serviceResolved("svc", beacon("AAA111", 1));
        table.serviceResolved("svc", beacon("BBB222", 1));
        assertThat(table.sessions()).extracting(DiscoveredSession::sessionId).containsExactly("BBB222");
        assertThat(told).containsExactly("found AAA111 [DNS_SD] 1", "lost AAA111", "found BBB222 [DNS_SD] 1");
    }

    @Test
    void theListIsCapped_andRoomIsMadeByLosingOne() throws Exception {
        for (int i = 0; i < LanDiscovery.MAX_SESSIONS + 5; i++) {
            table.beacon(beacon("S" + i, 1));
        }
        assertThat(table.sessions()).hasSize(LanDiscovery.MAX_SESSIONS);
        time.advance(Duration.ofSeconds(7));
        table.beacon(beacon("NEW1", 1));
        assertThat(table.sessions()).hasSize(LanDiscovery.MAX_SESSIONS); // still full
        table.expire();
        table.beacon(beacon("NEW1", 1));
        assertThat(table.sessions()).extracting(DiscoveredSession::sessionId).containsExactly("NEW1");
    }

    @Test
    void nothingIsToldOnceClosed() throws Exception {
        closed.set(true);
        table.beacon(beacon("ABC123", 2));
        assertThat(table.sessions()).hasSize(1);
        assertThat(told).isEmpty();
    }
}
