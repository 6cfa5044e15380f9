package dev.connecttray.fakespotify;

import com.spotify.metadata.Metadata;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import xyz.gianlu.librespot.metadata.TrackId;

/**
 * The tracks the fake Spotify knows: shared by the access point (audio keys), spclient (metadata,
 * extended metadata, storage-resolve) and the CDN (the encrypted file).
 */
public final class FakeCatalog {

    /**
     * One playable track.
     *
     * @param name          the track's title, as metadata reports it
     * @param gid           the 16-byte track id (its base62 form is in {@link #uri()})
     * @param fileId        the 20-byte id of its one audio file
     * @param format        that file's format (e.g. {@code OGG_VORBIS_320})
     * @param audioKey      the 16-byte AES key the access point hands out for (gid, fileId)
     * @param encryptedFile the file as the CDN serves it: Spotify's 0xa7-byte header and the Ogg
     *                      stream, AES-128-CTR encrypted with {@link #audioKey} and Spotify's audio IV
     * @param durationMs    its length, as metadata reports it
     */
    public record Track(String name, byte[] gid, byte[] fileId, Metadata.AudioFile.Format format, byte[] audioKey,
                        byte[] encryptedFile, int durationMs) {
        public Track {
            Objects.requireNonNull(name);
            Objects.requireNonNull(format);
            if (gid.length != 16) throw new IllegalArgumentException("gid must be 16 bytes");
            if (fileId.length != 20) throw new IllegalArgumentException("fileId must be 20 bytes");
            if (audioKey.length != 16) throw new IllegalArgumentException("audioKey must be 16 bytes");
            Objects.requireNonNull(encryptedFile);
        }

        /** {@code spotify:track:<base62>} */
        public String uri() {
            return TrackId.fromHex(gidHex()).toSpotifyUri();
        }

        public String gidHex() {
            return HexFormat.of().formatHex(gid);
        }

        public String fileIdHex() {
            return HexFormat.of().formatHex(fileId);
        }
    }

    private final List<Track> tracks = new CopyOnWriteArrayList<>();

    public void add(Track track) {
        tracks.add(Objects.requireNonNull(track));
    }

    public List<Track> tracks() {
        return List.copyOf(tracks);
    }

    public Optional<Track> byGid(byte[] gid) {
        return tracks.stream().filter(t -> Arrays.equals(t.gid(), gid)).findFirst();
    }

    /** By the hex id (either case), as in {@code /metadata/4/track/<hex>}. */
    public Optional<Track> byGidHex(String hex) {
        String h = hex.toLowerCase(Locale.ROOT);
        return tracks.stream().filter(t -> t.gidHex().equals(h)).findFirst();
    }

    public Optional<Track> byUri(String uri) {
        return tracks.stream().filter(t -> t.uri().equals(uri)).findFirst();
    }

    public Optional<Track> byFileId(byte[] fileId) {
        return tracks.stream().filter(t -> Arrays.equals(t.fileId(), fileId)).findFirst();
    }

    public Optional<Track> byFileIdHex(String hex) {
        String h = hex.toLowerCase(Locale.ROOT);
        return tracks.stream().filter(t -> t.fileIdHex().equals(h)).findFirst();
    }
}
