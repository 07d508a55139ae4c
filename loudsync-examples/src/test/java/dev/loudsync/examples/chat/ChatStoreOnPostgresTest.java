package dev.loudsync.examples.chat;

/** {@link ChatStoreTest}'s cases on a real PostgreSQL server (see {@link TestPostgres}). */
class ChatStoreOnPostgresTest extends ChatStoreTest {

    @Override
    String url() {
        return TestPostgres.url();
    }

    @Override
    void reset() throws Exception {
        TestPostgres.empty(url());
    }
}
