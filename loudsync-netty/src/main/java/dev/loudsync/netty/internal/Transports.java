package dev.loudsync.netty.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.ThreadFactory;

/**
 * Chooses between Netty's NIO transport and Linux's native epoll transport.
 *
 * <p>Epoll is used when it is asked for and {@code netty-transport-native-epoll} for this machine's
 * platform is on the class path (the example host ships it for x86-64 and AArch64); NIO
 * everywhere else (macOS, Windows, Android, or a Linux without the native library). Channels
 * always follow the group they are registered with, so an application's own groups decide for
 * themselves.
 */
public final class Transports {

    private static final boolean EPOLL = epollAvailable();

    private Transports() {
    }

    private static boolean epollAvailable() {
        try {
            return io.netty.channel.epoll.Epoll.isAvailable();
        } catch (LinkageError e) { // the epoll classes were left out of the application
            return false;
        }
    }

    /** A new group of {@code threads} event loops: epoll when wanted and available, NIO otherwise. */
    public static EventLoopGroup newGroup(int threads, ThreadFactory threadFactory, boolean nativeWanted) {
        if (nativeWanted && EPOLL) {
            return new io.netty.channel.epoll.EpollEventLoopGroup(threads, threadFactory);
        }
        return new NioEventLoopGroup(threads, threadFactory);
    }

    /** The listening channel type that can be registered with {@code group}. */
    public static Class<? extends ServerChannel> serverChannel(EventLoopGroup group) {
        return isEpoll(group) ? io.netty.channel.epoll.EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The connecting channel type that can be registered with {@code group}. */
    public static Class<? extends SocketChannel> socketChannel(EventLoopGroup group) {
        return isEpoll(group) ? io.netty.channel.epoll.EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** A short name of the transport {@code group} runs, for logs. */
    public static String name(EventLoopGroup group) {
        return isEpoll(group) ? "epoll" : "nio";
    }

    private static boolean isEpoll(EventLoopGroup group) {
        // Checked only when the classes are there: an application may leave them out.
        return EPOLL && (group instanceof io.netty.channel.epoll.EpollEventLoopGroup
                || group instanceof io.netty.channel.epoll.EpollEventLoop);
    }
}
