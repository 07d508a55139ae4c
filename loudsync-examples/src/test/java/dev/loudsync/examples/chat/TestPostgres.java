package dev.loudsync.examples.chat;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server the tests may use: {@code LOUDSYNC_TEST_POSTGRES_URL} (a JDBC URL with user
 * and password, to a database the tests may empty). Without it the PostgreSQL tests are skipped,
 * and say so, unless {@code LOUDSYNC_TEST_POSTGRES_REQUIRED} is {@code true} ({@code .ci/run} sets
 * both): then they fail, so CI never passes without running them.
 */
final class TestPostgres {

    static final String URL_VARIABLE = "LOUDSYNC_TEST_POSTGRES_URL";
    static final String REQUIRED_VARIABLE = "LOUDSYNC_TEST_POSTGRES_REQUIRED";

    private TestPostgres() {
    }

    /** The server's URL; skips or fails the test when there is none (see the class comment). */
    static String url() {
        String url = System.getenv(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            if ("true".equalsIgnoreCase(System.getenv(REQUIRED_VARIABLE))) {
                fail(REQUIRED_VARIABLE + " is true but " + URL_VARIABLE + " is not set");
            }
            Assumptions.abort("No PostgreSQL server: set " + URL_VARIABLE + " (.ci/run does) to run this test");
        }
        return url;
    }

    /** Drops the chat's tables, so that a test starts from an empty database. */
    static void empty(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS chat_messages, chat_rooms, chat_settings, chat_schema");
        }
    }
}
