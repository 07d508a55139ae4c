package dev.loudsync.netty.internal;

import java.nio.ByteBuffer;

/**
 * Strict UTF-8 validation (Unicode, table 3-7 "Well-Formed UTF-8 Byte Sequences"): no overlong
 * forms, no encoded surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequence.
 */
final class Utf8 {

    private Utf8() {
    }

    /**
     * Whether the bytes from {@code bytes.position()} to {@code bytes.limit()} are well-formed UTF-8.
     * Reads with absolute indices: the buffer's position is not changed.
     */
    static boolean isValid(ByteBuffer bytes) {
        int i = bytes.position();
        int end = bytes.limit();
        while (i < end) {
            int c = bytes.get(i) & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int following;
            int low = 0x80;
            int high = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                following = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                following = 2;
                if (c == 0xE0) {
                    low = 0xA0; // below: overlong
                } else if (c == 0xED) {
                    high = 0x9F; // above: surrogates
                }
            } else if (c >= 0xF0 && c <= 0xF4) {
                following = 3;
                if (c == 0xF0) {
                    low = 0x90; // below: overlong
                } else if (c == 0xF4) {
                    high = 0x8F; // above: beyond U+10FFFF
                }
            } else {
                return false; // 80..C1 (continuation or overlong lead), F5..FF
            }
            if (end - i - 1 < following) {
                return false;
            }
            int second = bytes.get(i + 1) & 0xFF;
            if (second < low || second > high) {
                return false;
            }
            for (int k = 2; k <= following; k++) {
                int b = bytes.get(i + k) & 0xFF;
                if (b < 0x80 || b > 0xBF) {
                    return false;
                }
            }
            i += following + 1;
        }
        return true;
    }
}
