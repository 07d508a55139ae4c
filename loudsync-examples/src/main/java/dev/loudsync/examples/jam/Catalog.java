package dev.loudsync.examples.jam;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.jaudiotagger.audio.AudioFile;
import org.jaudiotagger.audio.AudioFileIO;
import org.jaudiotagger.tag.FieldKey;
import org.jaudiotagger.tag.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracks a jam can queue: the built-in melodies, then the browser-playable files under the
 * music folder (MP3, AAC/M4A, Ogg/Opus, FLAC, WAV, WebM), sorted by path. Read once at start;
 * immutable afterwards.
 *
 * <p>Title, artist and length come from the files' tags (jaudiotagger); a missing title is the
 * file name without its extension, a missing artist {@value #UNKNOWN_ARTIST}. A file whose length
 * cannot be read is left out with a warning: playback sync, auto-play and late joiners all need
 * the length. A file's id is derived from its path under the folder, so it stays the same across
 * restarts and shared links keep working.
 */
final class Catalog {

    private static final Logger log = LoggerFactory.getLogger(Catalog.class);

    static final String UNKNOWN_ARTIST = "Unknown artist";

    /** A music folder is walked at most this deep and for at most this many files. */
    private static final int MAX_DEPTH = 8;
    private static final int MAX_FILES = 10_000;

    private static final Map<String, String> TYPES = Map.of(
            "mp3", "audio/mpeg", "m4a", "audio/mp4", "aac", "audio/aac", "ogg", "audio/ogg",
            "oga", "audio/ogg", "opus", "audio/ogg", "flac", "audio/flac", "wav", "audio/wav",
            "webm", "audio/webm");

    /** jaudiotagger logs every oddity of every file at INFO; kept here so the setting is not collected. */
    private static final java.util.logging.Logger TAGGER_LOG = java.util.logging.Logger.getLogger("org.jaudiotagger");

    static {
        TAGGER_LOG.setLevel(Level.OFF);
    }

    private final Map<String, Track> tracks;

    Catalog(List<Track> list) {
        Map<String, Track> m = new LinkedHashMap<>();
        for (Track t : list) {
            m.putIfAbsent(t.trackId(), t);
        }
        this.tracks = Collections.unmodifiableMap(m);
    }

    /** The built-in melodies and, when {@code musicDir} is not null, the files under it. */
    static Catalog load(Path musicDir) throws IOException {
        List<Track> list = new ArrayList<>(Melodies.tracks());
        if (musicDir != null) {
            list.addAll(scan(musicDir));
        }
        return new Catalog(list);
    }

    /** The tracks in catalog order. */
    List<Track> tracks() {
        return List.copyOf(tracks.values());
    }

    Optional<Track> find(String trackId) {
        return Optional.ofNullable(tracks.get(trackId));
    }

    int size() {
        return tracks.size();
    }

    /**
     * The playable files under {@code dir}.
     *
     * @throws IOException if {@code dir} is not a readable folder
     */
    static List<Track> scan(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("not a folder: " + dir);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir, MAX_DEPTH)) {
            files = walk.filter(Files::isRegularFile).filter(p -> type(p) != null).sorted().limit(MAX_FILES).toList();
        }
        List<Track> found = new ArrayList<>();
        for (Path f : files) {
            Track t = read(dir, f);
            if (t != null) {
                found.add(t);
            }
        }
        return found;
    }

    private static Track read(Path root, Path file) {
        String name = file.getFileName().toString();
        String title = name.substring(0, name.lastIndexOf('.'));
        String artist = UNKNOWN_ARTIST;
        long durationMs;
        try {
            AudioFile audio = AudioFileIO.read(file.toFile());
            durationMs = Math.round(audio.getAudioHeader().getPreciseTrackLength() * 1000);
            Tag tag = audio.getTag();
            if (tag != null) {
                title = nonBlank(tag.getFirst(FieldKey.TITLE), title);
                artist = nonBlank(tag.getFirst(FieldKey.ARTIST), artist);
            }
        } catch (Exception | LinkageError e) {
            // jaudiotagger throws a handful of checked and unchecked types for odd files.
            log.warn("Skipping {}: cannot read its length ({})", file, e.toString());
            return null;
        }
        if (durationMs <= 0) {
            log.warn("Skipping {}: no length in its header", file);
            return null;
        }
        String id = "f-" + shortHash(root.relativize(file).toString().replace('\\', '/'));
        return Track.inFile(id, clip(title), clip(artist), durationMs, type(file), file);
    }

    /** The content type browsers expect for the file's extension, or null when it is not audio we serve. */
    static String type(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? null : TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** Tags may carry their C terminator (RIFF INFO does) or other control characters: dropped. */
    private static String nonBlank(String value, String fallback) {
        String v = value == null ? "" : value.replaceAll("\\p{Cntrl}", "").strip();
        return v.isEmpty() ? fallback : v;
    }

    /** Tags can be long; the page shows a line, and the shared state has a size limit. */
    private static String clip(String s) {
        return s.length() <= 100 ? s : s.substring(0, 99) + "…";
    }

    private static String shortHash(String path) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(path.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
