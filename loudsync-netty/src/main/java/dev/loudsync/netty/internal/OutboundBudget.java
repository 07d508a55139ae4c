package dev.loudsync.netty.internal;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.internal.SystemPropertyUtil;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The server-wide bound on memory held by bytes waiting to be written, across all connections: each
 * connection's own bound (the write-buffer high water mark) does not stop many slow members at once
 * from holding hundreds of MB together. Over the budget, the connections holding the most are cut as
 * slow consumers, largest first, until the rest fit; the others carry on.
 *
 * <p>It costs nothing per frame: each event loop adds what it wrote during a turn once, at the end
 * of the turn ({@link LoopWriter}), to a count of bytes written since the last check (with Netty's
 * own overhead per message). The last check's total plus that count bounds what is waiting now
 * (waiting bytes only grow by writes), so the connections are walked and summed only when that
 * bound passes the budget.
 *
 * <p>A connection's waiting bytes are Netty's count for its outbound buffer, in which a broadcast
 * frame, one buffer shared by every connection it goes to, counts once for each: a join storm's
 * shared member lists, waiting for a thousand newcomers, would count a thousand times their memory.
 * So when the connections' sum passes the budget, the check also reads the memory the allocator
 * holds ({@code memoryInUse}, which counts each buffer once and bounds the frames from above), and
 * takes the sum over that memory as how many times a waiting byte is counted on average. It cuts
 * only when the sum divided by that sharing passes the budget, and then until it fits. Without
 * sharing (per-member messages, or TLS, which encrypts each connection's bytes) the sum is the
 * memory, as before.
 *
 * <p>Thread-safe: called from every event loop; one check runs at a time.
 */
final class OutboundBudget {

    /** No bound (a connection built without a server). */
    static final OutboundBudget UNLIMITED = new OutboundBudget(Long.MAX_VALUE, () -> Long.MAX_VALUE);

    /** What a connection is asked to do when it is cut: carried to its session as a slow consumer. */
    static final Object OVER_BUDGET = new Object() {
        @Override
        public String toString() {
            return "OVER_BUDGET";
        }
    };

    /**
     * What Netty adds to a connection's count of waiting bytes for each message besides its bytes
     * (its own setting, read the way Netty reads it), so that what is counted here is a bound.
     */
    static final int ENTRY_OVERHEAD = SystemPropertyUtil.getInt("io.netty.transport.outboundBufferEntrySizeOverhead", 96);

    private final long budget;
    private final LongSupplier memoryInUse;
    private final Set<NettyConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong writtenSinceCheck = new AtomicLong();
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile long lastTotal;

    /**
     * @param memoryInUse the memory held by the allocator the frames come from, each buffer counted
     *                    once, or {@code Long.MAX_VALUE} if unknown (then the connections' sum decides)
     */
    OutboundBudget(long budget, LongSupplier memoryInUse) {
        this.budget = budget;
        this.memoryInUse = memoryInUse;
    }

    /** The memory {@code alloc} holds, read from its metric (unknown when it has none). */
    static LongSupplier memoryOf(ByteBufAllocator alloc) {
        if (alloc instanceof ByteBufAllocatorMetricProvider provider) {
            ByteBufAllocatorMetric metric = provider.metric();
            return () -> metric.usedDirectMemory() + metric.usedHeapMemory();
        }
        return () -> Long.MAX_VALUE;
    }

    long budget() {
        return budget;
    }

    void add(NettyConnection c) {
        if (budget != Long.MAX_VALUE) {
            connections.add(c);
        }
    }

    void remove(NettyConnection c) {
        connections.remove(c);
    }

    /** An event loop wrote {@code bytes} in its last turn. */
    void written(long bytes) {
        if (budget == Long.MAX_VALUE || bytes == 0) {
            return;
        }
        long since = writtenSinceCheck.addAndGet(bytes);
        if (lastTotal + since > budget) {
            check();
        }
    }

    /** The bytes waiting to be written to all connections now (connections being cut excluded). */
    long waitingBytes() {
        long total = 0;
        for (NettyConnection c : connections) {
            if (!c.overBudget) {
                total += waiting(c.channel());
            }
        }
        return total;
    }

    private void check() {
        if (!checking.compareAndSet(false, true)) {
            return; // another loop checks now, and counts what this one wrote
        }
        try {
            // Reset first: what is written during the walk counts in the next check too (twice at
            // worst), so the bound stays a bound.
            writtenSinceCheck.set(0);
            List<Holding> holding = new ArrayList<>();
            long total = 0;
            for (NettyConnection c : connections) {
                long w = c.overBudget ? 0 : waiting(c.channel());
                if (w > 0) {
                    holding.add(new Holding(c, w));
                    total += w;
                }
            }
            double sharing = 1;
            if (total > budget) {
                // Read only now: the allocator's metric walks its arenas.
                long memory = memoryInUse.getAsLong();
                sharing = memory < total ? (double) total / Math.max(memory, 1) : 1;
            }
            if (total / sharing > budget) {
                holding.sort(Comparator.comparingLong(Holding::bytes).reversed());
                for (int i = 0; i < holding.size() && total / sharing > budget; i++) {
                    Holding h = holding.get(i);
                    total -= h.bytes();
                    h.connection().cutForBudget();
                }
            }
            // What the memory will be once the cut ones are gone, as the sharing estimates it.
            lastTotal = (long) (total / sharing);
        } finally {
            checking.set(false);
        }
    }

    /** A connection and the bytes it had waiting when counted. */
    private record Holding(NettyConnection connection, long bytes) {
    }

    private static long waiting(Channel ch) {
        ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
        return out != null ? out.totalPendingWriteBytes() : 0;
    }
}
