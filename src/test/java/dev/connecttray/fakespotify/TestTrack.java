package dev.connecttray.fakespotify;

import com.spotify.metadata.Metadata;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real Spotify-format audio file made at test time from a known tone, for the fake's catalog.
 *
 * <p>The tone (a sine, stereo, 44.1 kHz, 16 bit) is written as a WAV and encoded to Ogg Vorbis by
 * Debian's {@code oggenc} (package vorbis-tools; there is no Vorbis encoder in Java here). The Ogg
 * stream is cached under {@code target/fake-spotify/tracks/}, one file per tone, length and bitrate.
 *
 * <p>The Spotify file, as the CDN serves it:
 * <pre>
 *   offset 0      0xa7 (167) byte header, zeros except:
 *   offset 144      float32 LE track_gain_db  (0.0)
 *   offset 148      float32 LE track_peak     (1.0)
 *   offset 152      float32 LE album_gain_db  (0.0)
 *   offset 156      float32 LE album_peak     (1.0)
 *   offset 0xa7   the Ogg Vorbis stream
 * </pre>
 * all of it encrypted with AES-128-CTR, the track's audio key, and {@link #AUDIO_IV} as the initial
 * 128-bit big-endian counter for byte 0. librespot decrypts chunk {@code i} (of
 * {@link #CHUNK_SIZE} bytes) with the counter {@code IV + i * CHUNK_SIZE / 16}, which is what a
 * whole-file CTR stream gives at that offset, so any chunk decrypts on its own.
 */
public final class TestTrack {
    /** Spotify's audio header in front of the Ogg stream; librespot skips it. */
    public static final int HEADER_SIZE = 0xa7;
    /** Where librespot's NormalizationData reads its four little-endian floats. */
    public static final int NORMALIZATION_OFFSET = 144;
    /** Spotify's fixed AES-CTR initial counter for audio files. */
    public static final byte[] AUDIO_IV = HexFormat.of().parseHex("72e067fbddcbcf77ebe8bc643f630d93");
    /** librespot's ChannelManager.CHUNK_SIZE: the unit the player fetches and decrypts. */
    public static final int CHUNK_SIZE = 128 * 1024;
    public static final int SAMPLE_RATE = 44_100;
    public static final int CHANNELS = 2;
    public static final double DEFAULT_FREQUENCY = 440;
    public static final double OTHER_FREQUENCY = 1000;
    public static final int DEFAULT_SECONDS = 10;
    /** Peak amplitude of the tone, as a fraction of full scale (-6 dBFS). */
    public static final double AMPLITUDE = 0.5;
    static final Path CACHE = Path.of("target", "fake-spotify", "tracks");
    private static final long ENCODER_TIMEOUT_SECONDS = 120;
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestTrack() {
    }

    /** A 10 s 440 Hz tone as OGG_VORBIS_320. */
    public static FakeCatalog.Track tone440() throws IOException {
        return tone(DEFAULT_FREQUENCY, DEFAULT_SECONDS, Metadata.AudioFile.Format.OGG_VORBIS_320);
    }

    /** A 10 s 1000 Hz tone as OGG_VORBIS_320. */
    public static FakeCatalog.Track tone1000() throws IOException {
        return tone(OTHER_FREQUENCY, DEFAULT_SECONDS, Metadata.AudioFile.Format.OGG_VORBIS_320);
    }

    /**
     * A track of a sine tone, with a random gid, file id and audio key.
     *
     * @param format OGG_VORBIS_96, _160 or _320 (the nominal bitrate oggenc is asked for)
     */
    public static FakeCatalog.Track tone(double frequencyHz, int seconds, Metadata.AudioFile.Format format)
            throws IOException {
        byte[] ogg = oggVorbis(frequencyHz, seconds, bitrateKbps(format));
        byte[] key = randomBytes(16);
        String name = String.format(Locale.ROOT, "Tone %.0f Hz", frequencyHz);
        return new FakeCatalog.Track(name, randomBytes(16), randomBytes(20), format, key,
                encrypt(spotifyFile(ogg), key), seconds * 1000);
    }

    public static int bitrateKbps(Metadata.AudioFile.Format format) {
        return switch (format) {
            case OGG_VORBIS_96 -> 96;
            case OGG_VORBIS_160 -> 160;
            case OGG_VORBIS_320 -> 320;
            default -> throw new IllegalArgumentException("not an Ogg Vorbis format: " + format);
        };
    }

    /** The Ogg Vorbis stream of the tone, from the cache or made now by oggenc. */
    public static byte[] oggVorbis(double frequencyHz, int seconds, int bitrateKbps) throws IOException {
        if (seconds <= 0 || seconds > 600) throw new IllegalArgumentException("seconds: " + seconds);
        Files.createDirectories(CACHE);
        String base = String.format(Locale.ROOT, "tone-%.1fhz-%ds-%dk-cbr", frequencyHz, seconds, bitrateKbps);
        Path ogg = CACHE.resolve(base + ".ogg");
        if (Files.isRegularFile(ogg) && Files.size(ogg) > 0) return Files.readAllBytes(ogg);

        Path wav = Files.createTempFile(CACHE, base, ".wav");
        Path tmp = Files.createTempFile(CACHE, base, ".ogg.tmp");
        try {
            Files.write(wav, wav(sine(frequencyHz, seconds), CHANNELS, SAMPLE_RATE));
            runOggenc(wav, tmp, bitrateKbps);
            if (Files.size(tmp) == 0) throw new IOException("oggenc wrote nothing to " + tmp);
            Files.move(tmp, ogg, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(wav);
            Files.deleteIfExists(tmp);
        }
        return Files.readAllBytes(ogg);
    }

    /** 16-bit signed little-endian interleaved stereo PCM of a sine at {@link #AMPLITUDE}. */
    public static byte[] sine(double frequencyHz, int seconds) {
        int frames = SAMPLE_RATE * seconds;
        ByteBuffer pcm = ByteBuffer.allocate(frames * CHANNELS * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames; i++) {
            short s = (short) Math.round(AMPLITUDE * Short.MAX_VALUE * Math.sin(2 * Math.PI * frequencyHz * i / SAMPLE_RATE));
            for (int c = 0; c < CHANNELS; c++) pcm.putShort(s);
        }
        return pcm.array();
    }

    /** A canonical 44-byte-header PCM WAV around {@code pcm} (16 bit). */
    static byte[] wav(byte[] pcm, int channels, int sampleRate) {
        ByteBuffer b = ByteBuffer.allocate(44 + pcm.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + pcm.length);
        b.put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 1).putShort((short) channels).putInt(sampleRate)
                .putInt(sampleRate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16);
        b.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(pcm.length).put(pcm);
        return b.array();
    }

    /**
     * Managed bitrate with the nominal as the hard minimum: a pure tone would otherwise take a
     * tenth of the bitrate, and the file should be as long as a real one (several chunks).
     */
    private static void runOggenc(Path wav, Path out, int bitrateKbps) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("oggenc", "--quiet", "--serial", "1",
                "--managed", "-b", Integer.toString(bitrateKbps), "-m", Integer.toString(bitrateKbps),
                "-o", out.toString(), wav.toString())
                .redirectErrorStream(true);
        Process process;
        try {
            process = pb.start();
        } catch (IOException ex) {
            throw new IllegalStateException("cannot run oggenc, the Ogg Vorbis encoder the test tracks are made with: "
                    + "install the Debian package vorbis-tools (.ci/run does)", ex);
        }
        try {
            byte[] output;
            try (InputStream in = process.getInputStream()) {
                process.getOutputStream().close();
                output = in.readNBytes(64 * 1024);
            }
            if (!process.waitFor(ENCODER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("oggenc did not finish within " + ENCODER_TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0)
                throw new IOException("oggenc failed (exit " + process.exitValue() + "): "
                        + new String(output, java.nio.charset.StandardCharsets.UTF_8).trim());
        } catch (InterruptedException ex) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while oggenc ran", ex);
        }
    }

    /** Spotify's header (normalization: gain 0 dB, peak 1) followed by {@code ogg}. */
    public static byte[] spotifyFile(byte[] ogg) {
        ByteArrayOutputStream file = new ByteArrayOutputStream(HEADER_SIZE + ogg.length);
        ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        header.position(NORMALIZATION_OFFSET);
        header.putFloat(0f).putFloat(1f).putFloat(0f).putFloat(1f);
        file.writeBytes(header.array());
        file.writeBytes(ogg);
        return file.toByteArray();
    }

    /** AES-128-CTR from {@link #AUDIO_IV} over the whole file (the same call decrypts). */
    public static byte[] encrypt(byte[] plain, byte[] audioKey) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(audioKey, "AES"), new IvParameterSpec(AUDIO_IV));
            return cipher.doFinal(plain);
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
