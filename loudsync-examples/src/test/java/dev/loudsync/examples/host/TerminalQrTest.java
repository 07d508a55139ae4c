package dev.loudsync.examples.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import org.junit.jupiter.api.Test;

class TerminalQrTest {

    /** Turns the half-block drawing back into pixels (light blocks white) and decodes it. */
    private static String decode(String drawing) throws Exception {
        String[] lines = drawing.split("\n");
        int scale = 4;
        int width = lines[0].length();
        int height = lines.length * 2;
        int[] pixels = new int[width * scale * height * scale];
        for (int row = 0; row < lines.length; row++) {
            for (int x = 0; x < width; x++) {
                char c = lines[row].charAt(x);
                boolean topLight = c == '█' || c == '▀';
                boolean bottomLight = c == '█' || c == '▄';
                paint(pixels, width * scale, x, row * 2, topLight, scale);
                paint(pixels, width * scale, x, row * 2 + 1, bottomLight, scale);
            }
        }
        RGBLuminanceSource source = new RGBLuminanceSource(width * scale, height * scale, pixels);
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source))).getText();
    }

    private static void paint(int[] pixels, int stride, int x, int y, boolean light, int scale) {
        int color = light ? 0xFFFFFF : 0x000000;
        for (int dy = 0; dy < scale; dy++) {
            for (int dx = 0; dx < scale; dx++) {
                pixels[(y * scale + dy) * stride + x * scale + dx] = color;
            }
        }
    }

    @Test
    void theDrawing_scansBackToTheUrl() throws Exception {
        String url = "http://192.168.1.20:8080/";
        String drawing = TerminalQr.render(url);
        assertThat(drawing.lines()).allMatch(l -> l.chars().allMatch(c -> " ▀▄█".indexOf(c) >= 0));
        assertThat(decode(drawing)).isEqualTo(url);
    }
}
