package dev.loudsync.examples.load;

import dev.loudsync.netty.internal.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * Reads just enough of a host's JSON frames to follow the membership, without building a tree: a
 * join storm of 5,000 guests delivers gigabytes of member objects to the load generator, which
 * shares the machine with the host it measures, so its own parsing must stay cheap.
 *
 * <p>{@link #type} finds the top-level {@code "type"} value. {@link #countPayloadArrays} walks the
 * structure once (strings and escapes respected) and counts the objects in two of the payload's
 * arrays, e.g. {@code members}, or {@code joined} and {@code left}. {@link #payloadText} finds the
 * payload's {@code "text"} string. All accept any valid JSON a host may send: whitespace, field
 * order and escapes do not matter.
 */
final class FrameScanner {

    private byte[] scratch = new byte[64 << 10];

    /**
     * The last frames whose arrays were counted (retained), with their counts, newest first: one
     * broadcast reaches many guests of this thread, interleaved with other broadcasts (in a join
     * storm, the lists and changes of several batch windows at once).
     */
    private static final int REMEMBERED = 32;
    private final ByteBuf[] seen = new ByteBuf[REMEMBERED];
    private final String[] seenKeys = new String[REMEMBERED];
    private final int[][] seenCounts = new int[REMEMBERED][2];

    private FrameScanner() {
    }

    /** One scanner per event loop thread: its scratch buffer is not shared. */
    static FrameScanner forThisThread() {
        return LOCAL.get();
    }

    private static final ThreadLocal<FrameScanner> LOCAL = ThreadLocal.withInitial(FrameScanner::new);

    /** The value of the top-level {@code "type"} field, or null when there is none. */
    String type(ByteBuf frame) {
        return stringField(frame, false, TYPE);
    }

    /**
     * The payload's {@code "text"} value as written (escapes left as they are), or null when the
     * payload has no string of that name. Reads a broadcast {@code CHAT} without building a tree,
     * so the generator's own cost stays out of the fan-out latency it measures.
     */
    String payloadText(ByteBuf frame) {
        return stringField(frame, true, TEXT);
    }

    /** The string value of the field {@code key}, top-level or in the payload object; or null. */
    private String stringField(ByteBuf frame, boolean inPayloadObject, byte[] key) {
        byte[] b = bytes(frame);
        int n = frame.readableBytes();
        int valueDepth = inPayloadObject ? 2 : 1;
        int depth = 0;
        boolean inPayload = false;
        int keyStart = -1;
        int keyEnd = -1;
        for (int i = 0; i < n; i++) {
            byte c = b[i];
            if (c == '"') {
                int end = stringEnd(b, i, n);
                if (depth == 1 || depth == 2) {
                    int next = skipSpace(b, end + 1, n);
                    if (next < n && b[next] == ':') {
                        keyStart = i + 1;
                        keyEnd = end;
                    } else if (depth == valueDepth && (depth == 1 || inPayload) && isKey(b, keyStart, keyEnd, key)) {
                        return new String(b, i + 1, end - i - 1, StandardCharsets.UTF_8);
                    }
                }
                i = end;
            } else if (c == '{' || c == '[') {
                depth++;
                if (depth == 2) {
                    inPayload = c == '{' && isKey(b, keyStart, keyEnd, PAYLOAD);
                }
            } else if (c == '}' || c == ']') {
                if (depth == 2) {
                    inPayload = false;
                }
                depth--;
            }
        }
        return null;
    }

    /**
     * Counts the objects directly inside the payload's arrays named {@code a} and {@code b}: into
     * {@code counts[0]} and {@code counts[1]}. A frame equal to the previous one counted on this
     * thread (the same broadcast reaching another guest) is compared, not walked again; the scanner
     * keeps the last few frames retained for that.
     */
    void countPayloadArrays(ByteBuf frame, String a, String b, int[] counts) {
        String keys = a + '\u0000' + b;
        int n = frame.readableBytes();
        for (int k = 0; k < REMEMBERED && seen[k] != null; k++) {
            if (seen[k].readableBytes() == n && keys.equals(seenKeys[k]) && ByteBufUtil.equals(seen[k], frame)) {
                counts[0] = seenCounts[k][0];
                counts[1] = seenCounts[k][1];
                return;
            }
        }
        scan(bytes(frame), n, a, b, counts);
        if (seen[REMEMBERED - 1] != null) {
            seen[REMEMBERED - 1].release();
        }
        int[] recycled = seenCounts[REMEMBERED - 1];
        System.arraycopy(seen, 0, seen, 1, REMEMBERED - 1);
        System.arraycopy(seenKeys, 0, seenKeys, 1, REMEMBERED - 1);
        System.arraycopy(seenCounts, 0, seenCounts, 1, REMEMBERED - 1);
        seen[0] = frame.retainedSlice();
        seenKeys[0] = keys;
        recycled[0] = counts[0];
        recycled[1] = counts[1];
        seenCounts[0] = recycled;
    }

    private static void scan(byte[] buf, int n, String a, String b, int[] counts) {
        byte[] keyA = a.getBytes(StandardCharsets.UTF_8);
        byte[] keyB = b.getBytes(StandardCharsets.UTF_8);
        counts[0] = 0;
        counts[1] = 0;
        int depth = 0;
        boolean inPayload = false; // the object at depth 2 is the payload
        int keyStart = -1;
        int keyEnd = -1;
        int counting = -1; // which count the array at depth 3 feeds, or -1
        for (int i = 0; i < n; i++) {
            byte c = buf[i];
            if (c == '"') {
                int end = stringEnd(buf, i, n);
                if (depth == 1 || depth == 2) {
                    keyStart = i + 1;
                    keyEnd = end;
                }
                i = end;
            } else if (c == '{' || c == '[') {
                depth++;
                if (depth == 2) {
                    inPayload = c == '{' && isKey(buf, keyStart, keyEnd, PAYLOAD);
                } else if (depth == 3 && inPayload && c == '[') {
                    counting = isKey(buf, keyStart, keyEnd, keyA) ? 0 : isKey(buf, keyStart, keyEnd, keyB) ? 1 : -1;
                } else if (depth == 4 && c == '{' && counting >= 0) {
                    counts[counting]++;
                }
            } else if (c == '}' || c == ']') {
                if (depth == 3) {
                    counting = -1;
                } else if (depth == 2) {
                    inPayload = false;
                }
                depth--;
            }
        }
    }

    private static final byte[] TYPE = Wire.TYPE.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PAYLOAD = Wire.PAYLOAD.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TEXT = "text".getBytes(StandardCharsets.US_ASCII);

    private byte[] bytes(ByteBuf frame) {
        int n = frame.readableBytes();
        if (frame.hasArray() && frame.arrayOffset() + frame.readerIndex() == 0) {
            return frame.array();
        }
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, scratch.length * 2)];
        }
        frame.getBytes(frame.readerIndex(), scratch, 0, n);
        return scratch;
    }

    /** The index of the quote that closes the string opening at {@code start}. */
    private static int stringEnd(byte[] b, int start, int n) {
        for (int i = start + 1; i < n; i++) {
            if (b[i] == '\\') {
                i++;
            } else if (b[i] == '"') {
                return i;
            }
        }
        return n;
    }

    private static int skipSpace(byte[] b, int i, int n) {
        while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
            i++;
        }
        return i;
    }

    private static boolean isKey(byte[] b, int start, int end, byte[] key) {
        if (start < 0 || end - start != key.length) {
            return false;
        }
        for (int i = 0; i < key.length; i++) {
            if (b[start + i] != key[i]) {
                return false;
            }
        }
        return true;
    }
}
