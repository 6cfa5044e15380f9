package dev.connecttray.receiver;

import dev.connecttray.core.Threads;
import java.util.List;

/**
 * Loads, on a background thread, what the receiver's first connection attempt needs: the TLS stack
 * and its trust store, OkHttp, the protocol buffers' descriptors, librespot's session and player
 * classes and the ciphers of the handshake. A receiver restarted after a wedged attempt connects
 * as soon as its process starts, and in a cold JVM that attempt spends most of its time loading
 * these; started first thing in {@code main}, the loading overlaps the JVM's and logging's start-up.
 * Then, the same for the first play: the metadata, storage and CDN path, the audio decryption (run
 * once over a chunk, so it is compiled) and the Vorbis decoder. A first play in a cold JVM spent
 * about 60 % of its time to the first sound on loading and interpreting these (bench/RESULTS-notes.md).
 * The class-data sharing archive's training run lists what is loaded here, so they map from it too.
 *
 * <p>Only an optimisation: nothing here talks to the network, and any failure is ignored (the
 * attempt itself then meets it and reports it properly).
 */
public final class LibraryWarmUp {
    private static final List<String> CLASSES = List.of(
            "xyz.gianlu.librespot.core.Session",
            "xyz.gianlu.librespot.core.ApResolver",
            "xyz.gianlu.librespot.crypto.DiffieHellman",
            "xyz.gianlu.librespot.crypto.CipherPair",
            "xyz.gianlu.librespot.crypto.Shannon",
            "xyz.gianlu.librespot.mercury.MercuryClient",
            "xyz.gianlu.librespot.dealer.DealerClient",
            "xyz.gianlu.librespot.player.Player",
            "xyz.gianlu.librespot.player.StateWrapper");

    /** What the first play goes through, from the dealer's command to the first PCM written. */
    private static final List<String> PLAYBACK_CLASSES = List.of(
            "xyz.gianlu.librespot.player.playback.PlayerSession",
            "xyz.gianlu.librespot.player.playback.PlayerQueue",
            "xyz.gianlu.librespot.player.playback.PlayerQueueEntry",
            "xyz.gianlu.librespot.audio.PlayableContentFeeder",
            "xyz.gianlu.librespot.audio.AudioKeyManager",
            "xyz.gianlu.librespot.audio.NormalizationData",
            "xyz.gianlu.librespot.audio.MetadataWrapper",
            "xyz.gianlu.librespot.audio.cdn.CdnManager",
            "xyz.gianlu.librespot.audio.cdn.CdnManager$Streamer",
            "xyz.gianlu.librespot.audio.decoders.VorbisOnlyAudioQuality",
            "xyz.gianlu.librespot.audio.decoders.VorbisDecoder",
            "xyz.gianlu.librespot.audio.decoders.Decoders",
            "xyz.gianlu.librespot.player.mixing.AudioSink",
            "xyz.gianlu.librespot.player.mixing.MixingLine",
            "xyz.gianlu.librespot.player.mixing.output.PipeOutput",
            "dev.connecttray.receiver.spotify.ExtendedMetadata",
            "com.jcraft.jogg.SyncState",
            "com.jcraft.jogg.StreamState",
            "com.jcraft.jorbis.Info",
            "com.jcraft.jorbis.DspState",
            "com.jcraft.jorbis.Block",
            "com.jcraft.jorbis.Mdct",
            "com.jcraft.jorbis.Floor1",
            "com.jcraft.jorbis.Residue0",
            "com.jcraft.jorbis.Mapping0",
            "com.jcraft.jorbis.CodeBook",
            "com.jcraft.jorbis.StaticCodeBook");

    private LibraryWarmUp() {
    }

    /** Starts the warm-up on a daemon thread and returns at once. */
    public static void startInBackground() {
        Threads.start("library-warm-up", LibraryWarmUp::run);
    }

    static List<String> classNames() {
        List<String> all = new java.util.ArrayList<>(CLASSES);
        all.addAll(PLAYBACK_CLASSES);
        return all;
    }

    static void run() {
        quietly(() -> javax.net.ssl.SSLContext.getDefault().createSSLEngine());
        quietly(() -> new okhttp3.OkHttpClient.Builder().build());
        quietly(com.spotify.Keyexchange::getDescriptor);
        quietly(com.spotify.Authentication::getDescriptor);
        quietly(com.spotify.Mercury::getDescriptor);
        quietly(com.spotify.connectstate.Connect::getDescriptor);
        quietly(com.spotify.connectstate.Player::getDescriptor);
        quietly(() -> java.security.Signature.getInstance("SHA1withRSA"));
        quietly(() -> java.security.KeyFactory.getInstance("RSA"));
        quietly(() -> javax.crypto.Mac.getInstance("HmacSHA1"));
        ClassLoader loader = LibraryWarmUp.class.getClassLoader();
        for (String name : CLASSES) quietly(() -> Class.forName(name, true, loader));
        // The first play: its messages, its classes, and one chunk through the audio decryption.
        quietly(com.spotify.metadata.Metadata::getDescriptor);
        quietly(com.spotify.extendedmetadata.ExtendedMetadata::getDescriptor);
        quietly(com.spotify.storage.StorageResolve::getDescriptor);
        for (String name : PLAYBACK_CLASSES) quietly(() -> Class.forName(name, true, loader));
        quietly(() -> {
            byte[] chunk = new byte[xyz.gianlu.librespot.audio.storage.ChannelManager.CHUNK_SIZE];
            new xyz.gianlu.librespot.audio.decrypt.AesAudioDecrypt(new byte[16]).decryptChunk(0, chunk);
            return chunk;
        });
    }

    private interface Step {
        Object run() throws Exception;
    }

    private static void quietly(Step step) {
        try {
            step.run();
        } catch (Exception | LinkageError e) {
            // The attempt that needs it will meet the same problem and report it.
        }
    }
}
