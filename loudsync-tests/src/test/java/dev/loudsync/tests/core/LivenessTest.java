package dev.loudsync.tests.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.Member;
import dev.loudsync.core.SerialExecutor;
import dev.loudsync.core.Session;
import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.testing.InMemoryGuest;
import dev.loudsync.testing.SessionEvents;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md, "Liveness" and "Latency and clocks". */
class LivenessTest {

    private final Harness h = new Harness();
    private final SessionEvents events = new SessionEvents();

    private Session open() {
        Session s = h.open(b -> b.latencyProbes(false));
        s.addListener(events);
        return s;
    }

    @Test
    void silentMember_isRemovedAfterTheTimeout_noLaterThanOneCheckInterval() {
        Session s = open();
        InMemoryGuest silent = h.join(s, "silent");
        InMemoryGuest other = h.join(s, "other");
        other.drain();

        // The check runs every 5 s; "silent" last spoke at t=0. At 14.999 s it is not overdue yet.
        h.advance(Duration.ofMillis(14_999));
        for (int i = 0; i < 4; i++) {
            other.send(new GuestMessage.Heartbeat("other", null));
            h.advance(Duration.ofMillis(1_250));
        }
        // t = 19.999 s: overdue since 15 s, and a check ran at 15 s.
        assertThat(silent.closeCode()).isEqualTo(CloseCode.HEARTBEAT_TIMEOUT);
        assertThat(CloseCode.HEARTBEAT_TIMEOUT.code()).isEqualTo(4000);
        HostMessage.MemberLeft left = other.next(HostMessage.MemberLeft.class);
        assertThat(left.deviceId()).isEqualTo("silent");
        assertThat(left.reason().wireText()).isEqualTo("Heartbeat timeout");
        assertThat(s.members()).extracting(Member::id).containsExactly("host-1", "other");
        assertThat(other.isOpen()).isTrue();
        assertThat(events.lines()).contains("left silent TIMED_OUT");
    }

    @Test
    void silentMember_isStillThereJustBeforeItsTimeout() {
        Session s = open();
        h.advance(Duration.ofSeconds(2)); // member joins between checks
        InMemoryGuest m = h.join(s, "m");
        h.advance(Duration.ofMillis(14_999));
        assertThat(m.isOpen()).isTrue();
        assertThat(s.members()).hasSize(2);
        h.advance(Duration.ofSeconds(5)); // one check interval later at the latest
        assertThat(m.closeCode()).isEqualTo(CloseCode.HEARTBEAT_TIMEOUT);
    }

    @Test
    void finerCheckInterval_removesSooner() {
        Session s = h.open(b -> b.heartbeatCheckInterval(Duration.ofMillis(100)));
        InMemoryGuest m = h.join(s, "m");
        h.advance(Duration.ofMillis(14_950));
        assertThat(m.isOpen()).isTrue();
        h.advance(Duration.ofMillis(100));
        assertThat(m.closeCode()).isEqualTo(CloseCode.HEARTBEAT_TIMEOUT);
    }

    @Test
    void anyMessage_countsAsASignOfLife() {
        Session s = open();
        s.handle("CHAT", (session, sender, message) -> { });
        InMemoryGuest pinger = h.join(s, "pinger");
        InMemoryGuest chatter = h.join(s, "chatter");
        InMemoryGuest ponger = h.join(s, "ponger");
        for (int i = 0; i < 12; i++) {
            h.advance(Duration.ofSeconds(10));
            pinger.send(new GuestMessage.Ping(null));
            chatter.send(new ApplicationMessage("CHAT", Map.of("text", "hi")));
            ponger.send(new GuestMessage.Pong(null));
        }
        assertThat(s.members()).hasSize(4);
        assertThat(pinger.isOpen() && chatter.isOpen() && ponger.isOpen()).isTrue();
    }

    @Test
    void transportPong_countsAsASignOfLife_soABackgroundedPhoneStays() {
        Session s = open();
        InMemoryGuest phone = h.join(s, "phone");
        for (int i = 0; i < 20; i++) {
            h.advance(Duration.ofSeconds(5));
            phone.handler().onSignOfLife(); // the WebSocket stack answered the ping frame
        }
        assertThat(phone.isOpen()).isTrue();
        assertThat(s.members()).hasSize(2);
    }

