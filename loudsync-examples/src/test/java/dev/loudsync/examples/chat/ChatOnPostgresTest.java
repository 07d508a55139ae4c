package dev.loudsync.examples.chat;

/** The chat's wire contract ({@link ChatProtocolTest}) with its rooms and messages on a real PostgreSQL server. */
class ChatOnPostgresTest extends ChatProtocolTest {

    @Override
    ChatTestHost newHost() {
        String url = TestPostgres.url();
        try {
            TestPostgres.empty(url);
        } catch (Exception e) {
            throw new AssertionError("Cannot reach PostgreSQL at " + ChatStore.redact(url) + ": " + e, e);
        }
        return new ChatTestHost(url, null, null);
    }
}
