package dev.loudsync.netty;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain socket, byte by byte, for what well-behaved clients never do:
 * unmasked or oversized frames, invalid UTF-8, half requests, never reading.
 */
final class RawClient implements AutoCloseable {

    /** A frame as received. */
    record Frame(int opcode, byte[] payload) {
        int closeCode() {
            return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }

        String text() {
            return new String(payload, opcode == 8 ? 2 : 0, payload.length - (opcode == 8 ? 2 : 0),
                    StandardCharsets.UTF_8);
        }
    }

    final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    RawClient(int port) throws IOException {
        this(port, null);
    }

    /** Connects from {@code local} (for example 127.0.0.2, to be another address on loopback). */
    RawClient(int port, InetSocketAddress local) throws IOException {
        this(port, local, 0);
    }

    /** ... with a small receive buffer, for a client that stops reading. */
    RawClient(int port, InetSocketAddress local, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        if (local != null) {
            socket.bind(local);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
    }

    /** Connects and completes the upgrade; fails unless the answer is 101. */
    static RawClient upgraded(int port) throws IOException {
        RawClient c = new RawClient(port);
        String status = c.upgrade(null);
        if (!status.startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + status);
        }
        return c;
    }

    /** Sends an upgrade request and returns the response's status line (headers are consumed). */
    String upgrade(String origin) throws IOException {
        String request = "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + socket.getPort() + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n" + (origin != null ? "Origin: " + origin + "\r\n" : "") + "\r\n";
        writeRaw(request.getBytes(StandardCharsets.US_ASCII));
        return readHead().get(0);
    }

    void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The lines of an HTTP response head. */
    List<String> readHead() throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("closed during the response head: " + lines);
            }
            if (b == '\n') {
                String l = line.toString().replace("\r", "");
                if (l.isEmpty()) {
                    return lines;
                }
                lines.add(l);
                line.setLength(0);
            } else {
                line.append((char) b);
            }
        }
    }

    void sendText(String text) throws IOException {
        sendFrame(1, text.getBytes(StandardCharsets.UTF_8), true, true);
    }

    /** Sends one frame; clients must mask, so {@code masked=false} is a protocol violation. */
    void sendFrame(int opcode, byte[] payload, boolean fin, boolean masked) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write((fin ? 0x80 : 0) | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            f.write(maskBit | payload.length);
        } else if (payload.length <= 0xFFFF) {
            f.write(maskBit | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length & 0xFF);
        } else {
            f.write(maskBit | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) (((long) payload.length >>> (8 * i)) & 0xFF));
            }
        }
        byte[] body = payload.clone();
        if (masked) {
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            f.write(mask, 0, 4);
            for (int i = 0; i < body.length; i++) {
                body[i] ^= mask[i % 4];
            }
        }
        f.write(body, 0, body.length);
        writeRaw(f.toByteArray());
    }

    /** The next frame, or null at the end of the stream. */
    Frame readFrame() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7F;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return new Frame(b0 & 0x0F, payload);
    }

    /** Frames until the end of the stream (or a read timeout). */
    List<Frame> readUntilClosed() throws IOException {
        List<Frame> frames = new ArrayList<>();
        try {
            Frame f;
            while ((f = readFrame()) != null) {
                frames.add(f);
            }
        } catch (SocketTimeoutException | java.net.SocketException | EOFException e) {
            // end of what the server sends
        }
        return frames;
    }

    /** Whether the server closed the connection within the socket timeout (reads until EOF). */
    boolean closedByServer() throws IOException {
        InputStream raw = socket.getInputStream();
        byte[] sink = new byte[8192];
        try {
            while (raw.read(sink) >= 0) {
                // discard
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
