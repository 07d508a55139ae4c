package dev.loudsync.examples.guest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loudsync.examples.testing.JarProcess;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The guest jar against the host jar, both as separate processes, with beacons on loopback only:
 * discovery lists the session, a guest found by its code joins, chats, is kicked; another joins by
 * URL and sees the session end.
 */
class GuestProcessIT {

    private int beaconPort;
    private JarProcess host;
    private URI hostUrl;

    @BeforeEach
    void startHost() throws Exception {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            beaconPort = probe.getLocalPort();
        }
        host = new JarProcess("loudsync.host.jar", "--bind", "127.0.0.1", "--port", "0", "--session-id", "TEST42",
                "--host-name", "TestHost", "--no-qr", "--no-dns-sd", "--beacon-target", "127.0.0.1:" + beaconPort);
        String line = host.await(l -> l.contains("ws://127.0.0.1:"), "the ws:// address");
        Matcher m = Pattern.compile("(ws://127\\.0\\.0\\.1:\\d+/)").matcher(line);
        assertThat(m.find()).isTrue();
        hostUrl = URI.create(m.group(1));
    }

    @AfterEach
    void stop() throws Exception {
        host.close();
    }

    private String[] lanOptions(String... more) {
        String[] base = {"--beacon-port", String.valueOf(beaconPort), "--beacon-bind", "127.0.0.1", "--no-dns-sd"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(more, 0, all, 0, more.length);
        System.arraycopy(base, 0, all, more.length, base.length);
        return all;
    }

    @Test
    void discover_listsTheSession() throws Exception {
        try (JarProcess scan = new JarProcess("loudsync.guest.jar", lanOptions("--discover", "--discover-for", "3s"))) {
            String line = scan.await(l -> l.startsWith("TES-T42"), "the session");
            assertThat(line).contains("TestHost", "1/8", hostUrl.toString());
            assertThat(scan.exitCode()).isZero();
        }
    }

    @Test
    void aGuestFoundByItsCode_joinsChatsAndIsKicked() throws Exception {
        try (JarProcess guest = new JarProcess("loudsync.guest.jar", lanOptions("--session", "tes-t42",
                "--device-id", "javaguest", "--device-name", "JavaGuest"));
                Watcher carol = Watcher.join(hostUrl, "carol")) {
            guest.await(l -> l.startsWith("Joined \"LoudSync Party\""), "Joined");
            // The client may show the member list before or after it says it joined.
            guest.awaitAnyTime(l -> l.startsWith("Members (3)") && l.contains("Carol"), "the member list with Carol");
            guest.type("hello there");
            JsonNode chat = carol.next("CHAT");
            assertThat(chat.at("/payload/from").asText()).isEqualTo("javaguest");
            assertThat(chat.at("/payload/text").asText()).isEqualTo("hello there");
            guest.await(l -> l.equals("[javaguest] hello there"), "its own chat line");

            host.type("kick javaguest Bye");
            guest.await(l -> l.startsWith("Kicked by the host: Bye"), "the kick");
            assertThat(guest.exitCode()).isZero();
        }
    }

    @Test
    void aGuestJoinedByUrl_seesTheSessionEnd_andExits0() throws Exception {
        try (JarProcess guest = new JarProcess("loudsync.guest.jar", "--url", hostUrl.toString(), "--session",
                "TEST42", "--device-id", "g", "--device-name", "G")) {
            guest.await(l -> l.startsWith("Joined"), "Joined");
            host.terminate();
            guest.await(l -> l.startsWith("The host ended the session"), "the end of the session");
            assertThat(guest.exitCode()).isZero();
        }
    }

    @Test
    void aWrongCode_failsWithExit1() throws Exception {
        try (JarProcess guest = new JarProcess("loudsync.guest.jar", "--url", hostUrl.toString(), "--session",
                "NOPE99", "--device-id", "g", "--device-name", "G")) {
            guest.await(l -> l.contains("could not join"), "the refusal");
            assertThat(guest.exitCode()).isEqualTo(1);
        }
    }

    /** A JDK WebSocket guest that queues what it receives. */
    static final class Watcher implements WebSocket.Listener, AutoCloseable {
        private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static Watcher join(URI uri, String id) {
            Watcher w = new Watcher();
            w.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, w).join();
            w.socket.sendText("{\"type\":\"JOIN\",\"payload\":{\"sessionId\":\"TEST42\",\"deviceId\":\"" + id
                    + "\",\"deviceName\":\"Carol\"}}", true).join();
            return w;
        }

        JsonNode next(String type) throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < until) {
                JsonNode m = messages.poll(200, TimeUnit.MILLISECONDS);
                if (m != null && m.path("type").asText().equals(type)) {
                    return m;
                }
            }
            throw new AssertionError("no " + type + " within 20 s");
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    messages.add(new ObjectMapper().readTree(partial.toString()));
                } catch (Exception e) {
                    // not JSON: ignored
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void close() {
            socket.abort();
        }
    }
}
