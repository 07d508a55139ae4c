package dev.loudsync.netty.client.internal;

import dev.loudsync.core.Member;
import dev.loudsync.core.protocol.ApplicationMessage;
import dev.loudsync.core.protocol.Capability;
import dev.loudsync.core.protocol.GuestMessage;
import dev.loudsync.core.protocol.HostMessage;
import dev.loudsync.core.protocol.ProtocolRules;
import dev.loudsync.netty.client.ClientListener;
import dev.loudsync.netty.client.ClientState;
import dev.loudsync.netty.client.ClockEstimate;
import dev.loudsync.netty.client.JoinRefusedException;
import dev.loudsync.netty.client.TlsFailedException;
import dev.loudsync.netty.internal.ClientCodec;
import dev.loudsync.netty.internal.Transports;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@code LoudSyncClient}: one guest's life, from connecting to its end. It joins
 * on every new connection (with its resume token after the first {@code WELCOME}), dispatches what
 * the host sends to its parts ({@link ClientView}, {@link Liveness}, 1.1's {@link ClientSharedState}
 * and {@link ClientRequests}) and to the listener, and after
 * each connection's end lets {@link Reconnects} decide whether to try again.
 *
 * <p>Everything runs on one event loop (the client's own thread or one of the application's);
 * listener calls too, one at a time. The public methods may be called from any thread. Not API.
 */
public final class ClientEngine {

    private static final Logger log = LoggerFactory.getLogger(ClientEngine.class);
    /** How long a LEAVE may take to reach the host before the connection is closed anyway. */
    private static final long LEAVE_CLOSE_DELAY_SECONDS = 2;

    private final ClientSettings settings;
    private final ClientListener listener;
    private final EventLoopGroup ownGroup;
    private final EventLoop loop;
    private final ClientCodec codec = new ClientCodec();
    private final ClientConnections connections;
    private final ClientView view;
    private final Liveness liveness;
    private final Reconnects reconnects;
    private final ClientRequests requests;
    private final ClientSharedState sharedState;

    // Event loop only; state is also read from any thread.
    private volatile ClientState state = ClientState.DISCONNECTED;
    private Channel channel;
    private CompletableFuture<HostMessage.Welcome> connecting;
    private CompletableFuture<Void> leaving;
    private String resumeToken;
    /** The host kicked this client or ended the session: the end is final. */
    private boolean finalEnd;
    private int closeCode;
    private ScheduledFuture<?> reconnectTask;

    public ClientEngine(ClientSettings settings) {
        this.settings = settings;
        this.listener = settings.listener();
        if (settings.group() != null) {
            this.ownGroup = null;
            this.loop = settings.group().next();
        } else {
            this.ownGroup = Transports.newGroup(1, new DefaultThreadFactory("loudsync-client", true), true);
            this.loop = ownGroup.next();
        }
        this.connections = new ClientConnections(settings, loop, new Events());
        this.view = new ClientView(listener, this::notify);
        this.liveness = new Liveness(loop, settings.time(), settings.deviceId(), settings.heartbeatInterval(),
                this::sendMessage);
        this.reconnects = new Reconnects(settings.reconnect());
        this.requests = new ClientRequests(loop, settings.requestTimeout());
        this.sharedState = new ClientSharedState(listener, this::notify);
    }

    // ---- any thread

    /** See {@code LoudSyncClient.connect()}. */
    public CompletableFuture<HostMessage.Welcome> connect() {
        CompletableFuture<HostMessage.Welcome> result = new CompletableFuture<>();
        loop.execute(() -> {
            if (connecting != null && !connecting.isDone()) {
                connecting.whenComplete((w, e) -> complete(result, w, e));
                return;
            }
            if (state == ClientState.CONNECTED || state == ClientState.RECONNECTING) {
                result.completeExceptionally(new IllegalStateException("already " + state));
                return;
            }
            connecting = result;
            finalEnd = false;
            reconnects.reset();
            setState(ClientState.CONNECTING);
            open();
        });
        return result;
    }

    public ClientState connectionState() {
        return state;
    }

    public Map<String, Object> sharedState() {
        return sharedState.state();
    }

    public long sharedStateVersion() {
        return sharedState.version();
    }

    public List<Member> members() {
        return view.members();
    }

    public OptionalInt latencyMillis() {
        return liveness.latencyMillis();
    }

    public Optional<ClockEstimate> clockEstimate() {
        return liveness.clockEstimate();
    }

    public long hostTimeNow() {
        return liveness.hostTimeNow();
    }

    /**
     * Sends an application message; see {@code LoudSyncClient.send}. The payload is encoded on the
     * calling thread, so a payload that is not a JSON object throws here.
     */
    public CompletableFuture<Void> send(String type, Object payload) {
        String text = codec.encodeToString(codec.application(type, payload), settings.time().currentTimeMillis());
        CompletableFuture<Void> result = new CompletableFuture<>();
        loop.execute(() -> {
            if (state != ClientState.CONNECTED || channel == null) {
                result.completeExceptionally(new IllegalStateException("not connected (" + state + ")"));
                return;
            }
            channel.writeAndFlush(new TextWebSocketFrame(text)).addListener(f -> complete(result, null, f.cause()));
        });
        return result;
    }

