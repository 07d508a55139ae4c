package dev.loudsync.netty.internal;

import dev.loudsync.netty.Abuse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP phase's guard: a request must arrive complete within the handshake timeout (against
 * slowloris; idle keep-alive connections get the same deadline), its head must be within the
 * decoder's bounds, and its body within the application's bound for plain HTTP requests (none by
 * default; a WebSocket upgrade never has one). Anything else is answered with an error status and
 * the connection closed, and reported as abuse. Removed once the WebSocket upgrade is done.
 *
 * <p>A timeout counts as abuse only if a request was begun: its {@link #arrivals()} handler, placed
 * before the HTTP decoder, sees the raw bytes the decoder keeps to itself until a request's head is
 * complete. A connection that sent nothing (a browser's spare or idle keep-alive connection) is
 * closed without a report.
 */
final class HttpGate extends ChannelInboundHandlerAdapter {

    private final long timeoutNanos;
    private final ServerMetrics metrics;
    private final int maxBodyBytes;
    /** Body bytes of the current request so far. */
    private long bodyBytes;
    private final Arrivals arrivals = new Arrivals();
    private ScheduledFuture<?> deadline;
    private boolean discarding;
    /** Bytes arrived since the last complete request. */
    private boolean begun;
    private boolean removed;

    HttpGate(long timeoutNanos) {
        this(timeoutNanos, ServerMetrics.detached(), 0);
    }

    HttpGate(long timeoutNanos, ServerMetrics metrics) {
        this(timeoutNanos, metrics, 0);
    }

    /** @param maxBodyBytes the largest body a plain HTTP request may have; 0 for none */
    HttpGate(long timeoutNanos, ServerMetrics metrics, int maxBodyBytes) {
        this.timeoutNanos = timeoutNanos;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The handler to place just before the HTTP decoder; it leaves the pipeline after the gate. */
    ChannelInboundHandlerAdapter arrivals() {
        return arrivals;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        removed = true;
        disarm();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        disarm();
        ctx.fireChannelInactive();
    }

    /** Starts (again) the time the next request has to arrive complete. */
    void arm(ChannelHandlerContext ctx) {
        disarm();
        deadline = ctx.executor().schedule(() -> {
            if (begun) {
                metrics.abuse(Abuse.HANDSHAKE_TIMEOUT, NettyConnection.formatAddress(ctx.channel().remoteAddress()),
                        "request not complete within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
            }
            ctx.close();
        }, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void disarm() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpObject)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (discarding) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest) {
            HttpRequest request = (HttpRequest) msg;
            if (deadline == null) {
                arm(ctx);
            }
            if (request.decoderResult().isFailure() && !ctx.channel().isActive()) {
                // The decoder gives up on a request cut short by the close (ours at the deadline,
                // or the peer's): nobody to answer, and nothing more to report.
                ReferenceCountUtil.release(msg);
                discarding = true;
                return;
            }
            if (request.decoderResult().isFailure()) {
                Throwable cause = request.decoderResult().cause();
                refuse(ctx, msg, cause instanceof TooLongFrameException
                        ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE : HttpResponseStatus.BAD_REQUEST);
                return;
            }
            bodyBytes = 0;
            // Only a WebSocket upgrade counts: other upgrades (a client's offer of h2c) are ignored
            // and the request is served as HTTP/1.1 with its body.
            boolean upgrade = request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
            long declared = HttpUtil.getContentLength(request, 0L);
            boolean chunked = HttpUtil.isTransferEncodingChunked(request);
            if ((declared > 0 || chunked) && (upgrade || maxBodyBytes == 0) || declared > maxBodyBytes) {
                refuse(ctx, msg, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
                return;
            }
        } else if (msg instanceof HttpContent && ((HttpContent) msg).content().isReadable()) {
            bodyBytes += ((HttpContent) msg).content().readableBytes();
            if (bodyBytes > maxBodyBytes) {
                refuse(ctx, msg, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
                return;
            }
        }
        if (msg instanceof LastHttpContent) {
            begun = false;
            disarm();
        }
        ctx.fireChannelRead(msg);
    }

    private void refuse(ChannelHandlerContext ctx, Object msg, HttpResponseStatus status) {
        ReferenceCountUtil.release(msg);
        discarding = true;
        disarm();
        Abuse kind = status.equals(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE) ? Abuse.REQUEST_BODY
                : status.equals(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE) ? Abuse.HEADERS_TOO_LARGE
                : Abuse.MALFORMED_REQUEST;
        metrics.abuse(kind, NettyConnection.formatAddress(ctx.channel().remoteAddress()), status.toString());
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        response.headers().set(HttpHeaderNames.CONNECTION, "close");
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /** Marks that bytes of a request arrived; once the gate is gone, takes itself out at the next read. */
    private final class Arrivals extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (removed) {
                ctx.pipeline().remove(this);
            } else if (msg instanceof ByteBuf && ((ByteBuf) msg).isReadable()) {
                begun = true;
            }
            ctx.fireChannelRead(msg);
        }
    }
}
