package dev.loudsync.netty.internal;

import dev.loudsync.netty.AsyncWebHandler;
import dev.loudsync.netty.WebRequest;
import dev.loudsync.netty.WebResponse;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends WebSocket upgrades for the LoudSync path on to the handshake (after the origin check), and
 * answers every other request: plain HTTP through the application's web handler, anything else
 * with 404.
 *
 * <p>The handler may answer later ({@link AsyncWebHandler}): the connection reads nothing more until
 * the answer is written, and requests that had already arrived with it (pipelined in the same
 * read) wait in order behind it, so answers keep the order of the requests. A {@code 200} answer that
 * offers byte ranges ({@code Accept-Ranges: bytes}) is cut to the request's single {@code Range}
 * ({@code 206} with {@code Content-Range}, or {@code 416} for a range outside the body), as media
 * players ask when they seek.
 */
final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);

    private final String path;
    private final OriginPolicy origins;
    private final AsyncWebHandler web;
    private final boolean tls;
    private final ServerMetrics metrics;
    /** Requests that arrived while an answer was outstanding, in order; the channel's loop only. */
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private boolean answering;

    HttpRouter(String path, OriginPolicy origins, AsyncWebHandler web, boolean tls) {
        this(path, origins, web, tls, ServerMetrics.detached());
    }

    HttpRouter(String path, OriginPolicy origins, AsyncWebHandler web, boolean tls, ServerMetrics metrics) {
        super(false);
        this.path = path;
        this.origins = origins;
        this.web = web;
        this.tls = tls;
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (answering) {
            waiting.add(request);
        } else {
            route(ctx, request);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        FullHttpRequest r;
        while ((r = waiting.poll()) != null) {
            r.release();
        }
        super.channelInactive(ctx);
    }

    private void route(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        boolean upgrade = request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
        if (upgrade) {
            if (!uri.path().equals(path)) {
                respond(ctx, request, status(HttpResponseStatus.NOT_FOUND), false);
            } else if (!origins.allows(request.headers().get(HttpHeaderNames.ORIGIN),
                    request.headers().get(HttpHeaderNames.HOST), tls)) {
                log.debug("Refused a WebSocket upgrade from {} with origin {}", ctx.channel().remoteAddress(),
                        request.headers().get(HttpHeaderNames.ORIGIN));
                metrics.abuse(dev.loudsync.netty.Abuse.ORIGIN_REFUSED,
                        NettyConnection.formatAddress(ctx.channel().remoteAddress()),
                        "origin " + request.headers().get(HttpHeaderNames.ORIGIN));
                respond(ctx, request, status(HttpResponseStatus.FORBIDDEN), false);
            } else {
                ctx.fireChannelRead(request);
            }
            return;
        }
        if (web == null) {
            respond(ctx, request, status(HttpResponseStatus.NOT_FOUND), HttpUtil.isKeepAlive(request));
            return;
        }
        serve(ctx, request, uri);
    }

    private void serve(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : request.headers()) {
            headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue());
        }
        byte[] body = ByteBufUtil.getBytes(request.content());
        WebRequest webRequest = new WebRequest(request.method().name(), uri.path(), uri.parameters(), headers,
                (InetSocketAddress) ctx.channel().remoteAddress(), body);
        CompletionStage<WebResponse> answer;
        try {
            answer = web.handle(webRequest);
        } catch (RuntimeException e) {
            CompletableFuture<WebResponse> failed = new CompletableFuture<>();
            failed.completeExceptionally(e);
            answer = failed;
        }
        answering = true;
        ctx.channel().config().setAutoRead(false);
        answer.whenComplete((response, error) -> ctx.executor().execute(() -> {
            answering = false;
            ctx.channel().config().setAutoRead(true);
            if (error != null) {
                log.warn("Web handler failed on {} {}", webRequest.method(), webRequest.path(), error);
            }
            respond(ctx, request, error != null ? status(HttpResponseStatus.INTERNAL_SERVER_ERROR)
                    : response == null ? status(HttpResponseStatus.NOT_FOUND) : toHttp(request, response),
                    HttpUtil.isKeepAlive(request));
            FullHttpRequest next;
            while (!answering && ctx.channel().isActive() && (next = waiting.poll()) != null) {
                route(ctx, next);
            }
        }));
    }

    private static FullHttpResponse toHttp(FullHttpRequest request, WebResponse answer) {
        boolean head = request.method().equals(HttpMethod.HEAD);
        byte[] body = answer.body();
        HttpResponseStatus status = HttpResponseStatus.valueOf(answer.status());
        String contentRange = null;
        String range = request.headers().get(HttpHeaderNames.RANGE);
        if (range != null && answer.status() == 200 && "bytes".equals(answer.headers().get("Accept-Ranges"))) {
            long[] span = ByteRange.parse(range, body.length);
            if (span == null) {
                FullHttpResponse refused = status(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
                refused.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + body.length);
                return refused;
            }
            if (span.length == 2) {
                status = HttpResponseStatus.PARTIAL_CONTENT;
                contentRange = "bytes " + span[0] + "-" + span[1] + "/" + body.length;
                body = Arrays.copyOfRange(body, (int) span[0], (int) span[1] + 1);
            }
        }
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), status,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        for (Map.Entry<String, String> h : answer.headers().entrySet()) {
            response.headers().set(h.getKey(), h.getValue());
        }
        if (contentRange != null) {
            response.headers().set(HttpHeaderNames.CONTENT_RANGE, contentRange);
        }
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return response;
    }

    private static FullHttpResponse status(HttpResponseStatus status) {
        FullHttpResponse r = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1, status,
                Unpooled.EMPTY_BUFFER);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        return r;
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response,
            boolean keepAlive) {
        request.release();
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (!request.protocolVersion().isKeepAliveDefault()) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ChannelFuture f = ctx.writeAndFlush(response);
        if (keepAlive) {
            HttpGate gate = ctx.pipeline().get(HttpGate.class);
            if (gate != null) {
                gate.arm(ctx.pipeline().context(gate));
            }
        } else {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
