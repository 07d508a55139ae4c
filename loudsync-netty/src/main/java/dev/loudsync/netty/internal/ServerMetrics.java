package dev.loudsync.netty.internal;

import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.Member;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionListener;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.netty.Abuse;
import dev.loudsync.netty.ServerListener;
import dev.loudsync.netty.ServerState;
import dev.loudsync.netty.ServerStats;
import io.netty.channel.EventLoop;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server's counters, and its {@link ServerListener}. Thread-safe without locks.
 *
 * <p>Frames and bytes are counted per event loop ({@link LoopCounters}): each loop's thread is the
 * only writer of its counters, so a frame costs two plain additions and stores, no atomic
 * instruction and no allocation. Everything rarer (a connection, a join, a close) is a
 * {@link LongAdder}. A snapshot sums them without stopping anyone.
 */
final class ServerMetrics {

    private static final Logger log = LoggerFactory.getLogger(ServerMetrics.class);

    private static final ServerListener NO_LISTENER = new ServerListener() {
    };

    private final ServerListener listener;
    private final ConcurrentHashMap<EventLoop, LoopCounters> loops = new ConcurrentHashMap<>();
    private final LongAdder connectionsOpened = new LongAdder();
    private final LongAdder connectionsOpen = new LongAdder();
    private final LongAdder connectionsJoined = new LongAdder();
    private final LongAdder joinsAccepted = new LongAdder();
    private final LongAdder messagesDropped = new LongAdder();
    /** By the join refusal codes, which are protocol codes: {@link ErrorCode#protocolCodes()}. */
    private final LongAdder[] joinsRefused = adders(ErrorCode.protocolCodes().size());
    private final LongAdder[] leaves = adders(LeaveReason.values().length);
    private final LongAdder[] closes = adders(CloseCode.values().length);
    private final LongAdder[] abuse = adders(Abuse.values().length);
    private final SessionListener sessions = new SessionListener() {
        @Override
        public void memberJoined(Session session, Member member) {
            joinsAccepted.increment();
        }

        @Override
        public void memberLeft(Session session, Member member, LeaveReason reason) {
            leaves[reason.ordinal()].increment();
        }
    };

    private final OutboundBudget outbound;

    /** @param listener the application's, or null */
    ServerMetrics(ServerListener listener) {
        this(listener, OutboundBudget.UNLIMITED);
    }

    /**
     * @param listener the application's, or null
     * @param outbound the server-wide bound on bytes waiting to be written
     */
    ServerMetrics(ServerListener listener, OutboundBudget outbound) {
        this.listener = listener != null ? listener : NO_LISTENER;
        this.outbound = outbound;
    }

    /** The server-wide bound on bytes waiting to be written, which also counts them. */
    OutboundBudget outbound() {
        return outbound;
    }

    /** Counters that belong to no server, for connections made outside one (tests, benchmarks). */
    static ServerMetrics detached() {
        return new ServerMetrics(null);
    }

    /** The frame counters of {@code loop}; to be written only on that loop's thread. */
    LoopCounters countersFor(EventLoop loop) {
        LoopCounters c = loops.get(loop);
        return c != null ? c : loops.computeIfAbsent(loop, l -> new LoopCounters());
    }

    /** Counts joins and leaves of a session the server opened; added to each as a listener. */
    SessionListener sessionListener() {
        return sessions;
    }

    void connectionOpened(String remoteAddress) {
        connectionsOpened.increment();
        connectionsOpen.increment();
        try {
            listener.connectionOpened(remoteAddress);
        } catch (RuntimeException e) {
            failed("connectionOpened", e);
        }
    }

    /** A connection got its {@code WELCOME}: it carries a member until it closes. */
    void connectionJoined() {
        connectionsJoined.increment();
    }

    /**
     * @param code   the close code the server sent, or null
     * @param joined whether {@link #connectionJoined} was counted for it
     */
    void connectionClosed(String remoteAddress, CloseCode code, boolean joined) {
        connectionsOpen.decrement();
        if (joined) {
            connectionsJoined.decrement();
        }
        try {
            listener.connectionClosed(remoteAddress, code);
        } catch (RuntimeException e) {
            failed("connectionClosed", e);
        }
    }

    /** The server sent a close frame with {@code code} (counted once per connection). */
    void closeSent(CloseCode code) {
        closes[code.ordinal()].increment();
    }

    void joinRefused(String remoteAddress, ErrorCode code) {
        int at = ErrorCode.protocolCodes().indexOf(code);
        if (at >= 0) {
            joinsRefused[at].increment();
        }
        try {
            listener.joinRefused(remoteAddress, code);
        } catch (RuntimeException e) {
            failed("joinRefused", e);
        }
    }

    void messageDropped() {
        messagesDropped.increment();
    }

    void abuse(Abuse kind, String remoteAddress, String detail) {
        abuse[kind.ordinal()].increment();
        try {
            listener.abuse(kind, remoteAddress, detail);
        } catch (RuntimeException e) {
            failed("abuse", e);
        }
    }

    private void failed(String event, RuntimeException e) {
        log.warn("Server listener {} failed on {}", listener, event, e);
    }

    /** A snapshot; the gauges the runtime knows are passed in. */
    ServerStats snapshot(ServerState state, int openSockets, List<Session> openSessions) {
        long framesIn = 0;
        long bytesIn = 0;
        long framesOut = 0;
        long bytesOut = 0;
        for (LoopCounters c : loops.values()) {
            framesIn += c.get(LoopCounters.RECEIVED);
            bytesIn += c.get(LoopCounters.RECEIVED_BYTES);
            framesOut += c.get(LoopCounters.SENT);
            bytesOut += c.get(LoopCounters.SENT_BYTES);
        }
        int members = 0;
        for (Session s : openSessions) {
            members += s.members().size();
        }
        int open = (int) Math.max(0, connectionsOpen.sum());
        int joined = (int) Math.max(0, Math.min(open, connectionsJoined.sum()));
        return new ServerStats(state, openSockets, joined, open - joined, openSessions.size(), members,
                connectionsOpened.sum(), framesIn, bytesIn, framesOut, bytesOut, joinsAccepted.sum(),
                refusalCounts(), counts(leaves, LeaveReason.class),
                counts(closes, CloseCode.class), messagesDropped.sum(), counts(abuse, Abuse.class));
    }

    private Map<ErrorCode, Long> refusalCounts() {
        Map<ErrorCode, Long> m = new LinkedHashMap<>();
        List<ErrorCode> codes = ErrorCode.protocolCodes();
        for (int i = 0; i < codes.size(); i++) {
            m.put(codes.get(i), joinsRefused[i].sum());
        }
        return m;
    }

    private static <K extends Enum<K>> Map<K, Long> counts(LongAdder[] adders, Class<K> type) {
        Map<K, Long> m = new EnumMap<>(type);
        for (K k : type.getEnumConstants()) {
            m.put(k, adders[k.ordinal()].sum());
        }
        return m;
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }
}
