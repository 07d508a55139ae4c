package dev.loudsync.netty.client;

import dev.loudsync.core.protocol.CloseCode;

/** The host closed the connection before or instead of a {@code WELCOME}, with {@link #closeCode()}. */
public final class JoinRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int closeCode;

    public JoinRefusedException(int closeCode) {
        super("connection closed with " + closeCode + CloseCode.of(closeCode).map(c -> " (" + c.name() + ")")
                .orElse(""));
        this.closeCode = closeCode;
    }

    /** The WebSocket close code (1006 when the connection ended without one). */
    public int closeCode() {
        return closeCode;
    }

    /** Whether the code is final: a client must not retry on its own. */
    public boolean isFinal() {
        return CloseCode.isFinal(closeCode);
    }
}
