package dev.loudsync.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.core.SessionConfig;
import dev.loudsync.netty.LoudSyncServer;
import dev.loudsync.netty.client.LoudSyncClient;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The transport choice, on whichever Netty the suite runs with: 4.1 by default, 4.2 in CI's second
 * pass ({@code -Dnetty.version=4.2.x}), where the 4.2-only cases run instead of being skipped.
 */
class TransportsTest {

    private static final boolean NETTY_42 = present("io.netty.channel.MultiThreadIoEventLoopGroup");

    @Test
    void nio_whenNativeIsNotWanted_withNioChannels() {
        EventLoopGroup group = Transports.newGroup(1, new DefaultThreadFactory("t"), false);
        try {
            assertThat(group).isInstanceOf(NioEventLoopGroup.class);
            assertThat(Transports.serverChannel(group)).isEqualTo(NioServerSocketChannel.class);
            assertThat(Transports.socketChannel(group.next())).isEqualTo(NioSocketChannel.class);
            assertThat(Transports.name(group)).isEqualTo("nio");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void epoll_whenWantedAndAvailable_withEpollChannels_forTheGroupAndItsLoops() {
        Assumptions.assumeTrue(Epoll.isAvailable(), "no native epoll on this platform");
        assertThat(Transports.epollAvailable()).isTrue();
        EventLoopGroup group = Transports.newGroup(1, new DefaultThreadFactory("t"), true);
        try {
            assertThat(group).isInstanceOf(EpollEventLoopGroup.class);
            assertThat(Transports.serverChannel(group)).isEqualTo(EpollServerSocketChannel.class);
            assertThat(Transports.socketChannel(group.next())).isEqualTo(EpollSocketChannel.class);
            assertThat(Transports.name(group.next())).isEqualTo("epoll");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /**
     * Groups an application makes and hands to the server and the client: Netty 4.1's classes
     * (deprecated but still there on 4.2) and 4.2's {@code MultiThreadIoEventLoopGroup} with an
     * {@code IoHandler}, made by reflection since the suite compiles against 4.1.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "4.2 nio", "4.2 epoll"})
    void anApplicationsGroup_servesAndConnects_withChannelsOfItsTransport(String kind) throws Exception {
        boolean epoll = kind.endsWith("epoll");
        Assumptions.assumeTrue(!kind.startsWith("4.2") || NETTY_42, "Netty 4.2 only; running " + nettyVersion());
        Assumptions.assumeTrue(!epoll || Epoll.isAvailable(), "no native epoll on this platform");
        ThreadFactory threads = new DefaultThreadFactory("app", true);
        EventLoopGroup group = switch (kind) {
            case "nio" -> new NioEventLoopGroup(2, threads);
            case "epoll" -> new EpollEventLoopGroup(2, threads);
            default -> ioHandlerGroup(epoll ? "io.netty.channel.epoll.EpollIoHandler"
                    : "io.netty.channel.nio.NioIoHandler", threads);
        };
        try {
            assertThat(Transports.name(group)).isEqualTo(epoll ? "epoll" : "nio");
            assertThat(Transports.name(group.next())).isEqualTo(epoll ? "epoll" : "nio");
            assertThat(Transports.serverChannel(group))
                    .isEqualTo(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
            assertThat(Transports.socketChannel(group.next()))
                    .isEqualTo(epoll ? EpollSocketChannel.class : NioSocketChannel.class);

            LoudSyncServer server = LoudSyncServer.builder().bindAddress("127.0.0.1").port(0)
                    .eventLoopGroups(group, group).build();
            try {
                server.start().get(10, TimeUnit.SECONDS);
                server.openSession(SessionConfig.builder().sessionId("ABC123").host("host-1", "Host").build());
                try (LoudSyncClient client = LoudSyncClient.builder()
                        .url(URI.create("ws://127.0.0.1:" + server.port() + "/"))
                        .sessionId("ABC123").device("phone-1", "Phone")
                        .eventLoopGroup(group)
                        .build()) {
                    assertThat(client.connect().get(10, TimeUnit.SECONDS).yourDeviceId()).isEqualTo("phone-1");
                }
            } finally {
                server.close();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Without {@code netty-transport-classes-epoll} (it is an optional dependency) the server still
     * makes groups, NIO ones, and asking for native is no error.
     */
    @Test
    void withoutTheEpollClasses_nativeWanted_isNio() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!Path.of(entry).getFileName().toString().contains("epoll")) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        try (URLClassLoader noEpoll = new URLClassLoader(urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            assertThat(present("io.netty.channel.epoll.EpollEventLoopGroup", noEpoll)).isFalse();
            Class<?> transports = Class.forName(Transports.class.getName(), true, noEpoll);
            Class<?> groupType = Class.forName(EventLoopGroup.class.getName(), false, noEpoll);
            Object group = transports.getMethod("newGroup", int.class, ThreadFactory.class, boolean.class)
                    .invoke(null, 1, Class.forName(DefaultThreadFactory.class.getName(), false, noEpoll)
                            .getConstructor(String.class).newInstance("t"), true);
            try {
                assertThat(group.getClass().getName()).isEqualTo(NioEventLoopGroup.class.getName());
                assertThat(((Class<?>) transports.getMethod("serverChannel", groupType).invoke(null, group))
                        .getName()).isEqualTo(NioServerSocketChannel.class.getName());
                assertThat(transports.getMethod("name", groupType).invoke(null, group)).isEqualTo("nio");
            } finally {
                groupType.getMethod("shutdownGracefully").invoke(group);
            }
        }
    }

    private static EventLoopGroup ioHandlerGroup(String handler, ThreadFactory threads) throws Exception {
        Class<?> factoryType = Class.forName("io.netty.channel.IoHandlerFactory");
        Object factory = Class.forName(handler).getMethod("newFactory").invoke(null);
        return (EventLoopGroup) Class.forName("io.netty.channel.MultiThreadIoEventLoopGroup")
                .getConstructor(int.class, ThreadFactory.class, factoryType)
                .newInstance(2, threads, factory);
    }

    private static String nettyVersion() {
        io.netty.util.Version v = io.netty.util.Version.identify().get("netty-transport");
        return v == null ? "an unknown Netty" : "Netty " + v.artifactVersion();
    }

    private static boolean present(String name) {
        return present(name, TransportsTest.class.getClassLoader());
    }

    private static boolean present(String name, ClassLoader loader) {
        try {
            Class.forName(name, false, loader);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
