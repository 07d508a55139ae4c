package dev.loudsync.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loudsync.examples.chat.ChatTestHost.User;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host stopped and started again on the same database keeps its rooms, history and tokens. */
class ChatRestartTest {

    @TempDir
    Path dir;

    @Test
    void restartOnTheSameDatabase_keepsRoomsHistoryAndTokens() {
        String db = "jdbc:sqlite:" + dir.resolve("chat.db");
        User ann;
        String room;
        List<Long> acknowledged = new ArrayList<>();
        try (ChatTestHost first = new ChatTestHost(db, null, null)) {
            ann = first.login("Ann");
            room = first.createRoom(ann, "Kept");
            first.createRoom(ann, "Also kept");
            ChatGuest a = first.join(room, ann, "t1");
            for (String text : List.of("one", "two", "three")) {
                a.sendMessage(text);
                a.next("NEW_MESSAGE");
                acknowledged.add(a.nextPayload("ACK").at("/result/messageId").asLong());
            }
        }

        try (ChatTestHost second = new ChatTestHost(db, null, null)) {
            ChatTestHost.Answer rooms = second.call("GET", "/api/rooms", ann.token(), null);
            assertThat(rooms.status()).as("the token outlives the restart").isEqualTo(200);
            assertThat(rooms.body().path("rooms")).extracting(r -> r.path("name").asText())
                    .containsExactly("Kept", "Also kept");
            ChatGuest again = second.sendJoin(room, ann.device("t1"), ann.token());
            JsonNode history = again.joined();
            assertThat(history).extracting(m -> m.path("id").asLong()).containsExactlyElementsOf(acknowledged);
            assertThat(history).extracting(m -> m.path("text").asText()).containsExactly("one", "two", "three");

            again.sendMessage("four");
            long next = again.nextPayload("NEW_MESSAGE").path("id").asLong();
            assertThat(next).as("ids keep growing").isGreaterThan(acknowledged.get(2));
        }
    }
}
