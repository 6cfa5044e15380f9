package dev.connecttray.fakespotify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ToneAnalyzerTest {

    @Test
    void tellsA440HzToneFromA1000HzTone() {
        ToneAnalyzer.Result a = ToneAnalyzer.analyzeStereo44k(TestTrack.sine(440, 1));
        ToneAnalyzer.Result b = ToneAnalyzer.analyzeStereo44k(TestTrack.sine(1000, 1));

        assertThat(a.frequencyHz()).hasValueCloseTo(440.0, within(1.0));
        assertThat(b.frequencyHz()).hasValueCloseTo(1000.0, within(1.0));
        assertThat(a.isTone(440, 5)).isTrue();
        assertThat(a.isTone(1000, 5)).isFalse();
        assertThat(b.isTone(1000, 5)).isTrue();
        // a sine of peak 0.5 has an RMS of 0.5 / sqrt(2)
        assertThat(a.rms()).isCloseTo(TestTrack.AMPLITUDE / Math.sqrt(2), within(0.01));
        assertThat(a.seconds()).isCloseTo(1.0, within(0.001));
    }

    @Test
    void silenceHasNoFrequency() {
        ToneAnalyzer.Result r = ToneAnalyzer.analyzeStereo44k(new byte[44_100 * 4]);

        assertThat(r.frequencyHz()).isEmpty();
        assertThat(r.rms()).isZero();
        assertThat(r.soundStartSec()).isCloseTo(1.0, within(0.001));
    }

    @Test
    void emptyInputHasNoFrequency() {
        assertThat(ToneAnalyzer.analyzeStereo44k(new byte[0]).frequencyHz()).isEmpty();
    }

    @Test
    void skipsLeadingSilence() {
        byte[] tone = TestTrack.sine(1000, 1);
        byte[] pcm = new byte[44_100 * 4 / 2 + tone.length]; // 0.5 s of silence first
        System.arraycopy(tone, 0, pcm, pcm.length - tone.length, tone.length);

        ToneAnalyzer.Result r = ToneAnalyzer.analyzeStereo44k(pcm);

        assertThat(r.frequencyHz()).hasValueCloseTo(1000.0, within(1.0));
        assertThat(r.soundStartSec()).isCloseTo(0.5, within(0.01));
    }

    @Test
    void monoWorksToo() {
        ByteBuffer b = ByteBuffer.allocate(44_100 * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 44_100; i++) b.putShort((short) (10_000 * Math.sin(2 * Math.PI * 440 * i / 44_100.0)));

        assertThat(ToneAnalyzer.analyze(b.array(), 44_100, 1).frequencyHz()).hasValueCloseTo(440.0, within(1.0));
    }

    @Test
    void noiseAndChordsAreNotATone() {
        Random random = new Random(1);
        ByteBuffer noise = ByteBuffer.allocate(44_100 * 4).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer chord = ByteBuffer.allocate(44_100 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 44_100; i++) {
            short n = (short) (random.nextGaussian() * 5000);
            short c = (short) (8000 * (Math.sin(2 * Math.PI * 440 * i / 44_100.0) + Math.sin(2 * Math.PI * 660 * i / 44_100.0)));
            noise.putShort(n).putShort(n);
            chord.putShort(c).putShort(c);
        }

        assertThat(ToneAnalyzer.analyzeStereo44k(noise.array()).frequencyHz()).isEmpty();
        assertThat(ToneAnalyzer.analyzeStereo44k(chord.array()).frequencyHz()).isEmpty();
    }
}
