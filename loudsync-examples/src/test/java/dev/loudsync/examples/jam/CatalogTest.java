package dev.loudsync.examples.jam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog: built-in melodies, and a music folder's files with their tags. */
class CatalogTest {

    @TempDir
    Path music;

    @Test
    void theBuiltInMelodies_arePlayableWavsOfTheirStatedLength() throws IOException {
        List<Track> tracks = Catalog.load(null).tracks();
        assertThat(tracks).hasSizeGreaterThanOrEqualTo(3);
        for (Track t : tracks) {
            byte[] wav = t.readAudio();
            assertThat(new String(wav, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
            assertThat(t.contentType()).isEqualTo("audio/wav");
            long samples = (wav.length - 44) / 2;
            assertThat(samples * 1000 / Melodies.SAMPLE_RATE).isEqualTo(t.durationMs());
            assertThat(t.durationMs()).as("long enough to join mid-track").isGreaterThan(20_000);
        }
        assertThat(Catalog.load(null).tracks().get(0).readAudio()).as("the same bytes every run")
                .isEqualTo(tracks.get(0).readAudio());
    }

    @Test
    void aMusicFolder_addsItsAudioFiles_titleAndArtistFromTags_elseTheFileName() throws IOException {
        Files.write(music.resolve("tagged.wav"), wavWithInfo(2 * Melodies.SAMPLE_RATE, "Night Drive", "The Testers"));
        Files.createDirectories(music.resolve("sub"));
        Files.write(music.resolve("sub/My Song.wav"), Melodies.wav(new short[Melodies.SAMPLE_RATE / 2]));
        Files.writeString(music.resolve("notes.txt"), "not audio");
        Files.write(music.resolve("broken.mp3"), new byte[] {1, 2, 3});

        Catalog catalog = Catalog.load(music);
        List<Track> files = catalog.tracks().stream().filter(t -> t.file() != null).toList();
        assertThat(files).extracting(Track::title).containsExactly("My Song", "Night Drive");
        Track tagged = files.get(1);
        assertThat(tagged.artist()).isEqualTo("The Testers");
        assertThat(tagged.durationMs()).isEqualTo(2000);
        assertThat(files.get(0).artist()).isEqualTo(Catalog.UNKNOWN_ARTIST);
        assertThat(files.get(0).durationMs()).isEqualTo(500);
        assertThat(tagged.trackId()).as("stable across restarts")
                .isEqualTo(Catalog.load(music).find(tagged.trackId()).orElseThrow().trackId()).startsWith("f-");
        assertThat(catalog.find(tagged.trackId()).orElseThrow().readAudio())
                .isEqualTo(Files.readAllBytes(music.resolve("tagged.wav")));
    }

    @Test
    void contentTypes_followTheExtension() {
        assertThat(Catalog.type(Path.of("a.MP3"))).isEqualTo("audio/mpeg");
        assertThat(Catalog.type(Path.of("a.m4a"))).isEqualTo("audio/mp4");
        assertThat(Catalog.type(Path.of("a.opus"))).isEqualTo("audio/ogg");
        assertThat(Catalog.type(Path.of("a.flac"))).isEqualTo("audio/flac");
        assertThat(Catalog.type(Path.of("a.txt"))).isNull();
        assertThat(Catalog.type(Path.of(".wav"))).isNull();
    }

    @Test
    void aMissingFolder_isAnError() {
        assertThatThrownBy(() -> Catalog.load(music.resolve("nope"))).isInstanceOf(IOException.class)
                .hasMessageContaining("not a folder");
    }

    /** A WAV of silence with a RIFF {@code LIST/INFO} chunk naming its title and artist. */
    private static byte[] wavWithInfo(int samples, String title, String artist) throws IOException {
        byte[] plain = Melodies.wav(new short[samples]);
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        info.write("INFO".getBytes(StandardCharsets.US_ASCII));
        info.write(infoField("INAM", title));
        info.write(infoField("IART", artist));
        byte[] list = chunk("LIST", info.toByteArray());
        ByteBuffer out = ByteBuffer.allocate(plain.length + list.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(plain).put(list);
        out.putInt(4, plain.length + list.length - 8);
        return out.array();
    }

    private static byte[] infoField(String id, String text) {
        byte[] value = (text + "\0").getBytes(StandardCharsets.US_ASCII);
        return chunk(id, value);
    }

    private static byte[] chunk(String id, byte[] data) {
        int padded = data.length + (data.length % 2);
        ByteBuffer b = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        b.put(id.getBytes(StandardCharsets.US_ASCII)).putInt(data.length).put(data);
        return b.array();
    }
}
