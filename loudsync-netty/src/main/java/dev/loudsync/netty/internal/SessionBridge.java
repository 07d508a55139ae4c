package dev.loudsync.netty.internal;

import dev.loudsync.core.TimeSource;
import dev.loudsync.core.protocol.CloseCode;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.transport.ConnectionHandler;
import dev.loudsync.netty.Abuse;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler: turns WebSocket frames into the core's connection events. It decodes text
 * frames, enforces the message rate limit and the failed-join limit, refuses binary frames (1003),
 * reports pong frames as signs of life, a full outbound buffer as a slow consumer, and the channel's
 * end as a close.
 */
final class SessionBridge extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(SessionBridge.class);
    private static final long RATE_LIMITED_NOTICE_NANOS = 1_000_000_000L;
    private static final long FLOOD_WINDOW_NANOS = 10_000_000_000L;

    private final ServerContext server;
    private NettyConnection connection;
    private ConnectionHandler handler;
    private TokenBucket rate;
    private long lastNoticeNanos;
    private long floodWindowStart;
    private int droppedInWindow;

    SessionBridge(ServerContext server) {
        this.server = server;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == OutboundBudget.OVER_BUDGET) {
            if (handler != null) {
                handler.onSlowConsumer();
            }
            return;
        }
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            ctx.pipeline().remove(HttpGate.class);
            ctx.pipeline().remove(HttpRouter.class);
            TimeSource time = server.time();
            WebSocketServerProtocolHandler.HandshakeComplete handshake = (WebSocketServerProtocolHandler.HandshakeComplete) evt;
            connection = new NettyConnection(ctx.channel(), server.frames(), time, server.metrics(),
                    handshake.requestUri(), handshake.requestHeaders());
            rate = new TokenBucket(server.messagesPerSecond(), server.messageBurst(), time.nanoTime());
            server.metrics().connectionOpened(connection.remoteAddress());
            handler = server.registry().accept(connection);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame) || handler == null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            if (msg instanceof TextWebSocketFrame) {
                onText((TextWebSocketFrame) msg);
            } else if (msg instanceof PongWebSocketFrame) {
                handler.onSignOfLife();
            } else if (msg instanceof BinaryWebSocketFrame) {
                onBinary((BinaryWebSocketFrame) msg);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onText(TextWebSocketFrame frame) {
        ByteBuf content = frame.content();
        connection.counters.received(content.readableBytes());
        long now = server.time().nanoTime();
        if (!rate.tryTake(now)) {
            // Read only for its request id, which is answered even though the message is dropped.
            rateLimited(now, server.decoder().decodeText(content).id());
            return;
        }
        GuestDecoder.Decoded decoded = server.decoder().decodeText(content);
        if (!decoded.isValid()) {
            handler.onInvalidMessage(decoded.type(), decoded.id(), decoded.detail());
            return;
        }
        GuestMessage message = decoded.message();
        if (message instanceof GuestMessage.Join && server.stopping().get()) {
            connection.close(CloseCode.GOING_AWAY);
            return;
        }
        if (message instanceof GuestMessage.Join
                && !server.joinGuard().allows(JoinGuard.ipOf(connection.remoteAddress()))) {
            refuseGuessing();
            return;
        }
        handler.onMessage(message);
    }

    private void onBinary(BinaryWebSocketFrame frame) {
        connection.counters.received(frame.content().readableBytes());
        connection.close(CloseCode.UNSUPPORTED_DATA);
    }

    /** A JOIN from an address past its failed-join limit. */
    private void refuseGuessing() {
        connection.send(new HostMessage.Error(ErrorCode.RATE_LIMITED,
                "Too many failed joins from this address; try again later"));
        connection.close(CloseCode.RATE_LIMITED);
        server.metrics().joinRefused(connection.remoteAddress(), ErrorCode.RATE_LIMITED);
        server.metrics().abuse(Abuse.JOIN_GUESSING, connection.remoteAddress(), "too many failed joins");
    }

    /**
     * A message over the rate limit, dropped. One with a request id (1.1) is answered
     * {@code ERROR RATE_LIMITED} naming it, so that every id gets exactly one answer; without one,
     * a notice goes out at most once a second. A connection that keeps flooding is closed with
     * 4003, its last dropped message answered by the closing error.
     */
    private void rateLimited(long now, String id) {
        server.metrics().messageDropped();
        if (now - floodWindowStart > FLOOD_WINDOW_NANOS) {
            floodWindowStart = now;
            droppedInWindow = 0;
        }
        if (++droppedInWindow > server.messageBurst()) {
            log.debug("Closing {}: kept flooding", connection.remoteAddress());
            connection.send(HostMessage.Error.replyingTo(id, ErrorCode.RATE_LIMITED, "Too many messages"));
            connection.close(CloseCode.RATE_LIMITED);
            server.metrics().abuse(Abuse.FLOODING, connection.remoteAddress(),
                    droppedInWindow + " messages over the rate limit within 10 s");
            return;
        }
        if (id != null) {
            connection.send(HostMessage.Error.replyingTo(id, ErrorCode.RATE_LIMITED, "Too many messages; message dropped"));
        } else if (now - lastNoticeNanos >= RATE_LIMITED_NOTICE_NANOS || droppedInWindow == 1) {
            lastNoticeNanos = now;
            connection.send(new HostMessage.Error(ErrorCode.RATE_LIMITED, "Too many messages; message dropped"));
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (handler != null && !ctx.channel().isWritable()) {
            handler.onSlowConsumer();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (handler != null) {
            handler.onClosed();
            server.metrics().connectionClosed(connection.remoteAddress(), connection.closeCode(), connection.ended());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (connection != null) {
            CorruptedWebSocketFrameException violation = violation(cause);
            if (violation != null && violation.closeStatus() != null) {
                // Netty's frame decoder already sent its own close frame for this one.
                connection.closeSentElsewhere(CloseCode.of(violation.closeStatus().code()).orElse(null));
            }
        }
        if (cause instanceof TooLongFrameException && connection != null) {
            // a fragmented message over the limit (single frames are caught by the decoder)
            connection.close(CloseCode.MESSAGE_TOO_BIG);
            return;
        }
        // Peers cause these (resets, protocol violations the decoder already answered): not our error.
        log.debug("Closing {} after {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private static CorruptedWebSocketFrameException violation(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CorruptedWebSocketFrameException) {
                return (CorruptedWebSocketFrameException) t;
            }
        }
        return null;
    }

    /** Used by the server when it stops: connections that never joined are told it is going away. */
    NettyConnection connection() {
        return connection;
    }
}
