package dev.loudsync.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded host jar's {@code chat} killed with SIGKILL after acknowledging messages, then started
 * again on the same SQLite file: every acknowledged message and the room are there, and the token
 * still signs in.
 */
class ChatCrashIT {

    private static final Pattern PAGE = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts {@code chat} on the test's database; returns its port once it prints its page. */
    private int startChat() throws Exception {
        String jar = System.getProperty("loudsync.host.jar");
        Process p = new ProcessBuilder("java", "-jar", jar, "chat", "--db", "jdbc:sqlite:" + dir.resolve("chat.db"),
                "--port", "0", "--bind", "127.0.0.1", "--no-qr")
                .directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(p);
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    Matcher m = PAGE.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
                port.completeExceptionally(new AssertionError("chat exited with " + p.waitFor() + " before its page"));
            } catch (Exception e) {
                port.completeExceptionally(e);
            }
        }, "chat-stdout");
        reader.setDaemon(true);
        reader.start();
        return port.get(60, TimeUnit.SECONDS);
    }

    private static JsonNode post(int port, String path, String token, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s %s", path, r.body()).isBetween(200, 201);
        return ChatGuest.JSON.readTree(r.body());
    }

    @Test
    void killedHost_keepsEveryAcknowledgedMessage_andTheRoom() throws Exception {
        int port = startChat();
        JsonNode login = post(port, "/api/login", null, "{\"name\":\"Ann\"}");
        String token = login.path("token").asText();
        String device = login.path("userId").asText() + ":t1";
        String room = post(port, "/api/rooms", token, "{\"name\":\"Survivors\"}").path("roomId").asText();
        List<Long> acknowledged = new ArrayList<>();
        try (ChatGuest a = ChatGuest.join(URI.create("ws://127.0.0.1:" + port + "/"), room, device, token)) {
            a.joined();
            for (int i = 1; i <= 5; i++) {
                a.sendMessage("message " + i);
                a.next("NEW_MESSAGE");
                acknowledged.add(a.nextPayload("ACK").at("/result/messageId").asLong());
            }
            Process first = processes.get(0);
            first.destroyForcibly(); // SIGKILL: no goodbye, no shutdown hook
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }

        int again = startChat();
        try (ChatGuest a = ChatGuest.join(URI.create("ws://127.0.0.1:" + again + "/"), room, device, token)) {
            JsonNode history = a.joined();
            assertThat(history).extracting(m -> m.path("id").asLong()).containsExactlyElementsOf(acknowledged);
            assertThat(history.get(4).path("text").asText()).isEqualTo("message 5");
        }
    }
}
