package dev.loudsync.netty.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;

/**
 * Chooses between Netty's NIO transport and Linux's native epoll transport, on Netty 4.1 and 4.2.
 *
 * <p>Epoll is used when it is asked for and {@code netty-transport-native-epoll} for this machine's
 * platform is on the class path (the example host ships it for x86-64 and AArch64); NIO
 * everywhere else (macOS, Windows, Android, or a Linux without the native library). Channels
 * always follow the group they are registered with, so an application's own groups decide for
 * themselves: an epoll group is recognized in both of Netty's forms, 4.1's
 * {@code EpollEventLoopGroup} and 4.2's {@code MultiThreadIoEventLoopGroup} with an
 * {@code EpollIoHandler}; any other group gets NIO channels.
 *
 * <p>The epoll classes ({@code netty-transport-classes-epoll}) are an optional dependency and this
 * class is compiled against Netty 4.1, so everything epoll and everything 4.2 is looked up by name:
 * without those classes it is NIO, with no linkage error.
 */
public final class Transports {

    private static final Epoll EPOLL = Epoll.find();

    /** Netty 4.2's {@code IoEventLoopGroup.isIoType(Class)}; null on Netty 4.1. */
    private static final Method IS_IO_TYPE = method("io.netty.channel.IoEventLoopGroup", "isIoType",
            Class.class);

    private Transports() {
    }

    /** A new group of {@code threads} event loops: epoll when wanted and available, NIO otherwise. */
    public static EventLoopGroup newGroup(int threads, ThreadFactory threadFactory, boolean nativeWanted) {
        if (nativeWanted && EPOLL.available) {
            return EPOLL.newGroup(threads, threadFactory);
        }
        return new NioEventLoopGroup(threads, threadFactory);
    }

    /** The listening channel type that can be registered with {@code group}. */
    public static Class<? extends ServerChannel> serverChannel(EventLoopGroup group) {
        return isEpoll(group) ? EPOLL.serverChannel : NioServerSocketChannel.class;
    }

    /** The connecting channel type that can be registered with {@code group}. */
    public static Class<? extends SocketChannel> socketChannel(EventLoopGroup group) {
        return isEpoll(group) ? EPOLL.socketChannel : NioSocketChannel.class;
    }

    /** A short name of the transport {@code group} runs, for logs. */
    public static String name(EventLoopGroup group) {
        return isEpoll(group) ? "epoll" : "nio";
    }

    /** Whether the epoll classes are on the class path and the native library loads here. */
    static boolean epollAvailable() {
        return EPOLL.available;
    }

    private static boolean isEpoll(EventLoopGroup group) {
        if (!EPOLL.present) { // then no one can have made an epoll group
            return false;
        }
        if (EPOLL.isLegacyGroup(group)) {
            return true;
        }
        return EPOLL.ioHandler != null && isIoType(group, EPOLL.ioHandler);
    }

    private static boolean isIoType(EventLoopGroup group, Class<?> ioHandler) {
        if (IS_IO_TYPE == null || !IS_IO_TYPE.getDeclaringClass().isInstance(group)) {
            return false;
        }
        try {
            return (Boolean) IS_IO_TYPE.invoke(group, ioHandler);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            throw rethrow(e);
        }
    }

    private static Class<?> type(String name) {
        try {
            return Class.forName(name, false, Transports.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static Method method(String className, String name, Class<?>... parameters) {
        Class<?> type = type(className);
        try {
            return type == null ? null : type.getMethod(name, parameters);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static RuntimeException rethrow(InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
            throw r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(cause);
    }

    /** Netty's epoll classes, found by name; {@link #present} is false when they are absent. */
    private static final class Epoll {

        final boolean present;
        final boolean available;
        // Each null when absent; ioHandler exists only on Netty 4.2.
        private final Class<?> group;
        private final Class<?> loop;
        final Class<?> ioHandler;
        final Class<? extends ServerChannel> serverChannel;
        final Class<? extends SocketChannel> socketChannel;

        private Epoll(Class<?> group, Class<?> loop, Class<?> ioHandler,
                Class<? extends ServerChannel> serverChannel,
                Class<? extends SocketChannel> socketChannel, boolean available) {
            this.group = group;
            this.loop = loop;
            this.ioHandler = ioHandler;
            this.serverChannel = serverChannel;
            this.socketChannel = socketChannel;
            this.present = group != null && serverChannel != null && socketChannel != null;
            this.available = present && available;
        }

        static Epoll find() {
            String p = "io.netty.channel.epoll.";
            Class<?> server = type(p + "EpollServerSocketChannel");
            Class<?> socket = type(p + "EpollSocketChannel");
            return new Epoll(type(p + "EpollEventLoopGroup"), type(p + "EpollEventLoop"), type(p + "EpollIoHandler"),
                    server != null ? server.asSubclass(ServerChannel.class) : null,
                    socket != null ? socket.asSubclass(SocketChannel.class) : null,
                    nativeLibraryLoads());
        }

        private static boolean nativeLibraryLoads() {
            Method isAvailable = method("io.netty.channel.epoll.Epoll", "isAvailable");
            try {
                return isAvailable != null && (Boolean) isAvailable.invoke(null);
            } catch (ReflectiveOperationException | LinkageError e) {
                return false;
            }
        }

        /** 4.1's group and loop classes; on 4.2 they remain, deprecated, as IoHandler groups. */
        boolean isLegacyGroup(EventLoopGroup g) {
            return (group != null && group.isInstance(g)) || (loop != null && loop.isInstance(g));
        }

        EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
            try {
                Constructor<?> c = group.getConstructor(int.class, ThreadFactory.class);
                return (EventLoopGroup) c.newInstance(threads, threadFactory);
            } catch (InvocationTargetException e) {
                throw rethrow(e);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot make an epoll event loop group", e);
            }
        }
    }
}
