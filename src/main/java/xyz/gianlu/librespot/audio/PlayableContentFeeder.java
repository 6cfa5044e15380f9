package xyz.gianlu.librespot.audio;

import com.google.protobuf.ByteString;
import com.spotify.extendedmetadata.ExtendedMetadata.BatchedExtensionResponse;
import com.spotify.metadata.Metadata;
import com.spotify.storage.StorageResolve.StorageResolveResponse;
import dev.connecttray.receiver.spotify.ExtendedMetadata;
import dev.connecttray.receiver.spotify.ReplacesLibraryClass;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xyz.gianlu.librespot.audio.cdn.CdnFeedHelper;
import xyz.gianlu.librespot.audio.cdn.CdnManager;
import xyz.gianlu.librespot.audio.format.AudioQualityPicker;
import xyz.gianlu.librespot.audio.format.SuperAudioFormat;
import xyz.gianlu.librespot.audio.storage.AudioFileFetch;
import xyz.gianlu.librespot.audio.storage.ChannelManager;
import xyz.gianlu.librespot.audio.storage.StorageFeedHelper;
import xyz.gianlu.librespot.core.Session;
import xyz.gianlu.librespot.mercury.MercuryClient;
import xyz.gianlu.librespot.metadata.EpisodeId;
import xyz.gianlu.librespot.metadata.LocalId;
import xyz.gianlu.librespot.metadata.PlayableId;
import xyz.gianlu.librespot.metadata.TrackId;

/**
 * Opens the audio of a track or episode for the player. Takes the place of librespot-java 1.6.3's
 * class, which reads {@code metadata/4} (HTTP 500 since 2025-08; no audio files listed since
 * 2025-11) and streams from one random CDN host with no second chance. This one reads extended
 * metadata ({@code TRACK_V4}/{@code EPISODE_V4} with {@code AUDIO_FILES}), asks for the audio key
 * once, and tries each CDN host storage-resolve names until one serves the file.
 */
@ReplacesLibraryClass("metadata/4 fails since 2025-08/11; one CDN host, no fallback")
public final class PlayableContentFeeder {
    private static final Logger LOG = LoggerFactory.getLogger(PlayableContentFeeder.class);
    private static final String STORAGE_RESOLVE = "/storage-resolve/files/audio/interactive/";
    private static final String STORAGE_RESOLVE_PREFETCH = "/storage-resolve/files/audio/interactive_prefetch/";
    /** Spotify's audio files start with this many bytes of its own header (normalization data at 144). */
    private static final int SPOTIFY_HEADER = 0xa7;

    protected final Session session;

    public PlayableContentFeeder(Session session) {
        this.session = Objects.requireNonNull(session, "session");
    }

    public final LoadedStream load(PlayableId id, AudioQualityPicker audioQualityPicker, boolean preload,
                                   HaltListener haltListener) throws CdnManager.CdnException,
            ContentRestrictedException, MercuryClient.MercuryException, IOException {
        if (id instanceof TrackId track) return loadTrack(track, audioQualityPicker, preload, haltListener);
        if (id instanceof EpisodeId episode) return loadEpisode(episode, audioQualityPicker, preload, haltListener);
        throw new IllegalArgumentException("Cannot load " + id + ": only tracks and episodes are streamed");
    }

    private LoadedStream loadTrack(TrackId id, AudioQualityPicker picker, boolean preload, HaltListener halt)
            throws IOException, MercuryClient.MercuryException, ContentRestrictedException, CdnManager.CdnException {
        String uri = id.toSpotifyUri();
        Metadata.Track track = withAlternativeFiles(ExtendedMetadata.track(extendedMetadata(uri, false), uri));
        if (track.getFileCount() == 0) {
            String country = session.countryCode();
            if (country != null) ContentRestrictedException.checkRestrictions(country, track.getRestrictionList());
            throw new FeederException("Spotify lists no audio file for " + uri);
        }
        Metadata.AudioFile file = picker.getFile(track.getFileList());
        if (file == null) throw new FeederException("No audio file of a playable format for " + uri + " among "
                + formats(track.getFileList()));
        return open(file, track.getGid(), preload, halt, new Opened() {
            @Override
            public LoadedStream cdn(DecodedAudioStream in, NormalizationData norm, Metrics metrics) {
                return new LoadedStream(track, in, norm, metrics);
            }

            @Override
            public LoadedStream storage() throws IOException {
                return StorageFeedHelper.loadTrack(session, track, file, preload, halt);
            }
        });
    }

