package dev.loudsync.moduletest;

import dev.loudsync.core.Member;
import dev.loudsync.core.Session;
import dev.loudsync.core.SessionConfig;
import dev.loudsync.netty.LoudSyncServer;
import dev.loudsync.netty.client.ClientListener;
import dev.loudsync.netty.client.LoudSyncClient;
import dev.loudsync.netty.discovery.LanAdvertising;
import dev.loudsync.netty.discovery.LanDiscovery;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Uses LoudSync as a modular application does: its modules resolved from the module path, only
 * their exported packages readable. Checks the modules' boundaries, then starts a server on
 * 127.0.0.1 (port 0), joins it with the Java client and passes an application message both ways,
 * which takes the JSON codec (Jackson) through its module too. Prints {@code OK} and exits 0, or
 * exits 1 naming what failed.
 *
 * <p>The module path holds the libraries' required dependencies only: JmDNS, BouncyCastle and
 * Netty's epoll classes, all optional, are absent, so the application also shows that LoudSync
 * starts without them, and that DNS-SD says which dependency it needs.
 */
public final class ModulePathApp {

    private ModulePathApp() {
    }

    public static void main(String[] args) throws Exception {
        checkBoundaries();
        checkOptionalJmDns();
        joinOverLoopback();
        System.out.println("OK");
    }

    private static void checkBoundaries() {
        Module netty = LoudSyncServer.class.getModule();
        Module core = Session.class.getModule();
        require(netty.isNamed() && netty.getName().equals("dev.loudsync.netty"), "loudsync-netty is module " + netty);
        require(core.isNamed() && core.getName().equals("dev.loudsync.core"), "loudsync-core is module " + core);
        require(!netty.getDescriptor().isAutomatic() && !core.getDescriptor().isAutomatic(),
                "the modules have descriptors of their own");
        for (String api : new String[] {"dev.loudsync.netty", "dev.loudsync.netty.client", "dev.loudsync.netty.discovery"}) {
            require(netty.isExported(api), api + " is exported");
        }
        for (String internal : new String[] {"dev.loudsync.netty.internal", "dev.loudsync.netty.client.internal",
                "dev.loudsync.netty.discovery.internal"}) {
            require(!netty.isExported(internal), internal + " is not exported");
        }
        require(core.isExported("dev.loudsync.core.protocol"), "dev.loudsync.core.protocol is exported");
        require(!core.isExported("dev.loudsync.core.internal"), "dev.loudsync.core.internal is not exported to all");
        require(core.isExported("dev.loudsync.core.internal", netty), "dev.loudsync.core.internal is exported to netty");
        require(ModuleLayer.boot().findModule("javax.jmdns").isEmpty(), "JmDNS is not on the module path");
    }

    private static void checkOptionalJmDns() {
        try {
            LanAdvertising.defaults();
            throw new IllegalStateException("DNS-SD advertising was built without JmDNS");
        } catch (IllegalStateException e) {
            require(e.getMessage().contains("org.jmdns:jmdns"), "the exception names JmDNS: " + e.getMessage());
        }
        try {
            LanDiscovery.builder().build();
            throw new IllegalStateException("DNS-SD discovery was built without JmDNS");
        } catch (IllegalStateException e) {
            require(e.getMessage().contains("org.jmdns:jmdns"), "the exception names JmDNS: " + e.getMessage());
        }
        require(!LanAdvertising.builder().dnsSd(false).build().dnsSd(), "beacons alone need no JmDNS");
    }

    private static void joinOverLoopback() throws Exception {
        LoudSyncServer server = LoudSyncServer.builder().bindAddress("127.0.0.1").port(0).build();
        Session session = server.openSession(SessionConfig.builder().sessionId("MOD123").host("host-1", "Host").build());
        session.handle("CHAT", (s, sender, message) ->
                s.broadcast("CHAT", Map.of("from", sender.id(), "text", message.payload().get("text"))));
        server.start().get(10, TimeUnit.SECONDS);
        CompletableFuture<Integer> listed = new CompletableFuture<>();
        CompletableFuture<Object> echoed = new CompletableFuture<>();
        LoudSyncClient client = LoudSyncClient.builder()
                .url(URI.create("ws://127.0.0.1:" + server.port() + "/"))
                .sessionId("MOD123")
                .device("guest-1", "Guest")
                .connectTimeout(Duration.ofSeconds(10))
                .listener(new ClientListener() {
                    @Override
                    public void memberList(List<Member> members) {
                        listed.complete(members.size());
                    }

                    @Override
                    public void message(String type, Map<String, Object> payload) {
                        echoed.complete(payload.get("text"));
                    }
                })
                .build();
        try {
            client.connect().get(10, TimeUnit.SECONDS);
            require(listed.get(10, TimeUnit.SECONDS) == 2, "the client's MEMBER_LIST has host and guest");
            require(session.members().size() == 2, "the session has host and guest: " + session.members());
            client.send("CHAT", Map.of("text", "over the module path"));
            Object text = echoed.get(10, TimeUnit.SECONDS);
            require("over the module path".equals(text), "the CHAT came back: " + text);
        } finally {
            client.close();
            server.stop().get(10, TimeUnit.SECONDS);
        }
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            System.out.println("FAILED: " + what);
            System.exit(1);
        }
    }
}
