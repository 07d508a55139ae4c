package dev.loudsync.netty;

/**
 * What one of the server's protections stopped, as reported to
 * {@link ServerListener#abuse ServerListener.abuse} and counted in {@link ServerStats#abuse()}.
 * Not every case is malice: a slow consumer is usually a phone on weak Wi-Fi, a refused origin a
 * page the application forgot to allow. Each is reported once per connection.
 */
public enum Abuse {
    /** A connection kept sending past its message rate limit and was closed with 4003. */
    FLOODING,
    /**
     * An address failed to join too often (wrong session codes or PINs); its {@code JOIN} was
     * refused with {@code RATE_LIMITED} and the connection closed with 4003.
     */
    JOIN_GUESSING,
    /** A connection's unsent bytes passed {@code maxOutboundBytes}; it was closed with 4004. */
    SLOW_CONSUMER,
    /** A WebSocket upgrade came from a web origin that is not allowed; answered with 403. */
    ORIGIN_REFUSED,
    /**
     * A connection over {@code maxConnections} in total or {@code maxConnectionsPerAddress} from its
     * address; closed before anything was read.
     */
    TOO_MANY_CONNECTIONS,
    /**
     * A request was begun but not complete within the handshake timeout (a slow or stalled client);
     * the connection was closed. Connections that send nothing at all in that time (browsers open
     * spare connections and keep idle ones alive) are closed the same way without counting here.
     */
    HANDSHAKE_TIMEOUT,
    /** A request line or headers over the server's bounds; answered with 431. */
    HEADERS_TOO_LARGE,
    /** A request the HTTP decoder could not read; answered with 400. */
    MALFORMED_REQUEST,
    /** A request with a body (the server accepts none); answered with 413. */
    REQUEST_BODY
}
