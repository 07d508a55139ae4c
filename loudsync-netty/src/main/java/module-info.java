/**
 * LoudSync over WebSocket on Netty: the server, a Java client, and LAN discovery.
 *
 * <p>Exported: {@code dev.loudsync.netty} (the server), {@code dev.loudsync.netty.client} and
 * {@code dev.loudsync.netty.discovery}; the {@code internal} packages are not.
 *
 * <p>Optional at run time ({@code requires static}, and optional Maven dependencies): JmDNS, for
 * DNS-SD in LAN discovery (turning DNS-SD on without it fails with an exception that names it);
 * BouncyCastle, for self-signed certificates; and Netty's epoll classes, which the server and client
 * look up by name and use when they are there. Applications that hand application payloads to
 * Jackson as their own classes (records, beans) open those packages to
 * {@code com.fasterxml.jackson.databind}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // Netty 4.1 and JmDNS have no module descriptors
module dev.loudsync.netty {
    requires transitive dev.loudsync.core;
    // In the API: event loop groups and TLS contexts an application passes in.
    requires transitive io.netty.transport;
    requires transitive io.netty.handler;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.common;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires static transitive org.jspecify;
    requires static javax.jmdns;
    requires static io.netty.transport.classes.epoll;
    requires static org.bouncycastle.pkix;
    requires static org.bouncycastle.provider;

    exports dev.loudsync.netty;
    exports dev.loudsync.netty.client;
    exports dev.loudsync.netty.discovery;
}
