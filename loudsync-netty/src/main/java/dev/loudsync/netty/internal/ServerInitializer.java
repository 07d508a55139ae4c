package dev.loudsync.netty.internal;

import dev.loudsync.netty.Abuse;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.util.function.Supplier;

/** The pipeline of one connection, top to bottom. */
final class ServerInitializer extends ChannelInitializer<Channel> {

    /** Bytes allowed for the request line, and for all headers together. */
    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_HEADERS = 8192;

    private final ServerContext server;
    private final ChannelGroup channels;
    private final WebSocketServerProtocolConfig webSocket;
    private final Supplier<ChannelHandler> last;

    ServerInitializer(ServerContext server, ChannelGroup channels) {
        this(server, channels, () -> new SessionBridge(server));
    }

    /**
     * The same pipeline with another last handler in place of the session bridge; the conformance
     * test puts an echo there, so that a WebSocket test suite exercises exactly this configuration.
     */
    ServerInitializer(ServerContext server, ChannelGroup channels, Supplier<ChannelHandler> last) {
        this.server = server;
        this.channels = channels;
        this.last = last;
        ServerRuntime.Settings s = server.settings();
        this.webSocket = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(s.path())
                .checkStartsWith(true) // the router already matched the path, query strings included
                .handshakeTimeoutMillis(s.handshakeTimeout().toMillis())
                .forceCloseTimeoutMillis(2_000)
                .handleCloseFrames(true)
                .sendCloseFrame(null) // LoudSync sends its own close frames: exactly one per close
                .dropPongFrames(false) // pongs are signs of life
                .decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(s.maxFrameBytes())
                        .allowExtensions(false)
                        .withUTF8Validator(true)
                        .closeOnProtocolViolation(true)
                        .build())
                .build();
    }

    @Override
    protected void initChannel(Channel ch) {
        String address = NettyConnection.formatAddress(ch.remoteAddress());
        String ip = JoinGuard.ipOf(address);
        if (!server.limits().tryAcquire(ip)) {
            ch.close();
            server.metrics().abuse(Abuse.TOO_MANY_CONNECTIONS, address, "over the connection limit");
            return;
        }
        ch.closeFuture().addListener(f -> server.limits().release(ip));
        channels.add(ch);
        ServerRuntime.Settings s = server.settings();
        ChannelPipeline p = ch.pipeline();
        if (s.tls() != null) {
            p.addLast(s.tls().newHandler(ch.alloc()));
        }
        HttpGate gate = new HttpGate(s.handshakeTimeout().toNanos(), server.metrics(), s.maxRequestBodyBytes());
        p.addLast(gate.arrivals());
        p.addLast(new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADERS, 8192));
        p.addLast(gate);
        p.addLast(new HttpObjectAggregator(Math.max(1024, s.maxRequestBodyBytes())));
        p.addLast(new HttpRouter(s.path(), server.origins(), s.webHandler(), s.tls() != null, server.metrics()));
        p.addLast(new WebSocketServerProtocolHandler(webSocket));
        p.addLast(new WebSocketFrameAggregator(s.maxFrameBytes()));
        p.addLast(last.get());
    }
}
