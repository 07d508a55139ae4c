package dev.loudsync.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ChatStore} on an SQLite file; {@link ChatStoreOnPostgresTest} runs the same on PostgreSQL. */
class ChatStoreTest {

    @TempDir
    Path dir;

    ChatStore store;
    final ChatUser ann = new ChatUser("u-aaaaaaaaaa", "Ann");

    String url() {
        return "jdbc:sqlite:" + dir.resolve("chat.db");
    }

    String user() {
        return null;
    }

    String password() {
        return null;
    }

    @BeforeEach
    void open() throws Exception {
        reset();
        store = ChatStore.open(url(), user(), password());
    }

    @AfterEach
    void close() {
        if (store != null) { // null when the test was skipped before opening (no PostgreSQL)
            store.close();
        }
    }

    @Test
    void rooms_areStoredAndListedOldestFirst() {
        ChatRoomInfo a = store.addRoom("First", ann, 1000).join();
        ChatRoomInfo b = store.addRoom("Second", ann, 2000).join();
        assertThat(a.roomId()).matches("[a-z0-9]{10}").isNotEqualTo(b.roomId());
        assertThat(store.rooms().join()).containsExactly(a, b);
    }

    @Test
    void messages_getGrowingIds_andRecentIsTheLastOnesOldestFirst_perRoom() {
        ChatRoomInfo a = store.addRoom("A", ann, 1).join();
        ChatRoomInfo b = store.addRoom("B", ann, 2).join();
        long previous = 0;
        for (int i = 1; i <= 7; i++) {
            ChatMessage m = store.addMessage(a.roomId(), ann, "a" + i, 100 + i).join();
            assertThat(m.id()).isGreaterThan(previous);
            previous = m.id();
            store.addMessage(b.roomId(), ann, "b" + i, 100 + i).join();
        }
        List<ChatMessage> recent = store.recentMessages(a.roomId(), 3).join();
        assertThat(recent).extracting(ChatMessage::text).containsExactly("a5", "a6", "a7");
        assertThat(recent.get(2)).isEqualTo(new ChatMessage(previous, a.roomId(), ann.userId(), "Ann", "a7", 107));
        assertThat(store.recentMessages("nosuchroom", 50).join()).isEmpty();
    }

    @Test
    void unicodeAndLongestText_roundTrip() {
        ChatRoomInfo a = store.addRoom("Ünïcode ☕", ann, 1).join();
        String text = "🎉".repeat(500) + "日".repeat(500); // 1000 characters, the longest message
        store.addMessage(a.roomId(), new ChatUser("u-bbbbbbbbbb", "Zoë"), text, 5).join();
        ChatMessage m = store.recentMessages(a.roomId(), 1).join().get(0);
        assertThat(m.text()).isEqualTo(text);
        assertThat(m.userName()).isEqualTo("Zoë");
        assertThat(store.rooms().join().get(0).name()).isEqualTo("Ünïcode ☕");
    }

    @Test
    void aMessageForNoRoom_failsTheFuture_andTheStoreKeepsWorking() {
        assertThatThrownBy(() -> store.addMessage("nosuchroom", ann, "x", 1).join())
                .hasCauseInstanceOf(IllegalStateException.class);
        ChatRoomInfo a = store.addRoom("A", ann, 1).join();
        assertThat(store.addMessage(a.roomId(), ann, "fine", 2).join().text()).isEqualTo("fine");
    }

    @Test
    void setting_isMadeUpOnce_andKept() {
        assertThat(store.setting("token-key", "first").join()).isEqualTo("first");
        assertThat(store.setting("token-key", "second").join()).isEqualTo("first");
        store.close();
        store = ChatStore.open(url(), user(), password());
        assertThat(store.setting("token-key", "third").join()).isEqualTo("first");
    }

    @Test
    void openingAgain_migratesNothing_andANewerSchemaIsRefused() throws Exception {
        store.close();
        store = ChatStore.open(url(), user(), password());
        try (Connection c = connect(); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT COUNT(*), MAX(version) FROM chat_schema")) {
                r.next();
                assertThat(r.getInt(1)).isEqualTo(ChatStore.schemaVersion());
                assertThat(r.getInt(2)).isEqualTo(ChatStore.schemaVersion());
            }
            s.executeUpdate("INSERT INTO chat_schema (version, applied_at) VALUES (" + (ChatStore.schemaVersion() + 1) + ", 0)");
        }
        store.close();
        assertThatThrownBy(() -> ChatStore.open(url(), user(), password()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("newer than this program's");
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM chat_schema WHERE version > " + ChatStore.schemaVersion());
        }
        store = ChatStore.open(url(), user(), password());
    }

    /** Empties the database before a test (a fresh SQLite file needs nothing). */
    void reset() throws Exception {
    }

    Connection connect() throws Exception {
        java.util.Properties p = new java.util.Properties();
        if (user() != null) {
            p.setProperty("user", user());
        }
        if (password() != null) {
            p.setProperty("password", password());
        }
        return DriverManager.getConnection(url(), p);
    }
}
