package dev.loudsync.netty.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class whose code leaked a buffer. Registered for every test class by JUnit's
 * extension auto-detection. Leaks show when the garbage collector has found the lost buffers and a
 * later allocation polls the detector, so this collects garbage and allocates before it looks.
 */
public final class NoLeaksExtension implements AfterAllCallback {

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(20); // lets the reference handler enqueue what the collector found
            for (int i = 0; i < 16; i++) {
                ByteBuf a = ByteBufAllocator.DEFAULT.buffer(64);
                a.release();
                ByteBuf b = UnpooledByteBufAllocator.DEFAULT.buffer(64);
                b.release();
            }
        }
        List<String> leaks = LeakRecordingDetector.drain();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " buffer leak(s) in " + context.getDisplayName() + ":\n"
                    + String.join("\n", leaks));
        }
    }
}
