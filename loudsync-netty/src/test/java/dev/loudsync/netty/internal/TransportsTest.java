package dev.loudsync.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class TransportsTest {

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
}
