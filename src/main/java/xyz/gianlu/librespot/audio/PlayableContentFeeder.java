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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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

    /** Asks for audio keys while storage-resolve runs: two daemon threads, shared by every session (one at a time). */
    private static final ExecutorService KEYS = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "audio-key");
        t.setDaemon(true);
        return t;
    });

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
        // The key comes from the access point, the file's location from spclient: ask both at once
        // (each is a round trip the first sound waits for; Spotify answers CDN nearly always).
        PendingKey key = new PendingKey(gid, file.getFileId());
        StorageResolveResponse storage;
        try {
            storage = resolveStorage(file.getFileId(), preload);
        } catch (IOException | MercuryClient.MercuryException | RuntimeException e) {
            key.abandon();
            throw e;
        }
        switch (storage.getResult()) {
            case CDN:
                return openFromCdn(file, key, storage.getCdnurlList(), preload, halt, opened);
            case STORAGE:
                key.abandon();
                try {
                    return opened.storage();
                } catch (AudioFileFetch.StorageNotAvailable e) {
                    LOG.info("Spotify's storage channel has no copy; streaming from its CDN instead");
                    return openFromCdn(file, new PendingKey(gid, file.getFileId()), List.of(e.cdnUrl), preload,
                            halt, opened);
                }
            case RESTRICTED:
                key.abandon();
                throw new FeederException("Spotify restricts the audio file " + hex(file.getFileId()));
            default:
                key.abandon();
                throw new FeederException("storage-resolve answered " + storage.getResult() + " for "
                        + hex(file.getFileId()));
        }
    }

    /** An audio key being asked for on {@link #KEYS} while the caller does something else. */
    private final class PendingKey {
        private final long started = System.nanoTime();
        private final CompletableFuture<byte[]> key;

        PendingKey(ByteString gid, ByteString fileId) {
            key = CompletableFuture.supplyAsync(() -> {
                try {
                    return session.audioKey().getAudioKey(gid, fileId);
                } catch (IOException e) {
                    throw new CompletionException(e);
                }
            }, KEYS);
        }

        /** The key, or what the access point said instead ({@link AudioKeyManager.AudioKeyRefusedException}). */
        byte[] get() throws IOException {
            try {
                return key.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof IOException io) throw io;
                if (e.getCause() instanceof RuntimeException r) throw r;
                throw new IOException(e.getCause());
            }
        }

        /** Milliseconds from asking to now. */
        int millis() {
            return (int) ((System.nanoTime() - started) / 1_000_000);
        }

        /** Not needed after all; the request finishes on its own (bounded by its own timeout). */
        void abandon() {
            key.cancel(false);
        }
    }

    private LoadedStream openFromCdn(Metadata.AudioFile file, PendingKey pendingKey, List<String> urls, boolean preload,
                                     HaltListener halt, Opened opened) throws IOException, CdnManager.CdnException {
        if (urls.isEmpty()) {
            pendingKey.abandon();
            throw new FeederException("storage-resolve named no CDN host for " + hex(file.getFileId()));
        }
        byte[] key = pendingKey.get();
        int keyMillis = pendingKey.millis();
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
