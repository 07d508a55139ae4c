package dev.loudsync.netty.internal;

/**
 * The one byte range of an HTTP {@code Range} header (RFC 9110, section 14), as media players
 * send it: {@code bytes=FIRST-LAST}, {@code bytes=FIRST-} or {@code bytes=-SUFFIX}. Several ranges
 * in one header are answered with the whole body, which the RFC allows.
 */
final class ByteRange {

    private static final long[] WHOLE = new long[0];

    private ByteRange() {
    }

    /**
     * The inclusive range {@code {first, last}} of a body of {@code length} bytes; an empty array for
     * the whole body (a header that is not one byte range); null if the range lies outside the body
     * (answered 416).
     */
    static long[] parse(String header, long length) {
        String h = header.trim();
        if (!h.startsWith("bytes=") || h.indexOf(',') >= 0) {
            return WHOLE;
        }
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return WHOLE;
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                if (suffix <= 0 || length == 0) {
                    return null;
                }
                return new long[] {Math.max(0, length - suffix), length - 1};
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? length - 1 : Math.min(Long.parseLong(b), length - 1);
            if (first < 0 || first >= length || last < first) {
                return null;
            }
            return new long[] {first, last};
        } catch (NumberFormatException e) {
            return WHOLE;
        }
    }
}