    @Test
    void keepAliveProbes_goToEveryMember_atLeastEveryThirdOfTheTimeout() {
        // check interval longer than a third of the timeout: probes still every 5 s
        Session s = h.open(b -> b.heartbeatCheckInterval(Duration.ofSeconds(20)));
        InMemoryGuest a = h.join(s, "a");
        InMemoryGuest b = h.join(s, "b");
        h.advance(Duration.ofSeconds(5));
        assertThat(a.keepAlives()).isEqualTo(1);
        assertThat(b.keepAlives()).isEqualTo(1);
        a.handler().onSignOfLife();
        b.handler().onSignOfLife();
        h.advance(Duration.ofSeconds(10));
        assertThat(a.keepAlives()).isEqualTo(3);
    }

    @Test
    void heartbeatForAnotherDevice_isUnauthorized_andRefreshesNobody() {
        Session s = open();
        InMemoryGuest liar = h.join(s, "liar");
        InMemoryGuest victim = h.join(s, "victim");
        liar.drain();
        for (int i = 0; i < 3; i++) {
            h.advance(Duration.ofSeconds(4));
            liar.send(new GuestMessage.Heartbeat("victim", null));
            HostMessage.Error e = liar.nextError();
            assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        }
        h.advance(Duration.ofSeconds(4));
        // 16 s with only "heartbeats" from the wrong connection: both were timed out at 15 s
        assertThat(victim.closeCode()).isEqualTo(CloseCode.HEARTBEAT_TIMEOUT);
        assertThat(liar.closeCode()).isEqualTo(CloseCode.HEARTBEAT_TIMEOUT);
    }

    @Test
    void ownHeartbeat_keepsTheMember() {
        Session s = open();
        InMemoryGuest m = h.join(s, "m");
        for (int i = 0; i < 20; i++) {
            h.advance(Duration.ofSeconds(5));
            m.send(new GuestMessage.Heartbeat("m", null));
        }
        assertThat(m.isOpen()).isTrue();
    }

