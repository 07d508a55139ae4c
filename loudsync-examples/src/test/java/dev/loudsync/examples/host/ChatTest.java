package dev.loudsync.examples.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loudsync.testing.SocketGuest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChatTest {

    private TestHost host;
    private SocketGuest a;
    private SocketGuest b;

    @BeforeEach
    void start() {
        host = TestHost.start();
        host.session.handle(Chat.TYPE, new Chat());
        a = host.join("a", "A");
        b = host.join("b", "B");
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void chat_relayedToEveryMemberIncludingSender_fromTheSessionsView() {
        a.send("CHAT", TestHost.JSON.createObjectNode().put("text", "hello").put("from", "b"));

        for (SocketGuest g : new SocketGuest[] {a, b}) {
            JsonNode chat = g.next("CHAT");
            assertThat(chat.at("/payload/from").asText()).isEqualTo("a");
            assertThat(chat.at("/payload/text").asText()).isEqualTo("hello");
            assertThat(chat.path("payload").size()).isEqualTo(2);
        }
    }

    @Test
    void chat_withoutValidText_ignored() {
        a.send("CHAT", TestHost.JSON.createObjectNode());
        a.send("CHAT", TestHost.JSON.createObjectNode().put("text", ""));
        a.send("CHAT", TestHost.JSON.createObjectNode().put("text", 42));
        a.send("CHAT", TestHost.JSON.createObjectNode().putNull("text"));
        a.send("CHAT", TestHost.JSON.createObjectNode().put("text", "x".repeat(Chat.MAX_TEXT_LENGTH + 1)));
        a.send("CHAT", TestHost.JSON.createObjectNode().put("text", "x".repeat(Chat.MAX_TEXT_LENGTH)));

        // One connection's messages are handled in order: the first relayed CHAT is the valid one.
        for (SocketGuest g : new SocketGuest[] {a, b}) {
            assertThat(g.next("CHAT").at("/payload/text").asText()).hasSize(Chat.MAX_TEXT_LENGTH);
        }
        assertThat(a.hasMessage()).isFalse();
    }

    @Test
    void chat_lengthCountsCharactersNotUtf16Units() {
        String emoji = "\uD83C\uDFB5"; // one character, two UTF-16 units
        b.send("CHAT", TestHost.JSON.createObjectNode().put("text", emoji.repeat(Chat.MAX_TEXT_LENGTH)));

        assertThat(a.next("CHAT").at("/payload/text").asText()).isEqualTo(emoji.repeat(Chat.MAX_TEXT_LENGTH));
    }
}
