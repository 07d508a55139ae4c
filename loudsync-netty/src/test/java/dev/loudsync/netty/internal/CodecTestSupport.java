package dev.loudsync.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Helpers shared by the codec tests. Every buffer they allocate is released before they return. */
final class CodecTestSupport {

    private static final byte[] JUNK = "}]x\"{".getBytes(StandardCharsets.US_ASCII);

    private CodecTestSupport() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int i = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, i, p.length);
            i += p.length;
        }
        return out;
    }

    static GuestDecoder.Decoded decode(GuestDecoder codec, String json) {
        return decode(codec, utf8(json));
    }

    /**
     * Decodes {@code content} from three kinds of buffer (a heap slice with an array offset, a
     * pooled direct buffer and a two-part composite buffer), each with junk around the readable
     * bytes; checks that all give the same result and that no buffer's indices or reference count
     * changed; checks that the server's path ({@link GuestDecoder#decodeText}, which leaves UTF-8 to
     * the pipeline) gives that result too for valid UTF-8 and does not throw for anything else;
     * releases them and returns the result.
     */
    static GuestDecoder.Decoded decode(GuestDecoder codec, byte[] content) {
        List<ByteBuf> bufs = buffers(content);
        try {
            GuestDecoder.Decoded first = null;
            for (ByteBuf buf : bufs) {
                int reader = buf.readerIndex();
                int writer = buf.writerIndex();
                GuestDecoder.Decoded d = codec.decode(buf);
                assertThat(d).as("result").isNotNull();
                assertThat(buf.readerIndex()).as("readerIndex").isEqualTo(reader);
                assertThat(buf.writerIndex()).as("writerIndex").isEqualTo(writer);
                assertThat(buf.refCnt()).as("refCnt").isEqualTo(1);
                if (first == null) {
                    first = d;
                } else {
                    assertThat(d).as("same result from a %s", buf.getClass().getSimpleName())
                            .isEqualTo(first);
                }
                GuestDecoder.Decoded text = codec.decodeText(buf);
                assertThat(text).as("decodeText result").isNotNull();
                if (Utf8.isValid(ByteBuffer.wrap(content))) {
                    assertThat(text).as("decodeText of a %s", buf.getClass().getSimpleName()).isEqualTo(first);
                }
                assertThat(buf.readerIndex()).as("readerIndex after decodeText").isEqualTo(reader);
            }
            return first;
        } finally {
            for (ByteBuf buf : bufs) {
                buf.release();
            }
        }
    }

    /**
     * Like {@link #decode(GuestDecoder, byte[])} with a heap and a direct buffer only (for bulk use),
     * and {@link GuestDecoder#decodeText} on the direct one.
     */
    static GuestDecoder.Decoded decodeQuick(GuestDecoder codec, byte[] content) {
        ByteBuf heap = Unpooled.wrappedBuffer(concat(JUNK, content, JUNK)).slice(JUNK.length, content.length);
        ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer(content.length);
        direct.writeBytes(content);
        try {
            GuestDecoder.Decoded a = codec.decode(heap);
            GuestDecoder.Decoded b = codec.decode(direct);
            assertThat(heap.readerIndex()).isZero();
            assertThat(direct.readerIndex()).isZero();
            assertThat(b).as("direct vs heap").isEqualTo(a);
            GuestDecoder.Decoded text = codec.decodeText(direct);
            assertThat(text).as("decodeText result").isNotNull();
            if (Utf8.isValid(ByteBuffer.wrap(content))) {
                assertThat(text).as("decodeText vs decode").isEqualTo(a);
            }
            return a;
        } finally {
            heap.release();
            direct.release();
        }
    }

    private static List<ByteBuf> buffers(byte[] content) {
        List<ByteBuf> bufs = new ArrayList<>();
        // Heap, backed by an array with an offset (the parser reads the array directly).
        bufs.add(Unpooled.wrappedBuffer(concat(JUNK, content, JUNK)).slice(JUNK.length, content.length));
        // Pooled direct, with junk before the reader index and after the writer index.
        ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer(content.length + 2 * JUNK.length);
        direct.writeBytes(JUNK).writeBytes(content).writeBytes(JUNK);
        direct.readerIndex(JUNK.length).writerIndex(JUNK.length + content.length);
        bufs.add(direct);
        // Composite of two direct parts (no single backing array).
        int half = content.length / 2;
        CompositeByteBuf composite = Unpooled.compositeBuffer();
        ByteBuf a = Unpooled.directBuffer(half + 1);
        a.writeBytes(content, 0, half);
        ByteBuf b = Unpooled.directBuffer(content.length - half + 1);
        b.writeBytes(content, half, content.length - half);
        composite.addComponents(true, a, b);
        bufs.add(composite);
        return bufs;
    }

    /** An allocator that remembers every buffer it made, to check that all were released. */
    static final class TrackingAllocator extends AbstractByteBufAllocator {
        final List<ByteBuf> allocated = new ArrayList<>();

        TrackingAllocator(boolean preferDirect) {
            super(preferDirect);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf b = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
            allocated.add(b);
            return b;
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf b = new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity);
            allocated.add(b);
            return b;
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }

        void assertAllReleased() {
            assertThat(allocated).as("allocated buffers").isNotEmpty();
            for (ByteBuf b : allocated) {
                assertThat(b.refCnt()).as("refCnt of an allocated buffer").isZero();
            }
        }
    }
}
