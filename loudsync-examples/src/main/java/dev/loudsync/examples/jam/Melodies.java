package dev.loudsync.examples.jam;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in catalog: a few short melodies synthesized at start as 16-bit mono WAV, so that a
 * fresh machine without a music folder still has something to queue. Deterministic: the same
 * bytes on every run, so a page that cached one still has the right audio.
 */
final class Melodies {

    /** Low enough to stay small (about 1.4 MB per 32 s), high enough for a clear tone on a phone. */
    static final int SAMPLE_RATE = 22_050;

    static final String ARTIST = "LoudSync Band";

    private Melodies() {
    }

    /** A melody: its title, tempo and notes (MIDI numbers, 0 for a rest), repeated to fill the length. */
    private record Tune(String id, String title, int bpm, int seconds, int[] notes) {
    }

    private static final List<Tune> TUNES = List.of(
            new Tune("g-sunrise", "Sunrise Arpeggio", 120, 32,
                    new int[] {60, 64, 67, 72, 67, 64, 62, 65, 69, 74, 69, 65, 59, 62, 67, 71}),
            new Tune("g-walk", "Walking Bass Loop", 100, 36,
                    new int[] {43, 47, 50, 52, 55, 52, 50, 47, 41, 45, 48, 50, 53, 50, 48, 45}),
            new Tune("g-lullaby", "Lazy Lullaby", 80, 30,
                    new int[] {72, 0, 71, 69, 67, 0, 64, 65, 67, 0, 69, 67, 65, 64, 62, 0}),
            new Tune("g-chase", "Pixel Chase", 150, 28,
                    new int[] {76, 79, 84, 79, 76, 72, 74, 77, 81, 77, 74, 71, 72, 76, 79, 83}));

    /** Synthesizes every built-in track. */
    static List<Track> tracks() {
        List<Track> tracks = new ArrayList<>();
        for (Tune t : TUNES) {
            byte[] wav = render(t);
            long durationMs = (long) t.seconds() * 1000;
            tracks.add(Track.inMemory(t.id(), t.title(), ARTIST, durationMs, "audio/wav", wav));
        }
        return tracks;
    }

    private static byte[] render(Tune tune) {
        int samples = tune.seconds() * SAMPLE_RATE;
        int perNote = SAMPLE_RATE * 60 / tune.bpm() / 2; // eighth notes
        short[] pcm = new short[samples];
        for (int i = 0; i < samples; i++) {
            int index = i / perNote;
            int note = tune.notes()[index % tune.notes().length];
            // A bass note on every beat keeps the pulse audible, which makes drift easy to hear.
            int root = tune.notes()[(index / 8 * 8) % tune.notes().length];
            double t = (double) (i % perNote) / SAMPLE_RATE;
            double envelope = Math.min(1, t * 200) * Math.exp(-t * 4);
            double v = 0;
            if (note != 0) {
                double f = 440 * Math.pow(2, (note - 69) / 12.0);
                v += 0.45 * envelope * (Math.sin(2 * Math.PI * f * t) + 0.3 * Math.sin(4 * Math.PI * f * t));
            }
            if (index % 2 == 0) {
                double fb = 440 * Math.pow(2, (root - 12 - 69) / 12.0);
                v += 0.3 * envelope * Math.sin(2 * Math.PI * fb * t);
            }
            pcm[i] = (short) Math.round(Math.max(-1, Math.min(1, v)) * 26_000);
        }
        return wav(pcm);
    }

    /** A canonical 44-byte RIFF header, then the samples, little-endian. */
    static byte[] wav(short[] pcm) {
        int dataBytes = pcm.length * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + dataBytes);
        b.put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16);
        b.putShort((short) 1).putShort((short) 1).putInt(SAMPLE_RATE).putInt(SAMPLE_RATE * 2);
        b.putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(dataBytes);
        for (short s : pcm) {
            b.putShort(s);
        }
        return b.array();
    }
}