    @Test
    void ownPlainHeartbeat_isTakenWithoutATaskForTheSession_whileOthersStillGoThroughIt() {
        AtomicInteger tasks = new AtomicInteger();
        Harness counted = Harness.wrappingExecutors(e -> new SerialExecutor() {
            @Override
            public void execute(Runnable task) {
                tasks.incrementAndGet();
                e.execute(task);
            }

            @Override
            public Future<?> schedule(Runnable task, Duration delay) {
                return e.schedule(task, delay);
            }
        });
        Session s = counted.open(b -> b.latencyProbes(false));
        InMemoryGuest m = counted.join(s, "m");
        m.drain();

        int before = tasks.get();
        for (int i = 0; i < 20; i++) {
            counted.advance(Duration.ofSeconds(5));
            m.send(new GuestMessage.Heartbeat("m", null));
        }
        assertThat(tasks.get()).isEqualTo(before);
        assertThat(m.isOpen()).isTrue();

        // a latency report the session still uses, and another device's id, are the session's
        m.send(new GuestMessage.Heartbeat("m", 45L));
        assertThat(member(s, "m").latencyMillis()).hasValue(45);
        m.drain();
        m.send(new GuestMessage.Heartbeat("other", null));
        assertThat(m.nextError().code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(tasks.get()).isEqualTo(before + 2);
    }

    @Test
    void guestPing_isAnsweredWithPong_echoingItsTimestamp_withServerTime() {
        Session s = open();
        InMemoryGuest m = h.join(s, "m");
        m.drain();
        h.advanceMillis(1234);
        m.send(new GuestMessage.Ping(42L));
        HostMessage.Pong pong = m.next(HostMessage.Pong.class);
        assertThat(pong.pingTimestamp()).isEqualTo(42L);
        assertThat(pong.serverTime()).isEqualTo(h.time.currentTimeMillis());
    }

    @Test
    void heartbeatLatency_setsTheMembersLatency_andIsAnnouncedToEveryone() {
        Session s = open();
        InMemoryGuest m = h.join(s, "m");
        InMemoryGuest other = h.join(s, "other");
        m.drain();
        other.drain();
        m.send(new GuestMessage.Heartbeat("m", 45L));
        assertThat(member(s, "m").latencyMillis()).hasValue(45);
        assertThat(other.next(HostMessage.MemberUpdated.class).member().latencyMillis()).hasValue(45);
        assertThat(m.next(HostMessage.MemberUpdated.class).member().latencyMillis()).hasValue(45);
        assertThat(other.members()).isEqualTo(s.members());
        assertThat(m.members()).isEqualTo(s.members());
    }

    @Test
    void heartbeatLatency_outside0To60000_isIgnored() {
        Session s = open();
        InMemoryGuest m = h.join(s, "m");
        m.send(new GuestMessage.Heartbeat("m", -1L));
        m.send(new GuestMessage.Heartbeat("m", 60_001L));
        assertThat(member(s, "m").latencyMillis()).isEmpty();
        m.send(new GuestMessage.Heartbeat("m", 60_000L));
        assertThat(member(s, "m").latencyMillis()).hasValue(60_000);
        m.send(new GuestMessage.Heartbeat("m", 0L));
        assertThat(member(s, "m").latencyMillis()).hasValue(0);
    }

    @Test
    void smallLatencyJitter_isNotAnnounced() {
        Session s = open();
        InMemoryGuest m = h.join(s, "m");
        InMemoryGuest other = h.join(s, "other");
        m.send(new GuestMessage.Heartbeat("m", 40L));
        other.drain();
        m.send(new GuestMessage.Heartbeat("m", 45L));
        m.send(new GuestMessage.Heartbeat("m", 36L));
        other.assertNothingUnread();
        assertThat(member(s, "m").latencyMillis()).hasValue(40);
        m.send(new GuestMessage.Heartbeat("m", 90L));
        assertThat(other.next(HostMessage.MemberUpdated.class).member().latencyMillis()).hasValue(90);
    }

    @Test
    void hostPing_measuresLatencyFromTheGuestsPong_andTakesPrecedenceOverHeartbeatLatency() {
        Session s = h.open(); // latency probes on by default
        InMemoryGuest m = h.join(s, "m");
        m.drain();
        h.advance(Duration.ofSeconds(5));
        m.next(HostMessage.Ping.class);
        long pingTime = h.time.currentTimeMillis(); // the transport stamps PING with this clock
        h.advanceMillis(30);
        m.send(new GuestMessage.Pong(pingTime));
        assertThat(member(s, "m").latencyMillis()).hasValue(30);
        m.send(new GuestMessage.Heartbeat("m", 500L));
        assertThat(member(s, "m").latencyMillis()).hasValue(30);
    }

    @Test
    void guestThatNeverAnswersHostPings_isNotPenalized() {
        Session s = h.open();
        InMemoryGuest m = h.join(s, "m");
        for (int i = 0; i < 10; i++) {
            h.advance(Duration.ofSeconds(5));
            m.send(new GuestMessage.Heartbeat("m", null));
        }
        assertThat(m.isOpen()).isTrue();
        assertThat(m.received()).filteredOn(x -> x instanceof HostMessage.Ping).hasSize(10);
        assertThat(m.received()).filteredOn(x -> x instanceof HostMessage.Error).isEmpty();
    }

    @Test
    void absurdPongTimestamps_areIgnored() {
        Session s = h.open();
        InMemoryGuest m = h.join(s, "m");
        m.send(new GuestMessage.Pong(h.time.currentTimeMillis() + 10_000)); // from the future
        m.send(new GuestMessage.Pong(0L)); // from 1970
        assertThat(member(s, "m").latencyMillis()).isEqualTo(OptionalInt.empty());
    }

    private java.util.List<InMemoryGuest> joinMany(Session s, int n, String... capabilities) {
        java.util.List<InMemoryGuest> guests = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            guests.add(h.join(GuestMessage.Join.of(s.id(), "g" + i, "G" + i)
                    .withCapabilities(java.util.Set.of(capabilities))));
        }
        h.advance(Duration.ofMillis(100)); // the batch window
        guests.forEach(InMemoryGuest::drain);
        return guests;
    }

