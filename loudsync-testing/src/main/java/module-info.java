/**
 * The test kit for applications that embed LoudSync: a manual clock, an in-memory transport and
 * guests, and a polling wait.
 */
module dev.loudsync.testing {
    requires transitive dev.loudsync.core;
    requires static transitive org.jspecify;

    exports dev.loudsync.testing;
}
