/**
 * The test kit for applications that embed LoudSync: a manual clock, an in-memory transport and
 * guests, a guest over a real WebSocket, and a polling wait.
 */
module dev.loudsync.testing {
    requires transitive dev.loudsync.core;
    requires static transitive org.jspecify;
    requires transitive com.fasterxml.jackson.databind;
    requires java.net.http;

    exports dev.loudsync.testing;
}