    private LoadedStream loadEpisode(EpisodeId id, AudioQualityPicker picker, boolean preload, HaltListener halt)
            throws IOException, MercuryClient.MercuryException, CdnManager.CdnException {
        String uri = id.toSpotifyUri();
        Metadata.Episode episode = ExtendedMetadata.episode(extendedMetadata(uri, true), uri);
        if (episode.hasExternalUrl()) return CdnFeedHelper.loadEpisodeExternal(session, episode, halt);
        Metadata.AudioFile file = picker.getFile(episode.getAudioList());
        if (file == null) throw new FeederException("No audio file of a playable format for " + uri + " among "
                + formats(episode.getAudioList()));
        return open(file, episode.getGid(), preload, halt, new Opened() {
            @Override
            public LoadedStream cdn(DecodedAudioStream in, NormalizationData norm, Metrics metrics) {
                return new LoadedStream(episode, in, norm, metrics);
            }

            @Override
            public LoadedStream storage() throws IOException {
                return StorageFeedHelper.loadEpisode(session, episode, file, preload, halt);
            }
        });
    }

    /** How to wrap an opened CDN stream, or open from Spotify's storage channel instead. */
    private interface Opened {
        LoadedStream cdn(DecodedAudioStream in, NormalizationData norm, Metrics metrics);

        LoadedStream storage() throws IOException;
    }

    private BatchedExtensionResponse extendedMetadata(String uri, boolean episode)
            throws IOException, MercuryClient.MercuryException {
        return session.api().getExtendedMetadata(ExtendedMetadata.request(uri, episode));
    }

    private static Metadata.Track withAlternativeFiles(Metadata.Track track) {
        if (track.getFileCount() > 0) return track;
        for (Metadata.Track alternative : track.getAlternativeList()) {
            if (alternative.getFileCount() > 0) {
                return track.toBuilder().clearFile().addAllFile(alternative.getFileList()).build();
            }
        }
        return track;
    }

    private LoadedStream open(Metadata.AudioFile file, ByteString gid, boolean preload, HaltListener halt,
                              Opened opened) throws IOException, MercuryClient.MercuryException,
            CdnManager.CdnException {
        StorageResolveResponse storage = resolveStorage(file.getFileId(), preload);
        switch (storage.getResult()) {
            case CDN:
                return openFromCdn(file, gid, storage.getCdnurlList(), preload, halt, opened);
            case STORAGE:
                try {
                    return opened.storage();
                } catch (AudioFileFetch.StorageNotAvailable e) {
                    LOG.info("Spotify's storage channel has no copy; streaming from its CDN instead");
                    return openFromCdn(file, gid, List.of(e.cdnUrl), preload, halt, opened);
                }
            case RESTRICTED:
                throw new FeederException("Spotify restricts the audio file " + hex(file.getFileId()));
            default:
                throw new FeederException("storage-resolve answered " + storage.getResult() + " for "
                        + hex(file.getFileId()));
        }
    }