    /** An application message of {@code payload} (see {@code ClientCodec.application}). */
    public ApplicationMessage application(String type, Object payload) {
        return codec.application(type, payload);
    }

    /** {@code value} (plain values) bound to {@code type} with Jackson (see {@code ClientCodec.convert}). */
    public <T> T convert(Object value, Class<T> type) {
        return codec.convert(value, type);
    }

    /**
     * Sends a request (1.1): {@code message} made with the request's id, answered by the host's
     * {@code ACK} (the future completes with its result) or {@code ERROR} (see
     * {@link ClientRequests}). Fails at once when not connected.
     */
    public CompletableFuture<Object> request(Function<String, GuestMessage> message) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        loop.execute(() -> {
            if (state != ClientState.CONNECTED || channel == null) {
                result.completeExceptionally(new IllegalStateException("not connected (" + state + ")"));
                return;
            }
            String id = requests.open(result);
            ByteBuf frame;
            try {
                frame = codec.encode(message.apply(id), settings.time().currentTimeMillis(), channel.alloc());
            } catch (RuntimeException e) {
                requests.fail(id, e);
                return;
            }
            channel.writeAndFlush(new TextWebSocketFrame(frame)).addListener(f -> {
                if (!f.isSuccess()) {
                    requests.fail(id, new IllegalStateException("not sent: " + f.cause(), f.cause()));
                }
            });
        });
        return result;
    }

    /** See {@code LoudSyncClient.leave()}. */
    public CompletableFuture<Void> leave() {
        CompletableFuture<Void> result = new CompletableFuture<>();
        loop.execute(() -> {
            finalEnd = true;
            cancel(reconnectTask);
            if (channel == null || !channel.isActive()) {
                setState(ClientState.DISCONNECTED);
                result.complete(null);
                return;
            }
            leaving = result;
            if (state == ClientState.CONNECTED) {
                sendMessage(new GuestMessage.Leave(null));
            }
            Channel ch = channel;
            loop.schedule(() -> ch.close(), LEAVE_CLOSE_DELAY_SECONDS, TimeUnit.SECONDS);
        });
        return result;
    }

    /** See {@code LoudSyncClient.close()}. */
    public void close() {
        if (!loop.isShuttingDown()) {
            CompletableFuture<Void> leaving = leave();
            // On the client's own loop (a listener), waiting would block the leave it waits for.
            if (!loop.inEventLoop()) {
                try {
                    leaving.get(3, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the caller's to handle; the close goes on
                } catch (Exception e) {
                    log.debug("Leaving did not finish: {}", e.toString());
                }
            }
            // Done waiting (or told to stop, or on the loop, after the leave's task): end now rather
            // than when the leave's close is due, and before the loop stops, so the final state is
            // set on it.
            try {
                loop.execute(this::endNow);
            } catch (RejectedExecutionException e) {
                log.debug("The client's loop stopped before it could end the connection");
            }
        }
        if (ownGroup != null) {
            io.netty.util.concurrent.Future<?> stopping = ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            if (!loop.inEventLoop()) {
                stopping.syncUninterruptibly(); // keeps the caller's interrupt flag
            }
        }
    }

    // ---- event loop

    /** The end {@code close()} asks for: the connection closed, and its end taken at once. */
    private void endNow() {
        finalEnd = true;
        cancel(reconnectTask);
        Channel ch = channel;
        channel = null; // its inactive event, if the stopping loop still runs it, is not awaited
        if (ch != null) {
            ch.close();
        }
        lost(null);
    }

    private void open() {
        closeCode = 0;
        connections.open();
    }

    private final class Events implements ClientConnections.Events {
        @Override
        public void opened(Channel ch) {
            channel = ch;
        }

        @Override
        public void handshaken(Channel ch) {
            Set<String> caps = new HashSet<>();
            if (settings.membersChanged()) {
                caps.add(Capability.MEMBERS_CHANGED);
            }
            if (settings.sharedState()) {
                caps.add(Capability.STATE);
            }
            if (settings.latencies()) {
                caps.add(Capability.LATENCIES);
            }
            sendMessage(new GuestMessage.Join(settings.sessionId(), settings.deviceId(), settings.deviceName(),
                    ProtocolRules.CLIENT_VERSION, settings.pin(), resumeToken, caps, settings.auth()));
        }

        @Override
        public void text(ByteBuf utf8) {
            ClientCodec.Incoming in = codec.decode(utf8);
            if (in == null) {
                log.debug("Ignoring a message this client does not understand: {}",
                        utf8.toString(utf8.readerIndex(), Math.min(utf8.readableBytes(), 200), StandardCharsets.UTF_8));
                return;
            }
            onMessage(in);
        }

        @Override
        public void closeFrame(int code) {
            closeCode = code;
        }

        @Override
        public void ended(Channel ch, Throwable cause) {
            if (ch == null) {
                lost(cause); // could not connect
            } else if (ch == channel) {
                channel = null;
                lost(cause);
            }
        }
    }

    private void onMessage(ClientCodec.Incoming in) {
        HostMessage m = in.message();
        if (view.apply(m) || sharedState.apply(m) || requests.answer(m)) {
            return;
        }
        if (m instanceof HostMessage.JoinRequested) {
            HostMessage.JoinRequested r = (HostMessage.JoinRequested) m;
            notify(() -> listener.joinRequested(r.deviceId(), r.deviceName()));
        } else if (m instanceof HostMessage.JoinRequestEnded) {
            HostMessage.JoinRequestEnded r = (HostMessage.JoinRequestEnded) m;
            notify(() -> listener.joinRequestEnded(r.deviceId(), r.outcome()));
        } else if (m instanceof ApplicationMessage) {
            ApplicationMessage a = (ApplicationMessage) m;
            notify(() -> listener.message(a.type(), a.payload()));
        } else if (m instanceof HostMessage.Welcome) {
            onWelcome((HostMessage.Welcome) m);
        } else if (m instanceof HostMessage.Ping) {
            sendMessage(new GuestMessage.Pong(in.timestamp()));
        } else if (m instanceof HostMessage.Pong) {
            liveness.pong((HostMessage.Pong) m);
        } else if (m instanceof HostMessage.Kicked) {
            finalEnd = true;
            String reason = ((HostMessage.Kicked) m).reason();
            notify(() -> listener.kicked(reason));
        } else if (m instanceof HostMessage.SessionClosed) {
            finalEnd = true;
            String reason = ((HostMessage.SessionClosed) m).reason();
            notify(() -> listener.sessionClosed(reason));
        } else if (m instanceof HostMessage.Error) {
            HostMessage.Error e = (HostMessage.Error) m;
            notify(() -> listener.error(e.code(), e.message()));
        }
    }

    private void onWelcome(HostMessage.Welcome w) {
        resumeToken = w.resumeToken();
        reconnects.reset();
        setState(ClientState.CONNECTED);
        liveness.start(w);
        if (channel != null) {
            HostWatchdog.watch(channel, Duration.ofMillis(w.heartbeatTimeoutMs()));
        }
        notify(() -> listener.connected(w));
        if (connecting != null) {
            connecting.complete(w);
            connecting = null;
        }
    }

    /** The connection ended, or could not be opened: the end of this client, or a reconnect. */
    private void lost(Throwable cause) {
        liveness.stop();
        requests.connectionEnded();
        int code = closeCode != 0 ? closeCode : 1006;
        if (leaving != null) {
            setState(ClientState.DISCONNECTED);
            leaving.complete(null);
            leaving = null;
            failConnecting(new IllegalStateException("left"));
            return;
        }
        if (cause instanceof TlsFailedException) {
            // The host's certificate will be the same at the next attempt: the end is final.
            log.debug("Connection to {} failed: {}", settings.url(), cause.getMessage());
            setState(ClientState.FAILED);
            failConnecting(cause);
            return;
        }
        switch (reconnects.decide(code, finalEnd, resumeToken != null)) {
            case ENDED -> {
                setState(ClientState.DISCONNECTED);
                failConnecting(new JoinRefusedException(code));
            }
            case REFUSED -> {
                setState(ClientState.FAILED);
                failConnecting(new JoinRefusedException(code));
            }
            case GAVE_UP -> {
                setState(ClientState.FAILED);
                failConnecting(cause != null ? cause : new JoinRefusedException(code));
            }
            case RETRY -> {
                setState(ClientState.RECONNECTING);
                Duration delay = reconnects.nextDelay();
                log.debug("Connection to {} lost (close {}); reconnecting in {}", settings.url(), code, delay);
                reconnectTask = loop.schedule(this::open, delay.toNanos(), TimeUnit.NANOSECONDS);
            }
        }
    }

    private void failConnecting(Throwable cause) {
        if (connecting != null) {
            connecting.completeExceptionally(cause);
            connecting = null;
        }
    }

    private void setState(ClientState next) {
        ClientState previous = state;
        if (previous == next) {
            return;
        }
        state = next;
        notify(() -> listener.stateChanged(previous, next));
    }

    /** Sends {@code message} on the current connection, if there is one. */
    private void sendMessage(GuestMessage message) {
        if (channel != null && channel.isActive()) {
            channel.writeAndFlush(new TextWebSocketFrame(
                    codec.encode(message, settings.time().currentTimeMillis(), channel.alloc())));
        }
    }

    /** Runs a listener call; what it throws is logged, never passed on. */
    private void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("Client listener failed", e);
        }
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    private static <T> void complete(CompletableFuture<T> f, T value, Throwable error) {
        if (error != null) {
            f.completeExceptionally(error);
        } else {
            f.complete(value);
        }
    }
}
