/** A LoudSync server's stats and a session's members as Micrometer meters. */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // Micrometer has no module descriptor
module dev.loudsync.micrometer {
    requires transitive dev.loudsync.netty;
    requires transitive micrometer.core;
    requires static transitive org.jspecify;

    exports dev.loudsync.micrometer;
}