    private LoadedStream openFromCdn(Metadata.AudioFile file, ByteString gid, List<String> urls, boolean preload,
                                     HaltListener halt, Opened opened) throws IOException, CdnManager.CdnException {
        if (urls.isEmpty()) throw new FeederException("storage-resolve named no CDN host for " + hex(file.getFileId()));
        long start = System.currentTimeMillis();
        byte[] key = session.audioKey().getAudioKey(gid, file.getFileId());
        int keyMillis = (int) (System.currentTimeMillis() - start);
        Exception last = null;
        for (int i = 0; i < urls.size(); i++) {
            HttpUrl url = HttpUrl.parse(urls.get(i));
            if (url == null) {
                LOG.warn("Skipping a CDN address that is not a URL");
                continue;
            }
            try {
                CdnManager.Streamer streamer = session.cdn().streamFile(file, key, url, halt);
                InputStream in = streamer.stream();
                NormalizationData norm = NormalizationData.read(in);
                if (in.skip(SPOTIFY_HEADER) != SPOTIFY_HEADER) {
                    throw new IOException("the file is shorter than Spotify's header");
                }
                if (i > 0) LOG.info("CDN host {} serves the file", url.host());
                return opened.cdn(streamer, norm, new Metrics(file.getFileId(), preload, preload ? -1 : keyMillis));
            } catch (IOException | CdnManager.CdnException e) {
                last = e;
                LOG.warn("CDN host {} failed ({}){}", url.host(), e.getMessage(),
                        i + 1 < urls.size() ? "; trying the next one" : "; no other host left");
            }
        }
        if (last instanceof CdnManager.CdnException c) throw c;
        throw last instanceof IOException io ? io : new FeederException("no CDN host served " + hex(file.getFileId()));
    }

    private StorageResolveResponse resolveStorage(ByteString fileId, boolean preload)
            throws IOException, MercuryClient.MercuryException {
        String path = (preload ? STORAGE_RESOLVE_PREFETCH : STORAGE_RESOLVE) + hex(fileId);
        try (Response response = session.api().send("GET", path, null, null)) {
            if (response.code() != 200) throw new IOException("storage-resolve answered HTTP " + response.code());
            ResponseBody body = response.body();
            if (body == null) throw new IOException("storage-resolve answered with no body");
            return StorageResolveResponse.parseFrom(body.byteStream());
        }
    }

    private static String hex(ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }

    private static String formats(List<Metadata.AudioFile> files) {
        return files.stream().map(f -> f.getFormat().name()).toList().toString();
    }

    /** An opened stream with what the player needs to know about it. */
    public static class LoadedStream {
        public final MetadataWrapper metadata;
        public final DecodedAudioStream in;
        public final NormalizationData normalizationData;
        public final Metrics metrics;

        public LoadedStream(Metadata.Track track, DecodedAudioStream in, NormalizationData normalizationData,
                            Metrics metrics) {
            this(new MetadataWrapper(track, null, null), in, normalizationData, metrics);
        }

        public LoadedStream(Metadata.Episode episode, DecodedAudioStream in, NormalizationData normalizationData,
                            Metrics metrics) {
            this(new MetadataWrapper(null, episode, null), in, normalizationData, metrics);
        }

        private LoadedStream(MetadataWrapper metadata, DecodedAudioStream in, NormalizationData normalizationData,
                             Metrics metrics) {
            this.metadata = metadata;
            this.in = Objects.requireNonNull(in, "in");
            this.normalizationData = normalizationData;
            this.metrics = Objects.requireNonNull(metrics, "metrics");
        }

        /** A local file the user's Spotify app asked for (played from the library's local-files folder). */
        public static LoadedStream forLocalFile(LocalId id, File file) throws IOException {
            return new LoadedStream(new MetadataWrapper(null, null, id), new LocalFileStream(file), null,
                    new Metrics(null, false, 0));
        }
    }

    /** Timings the player reports in its playback events. */
    public static class Metrics {
        public final String fileId;
        public final boolean preloadedAudioKey;
        public final int audioKeyTime;

        public Metrics(ByteString fileId, boolean preloadedAudioKey, int audioKeyTime) {
            if (preloadedAudioKey && audioKeyTime != -1) {
                throw new IllegalArgumentException("a preloaded audio key has no time (-1)");
            }
            this.fileId = fileId == null ? null : hex(fileId);
            this.preloadedAudioKey = preloadedAudioKey;
            this.audioKeyTime = audioKeyTime;
        }
    }

    /** Nothing playable was found. */
    public static class FeederException extends IOException {
        FeederException() {
            super("Nothing playable was found");
        }

        FeederException(String message) {
            super(message);
        }
    }