    private void heartbeats(java.util.List<InMemoryGuest> guests) {
        for (int i = 0; i < guests.size(); i++) {
            guests.get(i).send(new GuestMessage.Heartbeat("g" + i, null));
        }
    }

    @Test
    void aSmallSession_sendsItsKeepAlivesAllAtOnce_oncePerPeriod() {
        Session s = h.open(b -> b.latencyProbes(false).maxMembers(65));
        java.util.List<InMemoryGuest> guests = joinMany(s, 64); // with the host: 65 members, still one slot
        h.advance(Duration.ofMillis(4_899)); // the period began when the session opened, 100 ms ago
        assertThat(guests.stream().mapToInt(InMemoryGuest::keepAlives).sum()).isZero();
        h.advance(Duration.ofMillis(1));
        assertThat(guests).allSatisfy(g -> assertThat(g.keepAlives()).isEqualTo(1));
    }

    @Test
    void aLargeSessionsKeepAlives_goOutASlotAtATime_evenlyOverThePeriod_eachMemberOncePerPeriod() {
        Session s = h.open(b -> b.latencyProbes(false).maxMembers(1001));
        java.util.List<InMemoryGuest> guests = joinMany(s, 1000);
        h.advance(Duration.ofMillis(4_900)); // the first period, still of one slot: 1,000 keep-alives at its end
        heartbeats(guests);
        h.advance(Duration.ofMillis(100));
        assertThat(guests).allSatisfy(g -> assertThat(g.keepAlives()).isEqualTo(1));
        // From now on 1,001 members: 16 slots of 312.5 ms, 62 or 63 members each.
        int slots = 16;
        int total = 1000;
        int sent = 0;
        for (int slot = 0; slot < slots; slot++) {
            heartbeats(guests);
            h.advance(Duration.ofNanos(5_000_000_000L / slots));
            int now = guests.stream().mapToInt(g -> g.keepAlives() - 1).sum();
            assertThat(now - sent).as("keep-alives in slot %d", slot).isBetween(total / slots - 1, total / slots + 1);
            sent = now;
        }
        assertThat(guests).allSatisfy(g -> assertThat(g.keepAlives()).as("one a period").isEqualTo(2));
    }

    @Test
    void inALargeSession_aNewcomerMidPeriodGetsItsKeepAlives_andOneWhoLeftGetsNoMore() {
        Session s = h.open(b -> b.latencyProbes(false).maxMembers(200));
        java.util.List<InMemoryGuest> guests = joinMany(s, 130); // 131 members: 3 slots of 1.67 s
        h.advance(Duration.ofMillis(4_900)); // the first period, of one slot
        heartbeats(guests);
        h.advance(Duration.ofMillis(2_000)); // into the second period, its first slot done
        InMemoryGuest late = h.join(GuestMessage.Join.of(s.id(), "late", "Late"));
        late.drain();
        guests.get(0).send(new GuestMessage.Leave(null));
        int leaverBefore = guests.get(0).keepAlives();
        for (int period = 1; period <= 3; period++) {
            heartbeats(guests.subList(1, guests.size()));
            late.send(new GuestMessage.Heartbeat("late", null));
            h.advance(Duration.ofSeconds(5));
            // Its slot (the second) was still ahead when it joined: one keep-alive in that period already.
            assertThat(late.keepAlives()).as("keep-alives of the newcomer after %d periods", period)
                    .isEqualTo(period);
        }
        assertThat(guests.get(0).keepAlives()).as("the leaver's").isEqualTo(leaverBefore);
        assertThat(s.members()).extracting(m -> m.id()).contains("late");
    }

