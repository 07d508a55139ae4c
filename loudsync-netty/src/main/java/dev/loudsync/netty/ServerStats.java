package dev.loudsync.netty;

import dev.loudsync.core.LeaveReason;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.ErrorCode;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of what a server is doing and has done since it was built; from
 * {@link LoudSyncServer#stats()}. Immutable. Gauges ({@code open...}, {@code sessions},
 * {@code members}) are the values at the time of the snapshot; everything else counts from zero
 * and only grows. Values read at the same instant on different threads may be a few events apart
 * from each other (no counter is read under a lock), never torn.
 *
 * <p>A "connection" is a WebSocket connection (the upgrade completed); a "socket" any accepted
 * TCP connection, plain HTTP included. Frames and bytes count WebSocket data messages (text, and
 * binary ones the server refuses) and their payload bytes, the JSON text without WebSocket framing
 * or TLS; control frames (ping, pong, close) are not counted.
 *
 * <p>Each map has every constant of its enum as a key, with zero for what never happened, and
 * iterates in the enum's order.
 *
 * @param state               the server's state
 * @param openSockets         accepted TCP connections open now: plain HTTP, upgrading, WebSocket
 * @param joinedConnections   WebSocket connections that carry a member (welcomed and still open)
 * @param unjoinedConnections WebSocket connections without a member: before their {@code JOIN},
 *                            waiting for the host's approval, or refused and closing
 * @param sessions            open sessions
 * @param members             members of all open sessions, hosts included (as
 *                            {@link dev.loudsync.core.Session#members()} lists them), members in a
 *                            reconnect grace too
 * @param connectionsOpened   WebSocket connections opened in all
 * @param framesReceived      data frames read
 * @param bytesReceived       their payload bytes
 * @param framesSent          data frames written (a broadcast counts once per recipient)
 * @param bytesSent           their payload bytes
 * @param joinsAccepted       guests that became members (a resume is no new join)
 * @param joinsRefused        {@code JOIN}s refused, by the {@code ERROR} code the guest got
 * @param leaves              members gone, by reason
 * @param closes              connections the server closed, by the close code it sent (the peer's
 *                            own closes are not counted here)
 * @param messagesDropped     messages dropped for exceeding a connection's rate limit (each was
 *                            answered with, or covered by, an {@code ERROR RATE_LIMITED})
 * @param abuse               what the server's protections stopped, by kind
 */
public record ServerStats(
        ServerState state,
        int openSockets,
        int joinedConnections,
        int unjoinedConnections,
        int sessions,
        int members,
        long connectionsOpened,
        long framesReceived,
        long bytesReceived,
        long framesSent,
        long bytesSent,
        long joinsAccepted,
        Map<ErrorCode, Long> joinsRefused,
        Map<LeaveReason, Long> leaves,
        Map<CloseCode, Long> closes,
        long messagesDropped,
        Map<Abuse, Long> abuse) {

    /** Copies the maps, so that the snapshot stays immutable. */
    public ServerStats {
        Objects.requireNonNull(state, "state");
        joinsRefused = Collections.unmodifiableMap(new LinkedHashMap<>(joinsRefused));
        leaves = copy(leaves, LeaveReason.class);
        closes = copy(closes, CloseCode.class);
        abuse = copy(abuse, Abuse.class);
    }

    /** All refused joins, whatever the code. */
    public long joinsRefusedTotal() {
        return sum(joinsRefused);
    }

    /** All protections that struck, whatever the kind. */
    public long abuseTotal() {
        return sum(abuse);
    }

    /** An unmodifiable copy that iterates in the enum's order. */
    private static <K extends Enum<K>> Map<K, Long> copy(Map<K, Long> counts, Class<K> type) {
        EnumMap<K, Long> copy = new EnumMap<>(type);
        copy.putAll(counts);
        return Collections.unmodifiableMap(copy);
    }

    private static long sum(Map<?, Long> counts) {
        long n = 0;
        for (Long v : counts.values()) {
            n += v;
        }
        return n;
    }
}
