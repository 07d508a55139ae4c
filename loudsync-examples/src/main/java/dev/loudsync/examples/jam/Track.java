package dev.loudsync.examples.jam;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * One track of the catalog: what the API lists, and where its audio is (in memory for the built-in
 * melodies, a file under the music folder otherwise). Immutable.
 */
record Track(String trackId, String title, String artist, long durationMs, String contentType,
        byte[] audio, Path file) {

    Track {
        Objects.requireNonNull(trackId, "trackId");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(artist, "artist");
        Objects.requireNonNull(contentType, "contentType");
        if ((audio == null) == (file == null)) {
            throw new IllegalArgumentException("a track has its audio in memory or in a file");
        }
    }

    static Track inMemory(String id, String title, String artist, long durationMs, String type, byte[] audio) {
        return new Track(id, title, artist, durationMs, type, audio, null);
    }

    static Track inFile(String id, String title, String artist, long durationMs, String type, Path file) {
        return new Track(id, title, artist, durationMs, type, null, file);
    }

    /** The audio's bytes; reads the file (so call it off the network threads). */
    byte[] readAudio() throws IOException {
        return audio != null ? audio : Files.readAllBytes(file);
    }

    /** What {@code GET /api/tracks} lists for it. */
    Map<String, Object> toJson() {
        return Map.of("trackId", trackId, "title", title, "artist", artist, "durationMs", durationMs);
    }
}
