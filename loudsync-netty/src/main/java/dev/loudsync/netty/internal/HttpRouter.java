package dev.loudsync.netty.internal;

import dev.loudsync.netty.WebHandler;
import dev.loudsync.netty.WebRequest;
import dev.loudsync.netty.WebResponse;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends WebSocket upgrades for the LoudSync path on to the handshake (after the origin check), and
 * answers every other request: plain HTTP through the application's {@link WebHandler}, anything
 * else with 404.
 */
final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);

    private final String path;
    private final OriginPolicy origins;
    private final WebHandler web;
    private final boolean tls;
    private final ServerMetrics metrics;

    HttpRouter(String path, OriginPolicy origins, WebHandler web, boolean tls) {
        this(path, origins, web, tls, ServerMetrics.detached());
    }

    HttpRouter(String path, OriginPolicy origins, WebHandler web, boolean tls, ServerMetrics metrics) {
        super(false);
        this.path = path;
        this.origins = origins;
        this.web = web;
        this.tls = tls;
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
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
        FullHttpResponse response = web != null ? serve(ctx, request, uri) : status(HttpResponseStatus.NOT_FOUND);
        respond(ctx, request, response, HttpUtil.isKeepAlive(request));
    }

    private FullHttpResponse serve(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : request.headers()) {
            headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue());
        }
        WebRequest webRequest = new WebRequest(request.method().name(), uri.path(), uri.parameters(), headers,
                (InetSocketAddress) ctx.channel().remoteAddress());
        WebResponse answer;
        try {
            answer = web.handle(webRequest);
        } catch (RuntimeException e) {
            log.warn("Web handler failed on {} {}", webRequest.method(), webRequest.path(), e);
            return status(HttpResponseStatus.INTERNAL_SERVER_ERROR);
        }
        if (answer == null) {
            return status(HttpResponseStatus.NOT_FOUND);
        }
        boolean head = request.method().equals(HttpMethod.HEAD);
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(),
                HttpResponseStatus.valueOf(answer.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(answer.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        for (Map.Entry<String, String> h : answer.headers().entrySet()) {
            response.headers().set(h.getKey(), h.getValue());
        }
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
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
