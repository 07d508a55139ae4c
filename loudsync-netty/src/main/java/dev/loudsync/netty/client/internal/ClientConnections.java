package dev.loudsync.netty.client.internal;

import dev.loudsync.netty.internal.Transports;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the client's WebSocket connections to one URL: the bootstrap and the pipeline (TLS for
 * {@code wss://}, HTTP codec, handshake, frame aggregation) with a last handler that reports what
 * happens to {@link Events}. A close frame from the host is answered with the same code, then the
 * channel is closed. Every call and every event happens on the client's event loop.
 */
final class ClientConnections {

    /** What a connection reports, on the event loop, in this order. */
    interface Events {
        /** The TCP (and TLS) connection is up; the WebSocket handshake follows. */
        void opened(Channel channel);

        /** The WebSocket handshake completed: the connection can carry messages. */
        void handshaken(Channel channel);

        /** A text message arrived; the buffer is released after the call. */
        void text(ByteBuf utf8);

        /** The host sent a close frame with {@code code}. */
        void closeFrame(int code);

        /**
         * The connection ended ({@code cause} null, or the TLS handshake's failure), or could not
         * be opened ({@code channel} null and a cause). Once per {@link #open()}.
         */
        void ended(Channel channel, Throwable cause);
    }

    private static final Logger log = LoggerFactory.getLogger(ClientConnections.class);
    /** The largest message the client takes from a host. */
    private static final int MAX_FRAME = 64 << 20;

    private final URI url;
    private final int port;
    private final SslContext tls;
    private final int connectTimeoutMillis;
    private final EventLoop loop;
    private final Events events;

    ClientConnections(ClientSettings s, EventLoop loop, Events events) {
        this.url = s.url();
        boolean secure = "wss".equals(url.getScheme());
        this.port = url.getPort() != -1 ? url.getPort() : (secure ? 443 : 80);
        this.tls = secure ? (s.tls() != null ? s.tls() : CertificateTrust.authoritiesContext(null)) : null;
        this.connectTimeoutMillis = (int) s.connectTimeout().toMillis();
        this.loop = loop;
        this.events = events;
    }

    /** Opens a new connection; what follows is reported to the events. */
    void open() {
        Bootstrap b = new Bootstrap().group(loop).channel(Transports.socketChannel(loop))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        Handler handler = new Handler();
                        if (tls != null) {
                            SslHandler ssl = tls.newHandler(ch.alloc(), url.getHost(), port);
                            ssl.handshakeFuture().addListener(f -> {
                                if (!f.isSuccess()) {
                                    handler.tlsFailure = TlsFailures.describe(f.cause(), url.getHost() + ":" + port);
                                }
                            });
                            ch.pipeline().addLast(ssl);
                        }
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                                new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                                        .webSocketUri(url)
                                        .allowExtensions(false)
                                        .maxFramePayloadLength(MAX_FRAME)
                                        .handshakeTimeoutMillis(connectTimeoutMillis)
                                        .handleCloseFrames(false)
                                        .build()),
                                new WebSocketFrameAggregator(MAX_FRAME),
                                handler);
                    }
                });
        b.connect(url.getHost(), port).addListener(f -> {
            if (!f.isSuccess()) {
                events.ended(null, f.cause());
            }
        });
    }

    private final class Handler extends ChannelInboundHandlerAdapter {
        /** Why the TLS handshake failed, if it did: the end's cause. */
        Throwable tlsFailure;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            events.opened(ctx.channel());
            ctx.fireChannelActive();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                events.handshaken(ctx.channel());
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof TextWebSocketFrame) {
                    events.text(((TextWebSocketFrame) msg).content());
                } else if (msg instanceof CloseWebSocketFrame) {
                    CloseWebSocketFrame close = (CloseWebSocketFrame) msg;
                    events.closeFrame(close.statusCode());
                    ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), close.reasonText()))
                            .addListener(f -> ctx.close());
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            events.ended(ctx.channel(), tlsFailure);
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("Connection to {} failed: {}", url, cause.toString());
            ctx.close();
        }
    }
}
