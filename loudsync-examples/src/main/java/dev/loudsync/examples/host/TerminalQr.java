package dev.loudsync.examples.host;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.util.Map;

/**
 * A QR code drawn with Unicode half blocks, two modules per character cell, so it fits a terminal
 * and scans from a phone. Drawn dark-on-light whatever the terminal's colours: light modules are
 * block characters, so a dark terminal background shows through the dark ones.
 */
final class TerminalQr {

    private TerminalQr() {
    }

    /** The QR code of {@code text}, one line per two module rows, with a quiet zone. */
    static String render(String text) {
        BitMatrix m;
        try {
            m = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.MARGIN, 2, EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.L,
                            EncodeHintType.CHARACTER_SET, "UTF-8"));
        } catch (WriterException e) {
            throw new IllegalArgumentException("cannot encode as QR: " + text, e);
        }
        StringBuilder out = new StringBuilder();
        for (int y = 0; y < m.getHeight(); y += 2) {
            for (int x = 0; x < m.getWidth(); x++) {
                boolean topLight = !m.get(x, y);
                boolean bottomLight = y + 1 >= m.getHeight() ? true : !m.get(x, y + 1);
                out.append(topLight && bottomLight ? '█' : topLight ? '▀' : bottomLight ? '▄' : ' ');
            }
            out.append('\n');
        }
        return out.toString();
    }
}
