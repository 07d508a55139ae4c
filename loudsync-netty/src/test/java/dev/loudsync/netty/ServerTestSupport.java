package dev.loudsync.netty;

import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import java.net.URI;
import java.util.function.UnaryOperator;

/** Starts a server on 127.0.0.1, port 0, and stops it after the test. */
final class ServerTestSupport implements AutoCloseable {

    final LoudSyncServer server;
    final URI uri;

    ServerTestSupport() {
        this(UnaryOperator.identity());
    }

    ServerTestSupport(UnaryOperator<LoudSyncServer.Builder> customize) {
        server = customize.apply(LoudSyncServer.builder().bindAddress("127.0.0.1").port(0).ioThreads(2)).build();
        server.start().join();
        uri = URI.create("ws://127.0.0.1:" + server.port() + "/");
    }

    Session open(UnaryOperator<SessionConfig.Builder> customize) {
        return server.openSession(customize.apply(SessionConfig.builder().sessionId("ABC123").host("host-1", "Host"))
                .build());
    }

    Session open() {
        return open(UnaryOperator.identity());
    }

    @Override
    public void close() {
        server.close();
    }
}