    @Test
    void pastAThousandMembers_aPeriodsLatencyPingGoesToARotatingShare() {
        Session s = h.open(b -> b.maxMembers(1501)); // latency probes on
        java.util.List<InMemoryGuest> guests = joinMany(s, 1500);
        h.advance(Duration.ofMillis(4_900)); // the first period, of one slot
        heartbeats(guests);
        h.advance(Duration.ofMillis(100));
        guests.forEach(InMemoryGuest::drain);
        java.util.Set<InMemoryGuest> pinged = new java.util.HashSet<>();
        for (int period = 0; period < 2; period++) {
            for (int slot = 0; slot < 24; slot++) { // 1,501 members: 24 slots
                heartbeats(guests);
                h.advance(Duration.ofNanos(5_000_000_000L / 24));
            }
            int thisPeriod = 0;
            for (InMemoryGuest g : guests) {
                if (g.drain().stream().anyMatch(m -> m instanceof HostMessage.Ping)) {
                    thisPeriod++;
                    assertThat(pinged.add(g)).as("pinged twice in two periods").isTrue();
                }
            }
            assertThat(thisPeriod).isBetween(740, 760); // two shares of about 750
        }
        assertThat(pinged).hasSize(1500);
        assertThat(guests).allSatisfy(g -> assertThat(g.keepAlives()).isEqualTo(3)); // keep-alives go to all
    }

    @Test
    void pastSixtyFourMembers_latencyChangesGoOnlyToHostCohostsAndGuestsThatAskForThem() {
        Session s = h.open(b -> b.latencyProbes(false).maxMembers(102));
        java.util.List<InMemoryGuest> guests = joinMany(s, 99);
        InMemoryGuest asks = h.join(GuestMessage.Join.of(s.id(), "asks", "Asks")
                .withCapabilities(java.util.Set.of("latencies")));
        s.setRole("g1", Member.Role.COHOST).join();
        asks.drain();
        guests.forEach(InMemoryGuest::drain);
        InMemoryGuest plain = guests.get(2);
        InMemoryGuest cohost = guests.get(1);

        guests.get(5).send(new GuestMessage.Heartbeat("g5", 80L));

        assertThat(member(s, "g5").latencyMillis()).hasValue(80);
        assertThat(cohost.next(HostMessage.MemberUpdated.class).member().latencyMillis()).hasValue(80);
        assertThat(asks.next(HostMessage.MemberUpdated.class).member().latencyMillis()).hasValue(80);
        plain.assertNothingUnread();
        assertThat(cohost.members()).isEqualTo(s.members());
        // A newcomer's list carries every latency; a status change still goes to everyone.
        InMemoryGuest late = h.join(s, "late");
        late.next(HostMessage.Welcome.class);
        assertThat(late.next(HostMessage.MemberList.class).members()).filteredOn(m -> m.id().equals("g5"))
                .singleElement().satisfies(m -> assertThat(m.latencyMillis()).hasValue(80));
        plain.drain();
        guests.get(7).drop();
        assertThat(plain.drain()).anyMatch(m -> m instanceof HostMessage.MemberLeft);
    }

    @Test
    void latencyChangesOfALargeAudience_goOutWithinTheLatencyBudget_spreadOverTheSlots() {
        Session s = h.open(b -> b.latencyProbes(false).maxMembers(301));
        java.util.List<InMemoryGuest> guests = joinMany(s, 300, "latencies");
        InMemoryGuest watcher = guests.get(0);
        // 1,000 frames/s over a 5 s period = 5,000 frames; an update to 300 recipients costs 300:
        // 16 fit at once.
        for (int i = 0; i < 300; i++) {
            guests.get(i).send(new GuestMessage.Heartbeat("g" + i, 45L));
        }
        long published = s.members().stream().filter(m -> m.latencyMillis().isPresent()).count();
        assertThat(published).isEqualTo(5_000 / 300);
        for (int period = 1; published < 300; period++) {
            long before = published;
            for (int slot = 0; slot < 5; slot++) { // 301 members: 5 slots of 1 s
                heartbeats(guests);
                h.advance(Duration.ofSeconds(1));
            }
            published = s.members().stream().filter(m -> m.latencyMillis().isPresent()).count();
            assertThat(published - before).as("period %d", period).isLessThanOrEqualTo(5_000 / 300 + 1);
            assertThat(period).as("all published within 20 periods").isLessThan(20);
        }
        watcher.drain();
        assertThat(watcher.members()).isEqualTo(s.members());
    }

    private static Member member(Session s, String id) {
        return s.members().stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
    }
}
