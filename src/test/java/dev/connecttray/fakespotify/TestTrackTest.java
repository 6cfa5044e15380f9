package dev.connecttray.fakespotify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.spotify.metadata.Metadata;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import xyz.gianlu.librespot.audio.NormalizationData;
import xyz.gianlu.librespot.audio.decoders.VorbisDecoder;
import xyz.gianlu.librespot.audio.decrypt.AesAudioDecrypt;
import xyz.gianlu.librespot.audio.storage.ChannelManager;
import xyz.gianlu.librespot.player.decoders.Decoder;
import xyz.gianlu.librespot.player.decoders.SeekableInputStream;

/** The generated track, read back the way librespot's player reads it. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TestTrackTest {

    @Test
    void constantsMatchTheLibrary() {
        assertThat(TestTrack.CHUNK_SIZE).isEqualTo(ChannelManager.CHUNK_SIZE);
    }

    @Test
    void a440HzTrackDecryptsChunkByChunkAndDecodesToA440HzTone() throws Exception {
        FakeCatalog.Track track = TestTrack.tone440();

        assertThat(track.format()).isEqualTo(Metadata.AudioFile.Format.OGG_VORBIS_320);
        assertThat(track.durationMs()).isEqualTo(10_000);
        assertThat(track.uri()).startsWith("spotify:track:");
        byte[] plain = decryptLikeTheLibrary(track);
        assertThat(plain.length).isGreaterThan(2 * TestTrack.CHUNK_SIZE); // several chunks
        assertThat(new String(plain, TestTrack.HEADER_SIZE, 4, StandardCharsets.US_ASCII)).isEqualTo("OggS");
        assertThat(Arrays.copyOfRange(plain, 0, TestTrack.NORMALIZATION_OFFSET)).containsOnly(0);

        NormalizationData normalization = NormalizationData.read(new ByteArrayInputStream(plain));
        assertThat(normalization.track_gain_db).isZero();
        assertThat(normalization.track_peak).isEqualTo(1f);
        assertThat(normalization.album_gain_db).isZero();
        assertThat(normalization.album_peak).isEqualTo(1f);
        assertThat(normalization.getFactor(0)).isEqualTo(1f);

        byte[] pcm = decode(Arrays.copyOfRange(plain, TestTrack.HEADER_SIZE, plain.length), track.durationMs());
        assertThat(pcm.length / 4.0 / 44_100).isCloseTo(10.0, within(0.1));
        ToneAnalyzer.Result result = ToneAnalyzer.analyzeStereo44k(pcm);
        assertThat(result.frequencyHz()).hasValueCloseTo(440.0, within(2.0));
        assertThat(result.rms()).isCloseTo(TestTrack.AMPLITUDE / Math.sqrt(2), within(0.03));
    }

    @Test
    void a1000HzTrackAt160KbitDecodesToA1000HzTone() throws Exception {
        FakeCatalog.Track track = TestTrack.tone(1000, 3, Metadata.AudioFile.Format.OGG_VORBIS_160);

        byte[] plain = decryptLikeTheLibrary(track);
        assertThat(identificationHeaderBitrate(plain)).isEqualTo(160_000);
        byte[] pcm = decode(Arrays.copyOfRange(plain, TestTrack.HEADER_SIZE, plain.length), track.durationMs());
        assertThat(ToneAnalyzer.analyzeStereo44k(pcm).frequencyHz()).hasValueCloseTo(1000.0, within(2.0));
    }

    @Test
    void the320KbitFileSaysSoAndTracksGetFreshIdsAndKeys() throws Exception {
        FakeCatalog.Track a = TestTrack.tone440();
        FakeCatalog.Track b = TestTrack.tone440();

        assertThat(identificationHeaderBitrate(decryptLikeTheLibrary(a))).isEqualTo(320_000);
        assertThat(a.gid()).isNotEqualTo(b.gid());
        assertThat(a.fileId()).isNotEqualTo(b.fileId());
        assertThat(a.audioKey()).isNotEqualTo(b.audioKey());
        assertThat(a.encryptedFile()).isNotEqualTo(b.encryptedFile());
    }

    // ------------------------------------------------------------------ helpers

    /** As the player does: each CHUNK_SIZE chunk on its own, by its index, last one first. */
    private static byte[] decryptLikeTheLibrary(FakeCatalog.Track track) throws IOException {
        byte[] file = track.encryptedFile();
        AesAudioDecrypt decrypt = new AesAudioDecrypt(track.audioKey());
        byte[] out = new byte[file.length];
        int chunks = (file.length + ChannelManager.CHUNK_SIZE - 1) / ChannelManager.CHUNK_SIZE;
        for (int i = chunks - 1; i >= 0; i--) {
            int from = i * ChannelManager.CHUNK_SIZE;
            byte[] chunk = Arrays.copyOfRange(file, from, Math.min(file.length, from + ChannelManager.CHUNK_SIZE));
            decrypt.decryptChunk(i, chunk);
            System.arraycopy(chunk, 0, out, from, chunk.length);
        }
        return out;
    }

    /** The nominal bitrate in the Vorbis identification header (first Ogg page). */
    private static int identificationHeaderBitrate(byte[] plain) throws IOException {
        int ogg = TestTrack.HEADER_SIZE;
        int segments = plain[ogg + 26] & 0xff;
        int packet = ogg + 27 + segments;
        assertThat(plain[packet]).isEqualTo((byte) 1);
        assertThat(new String(plain, packet + 1, 6, StandardCharsets.US_ASCII)).isEqualTo("vorbis");
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain, packet + 7 + 4 + 1 + 4 + 4, 4));
        return Integer.reverseBytes(in.readInt());
    }

    /** librespot's own VorbisDecoder (JOrbis), as the player runs it. */
    private static byte[] decode(byte[] ogg, int durationMs) throws Exception {
        ByteArrayOutputStream pcm = new ByteArrayOutputStream();
        try (Decoder decoder = new VorbisDecoder(new BytesStream(ogg), 1f, durationMs)) {
            for (int i = 0; i < 1_000_000; i++) {
                if (decoder.writeSomeTo(pcm) == -1) break;
            }
        }
        return pcm.toByteArray();
    }

    private static final class BytesStream extends SeekableInputStream {
        private final byte[] data;
        private int pos;

        BytesStream(byte[] data) {
            this.data = data;
        }

        @Override
        public int size() {
            return data.length;
        }

        @Override
        public int position() {
            return pos;
        }

        @Override
        public void seek(int position) {
            pos = Math.max(0, Math.min(data.length, position));
        }

        @Override
        public long skip(long n) {
            int from = pos;
            seek((int) Math.min(Integer.MAX_VALUE, pos + n));
            return pos - from;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) return -1;
            int n = Math.min(len, data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public void close() {
        }

        @Override
        public int decodedLength() {
            return 0;
        }
    }
}
