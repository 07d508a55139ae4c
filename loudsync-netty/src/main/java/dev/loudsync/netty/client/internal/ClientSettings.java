package dev.loudsync.netty.client.internal;

import dev.loudsync.core.TimeSource;
import dev.loudsync.netty.client.ClientListener;
import dev.loudsync.netty.client.ReconnectPolicy;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.net.URI;
import java.time.Duration;

/**
 * A client's settings, as {@code LoudSyncClient.Builder} validated them.
 *
 * @param url               the host's {@code ws://} or {@code wss://} URL, with a path
 * @param heartbeatInterval how often to send {@code HEARTBEAT}; null: what {@code WELCOME} announces
 * @param membersChanged    whether to announce the {@code membersChanged} capability
 * @param tls               the TLS context of a {@code wss://} URL; null: the JDK's trusted authorities
 * @param group             the application's event loops; null: a thread of the client's own
 * @param auth              1.1: the credential sent as {@code JOIN.auth}, or null
 * @param sharedState       1.1: whether to announce the {@code state} capability
 * @param requestTimeout    1.1: how long a request waits for its answer
 */
public record ClientSettings(URI url, String sessionId, String deviceId, String deviceName, String pin,
        Duration heartbeatInterval, Duration connectTimeout, ReconnectPolicy reconnect, ClientListener listener,
        TimeSource time, boolean membersChanged, SslContext tls, EventLoopGroup group, String auth,
        boolean sharedState, Duration requestTimeout) {
}