    /** The content may not be played in the user's country. */
    public static class ContentRestrictedException extends Exception {
        public ContentRestrictedException() {
            super("Spotify does not allow this content in the account's country");
        }

        /** Throws when one of {@code restrictions} keeps {@code country} (two letters) out. */
        public static void checkRestrictions(String country, List<Metadata.Restriction> restrictions)
                throws ContentRestrictedException {
            for (Metadata.Restriction restriction : restrictions) {
                boolean restricted;
                if (restriction.hasCountriesAllowed()) {
                    restricted = !listed(restriction.getCountriesAllowed(), country);
                } else if (restriction.hasCountriesForbidden()) {
                    restricted = listed(restriction.getCountriesForbidden(), country);
                } else {
                    restricted = false;
                }
                if (restricted) throw new ContentRestrictedException();
            }
        }

        /** Whether {@code codes} (two-letter country codes run together, "SEDEFR") holds {@code country}. */
        private static boolean listed(String codes, String country) {
            String wanted = country.toUpperCase(Locale.ROOT);
            for (int i = 0; i + 2 <= codes.length(); i += 2) {
                if (codes.regionMatches(true, i, wanted, 0, 2)) return true;
            }
            return false;
        }
    }

    /** A local audio file read in the library's chunk size, each chunk when the decoder first needs it. */
    private static final class LocalFileStream implements DecodedAudioStream {
        private final File file;
        private final RandomAccessFile data;
        private final int size;
        private final byte[][] chunks;
        private final boolean[] available;
        private final boolean[] requested;

        LocalFileStream(File file) throws IOException {
            this.file = file;
            this.data = new RandomAccessFile(file, "r");
            long length = data.length();
            if (length > Integer.MAX_VALUE) {
                data.close();
                throw new IOException(file + " is too large to stream");
            }
            this.size = (int) length;
            int count = (size + ChannelManager.CHUNK_SIZE - 1) / ChannelManager.CHUNK_SIZE;
            this.chunks = new byte[count][];
            this.available = new boolean[count];
            this.requested = new boolean[count];
        }

        @Override
        public AbsChunkedInputStream stream() {
            return new AbsChunkedInputStream(false) {
                @Override
                protected byte[][] buffer() {
                    return chunks;
                }

                @Override
                public int size() {
                    return size;
                }

                @Override
                protected boolean[] requestedChunks() {
                    return requested;
                }

                @Override
                protected boolean[] availableChunks() {
                    return available;
                }

                @Override
                protected int chunks() {
                    return chunks.length;
                }

                @Override
                protected void requestChunkFromStream(int index) {
                    try {
                        synchronized (data) {
                            long offset = (long) index * ChannelManager.CHUNK_SIZE;
                            byte[] chunk = new byte[(int) Math.min(ChannelManager.CHUNK_SIZE, size - offset)];
                            data.seek(offset);
                            data.readFully(chunk);
                            chunks[index] = chunk;
                        }
                        notifyChunkAvailable(index);
                    } catch (IOException e) {
                        notifyChunkError(index, new ChunkException(e));
                    }
                }

                @Override
                public void streamReadHalted(int chunk, long time) {
                    // A local read does not stall.
                }

                @Override
                public void streamReadResumed(int chunk, long time) {
                    // A local read does not stall.
                }

                @Override
                public void close() {
                    super.close();
                    try {
                        data.close();
                    } catch (IOException e) {
                        LOG.debug("Closing {} failed", file, e);
                    }
                }
            };
        }

        @Override
        public SuperAudioFormat codec() {
            String name = file.getName().toLowerCase(Locale.ROOT);
            if (name.endsWith(".ogg") || name.endsWith(".oga")) return SuperAudioFormat.VORBIS;
            if (name.endsWith(".m4a") || name.endsWith(".aac")) return SuperAudioFormat.AAC;
            return SuperAudioFormat.MP3;
        }

        @Override
        public String describe() {
            return "{file: " + file.getAbsolutePath() + "}";
        }

        @Override
        public int decryptTimeMs() {
            return 0;
        }
    }
}
