package dev.loudsync.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;

/**
 * Writes frames on one event loop and flushes each written channel once per turn of the loop, so
 * that a burst of messages to a member costs one system call, not one per message.
 *
 * <p>One instance per event-loop thread, used only there. A thread that serves several loops
 * one after another (an {@code EmbeddedChannel}'s caller does) gets a new writer for each; the old
 * one still flushes what it queued when its own loop runs.
 */
final class LoopWriter implements Runnable {

    private static final FastThreadLocal<LoopWriter> CURRENT = new FastThreadLocal<>();

    private final EventLoop loop;
    private final ArrayList<NettyConnection> dirty = new ArrayList<>();
    private boolean flushQueued;
    /** The budget of the connections written this turn, and what was written to them. */
    private OutboundBudget turnBudget;
    private long turnBytes;

    private LoopWriter(EventLoop loop) {
        this.loop = loop;
    }

    /** The writer of the calling thread, which must be {@code loop}'s. */
    static LoopWriter of(EventLoop loop) {
        LoopWriter w = CURRENT.get();
        if (w == null || w.loop != loop) {
            w = new LoopWriter(loop);
            CURRENT.set(w);
        }
        return w;
    }

    /** Writes {@code frame} (ownership passes) to the connection; flushed at the end of the turn. */
    void write(NettyConnection c, ByteBuf frame) {
        if (c.budget != turnBudget) {
            settle(); // servers sharing this loop: each budget counts its own
            turnBudget = c.budget;
        }
        turnBytes += frame.readableBytes() + OutboundBudget.ENTRY_OVERHEAD;
        c.counters.sent(frame);
        c.channel().write(frame, c.channel().voidPromise());
        if (!c.flushPending) {
            c.flushPending = true;
            dirty.add(c);
        }
        if (!flushQueued) {
            flushQueued = true;
            loop.execute(this);
        }
    }

    @Override
    public void run() {
        flushQueued = false;
        for (int i = 0; i < dirty.size(); i++) {
            NettyConnection c = dirty.get(i);
            c.flushPending = false;
            c.channel().flush();
        }
        dirty.clear();
        settle();
    }

    /** Tells the budget what this turn wrote: once per turn, not per frame. */
    private void settle() {
        if (turnBytes > 0) {
            turnBudget.written(turnBytes);
            turnBytes = 0;
        }
    }
}
