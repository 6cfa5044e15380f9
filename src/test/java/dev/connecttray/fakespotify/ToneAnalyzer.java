package dev.connecttray.fakespotify;

import java.util.Locale;
import java.util.OptionalDouble;

/**
 * What a stretch of 16-bit signed little-endian PCM sounds like: its RMS level and, when it is a
 * tone, its frequency. Used on what librespot's PIPE output writes (44.1 kHz stereo).
 *
 * <p>The frequency comes from counting zero crossings of the first channel over a stretch after
 * the leading silence, and is kept only when a DFT (Goertzel) at that frequency holds most of
 * the stretch's energy: noise or a chord give no frequency.
 */
public final class ToneAnalyzer {
    /** Samples (of one channel) below this magnitude count as silence: about -60 dBFS. */
    static final int SILENCE_THRESHOLD = 33;
    /** How much of the stretch's power a tone must hold at its frequency. */
    static final double MIN_TONE_POWER_FRACTION = 0.8;
    static final double MAX_STRETCH_SECONDS = 2.0;
    static final double MIN_STRETCH_SECONDS = 0.05;

    /**
     * @param frequencyHz   the tone's frequency, empty for silence or anything that is not one tone
     * @param rms           RMS of the first channel over the analysed stretch, as a fraction of full scale
     * @param soundStartSec where the first non-silent sample is, in seconds (or the length when silent)
     * @param seconds       the length of the whole PCM
     */
    public record Result(OptionalDouble frequencyHz, double rms, double soundStartSec, double seconds) {
        public boolean isTone(double expectedHz, double toleranceHz) {
            return frequencyHz.isPresent() && Math.abs(frequencyHz.getAsDouble() - expectedHz) <= toleranceHz;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s, rms %.4f, sound from %.3f s of %.3f s",
                    frequencyHz.isPresent() ? String.format(Locale.ROOT, "%.1f Hz", frequencyHz.getAsDouble()) : "no tone",
                    rms, soundStartSec, seconds);
        }
    }

    private ToneAnalyzer() {
    }

    /** Analyses 16-bit little-endian PCM with {@code channels} interleaved channels. */
    public static Result analyze(byte[] pcm, int sampleRate, int channels) {
        if (channels < 1 || sampleRate <= 0) throw new IllegalArgumentException();
        int frameBytes = 2 * channels;
        int frames = pcm.length / frameBytes;
        double[] x = new double[frames];
        for (int i = 0; i < frames; i++) {
            int o = i * frameBytes;
            x[i] = (short) ((pcm[o] & 0xff) | (pcm[o + 1] << 8)) / 32768.0;
        }
        double seconds = frames / (double) sampleRate;

        int start = 0;
        double threshold = SILENCE_THRESHOLD / 32768.0;
        while (start < frames && Math.abs(x[start]) < threshold) start++;
        double soundStart = start / (double) sampleRate;
        // skip a little more: the decoder's first samples may fade in
        start = Math.min(frames, start + sampleRate / 100);
        int length = Math.min(frames - start, (int) (MAX_STRETCH_SECONDS * sampleRate));
        if (length < MIN_STRETCH_SECONDS * sampleRate)
            return new Result(OptionalDouble.empty(), rms(x, start, Math.max(0, length)), soundStart, seconds);

        double rms = rms(x, start, length);
        if (rms < threshold) return new Result(OptionalDouble.empty(), rms, soundStart, seconds);

        // zero crossings, between the first and the last upward crossing, interpolated
        double first = -1;
        double last = -1;
        int upward = 0;
        for (int i = start + 1; i < start + length; i++) {
            if (x[i - 1] < 0 && x[i] >= 0) {
                double at = (i - 1) + x[i - 1] / (x[i - 1] - x[i]);
                if (first < 0) first = at;
                last = at;
                upward++;
            }
        }
        if (upward < 3) return new Result(OptionalDouble.empty(), rms, soundStart, seconds);
        double frequency = (upward - 1) * sampleRate / (last - first);

        // Goertzel power at that frequency against the stretch's total power
        double fraction = toneFraction(x, start, length, frequency, sampleRate);
        if (fraction < MIN_TONE_POWER_FRACTION) return new Result(OptionalDouble.empty(), rms, soundStart, seconds);
        return new Result(OptionalDouble.of(frequency), rms, soundStart, seconds);
    }

    /** Stereo 44.1 kHz, librespot's output format. */
    public static Result analyzeStereo44k(byte[] pcm) {
        return analyze(pcm, 44_100, 2);
    }

    /**
     * The fraction of the stretch's power in a sinusoid of {@code frequency} (a Goertzel DFT bin,
     * Hann-windowed so a frequency between bins loses little).
     */
    static double toneFraction(double[] x, int start, int length, double frequency, int sampleRate) {
        double w = 2 * Math.PI * frequency / sampleRate;
        double coeff = 2 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        double energy = 0;
        double windowEnergy = 0;
        for (int i = 0; i < length; i++) {
            double win = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (length - 1));
            double v = x[start + i] * win;
            energy += v * v;
            windowEnergy += win * win;
            double s = v + coeff * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        if (energy == 0) return 0;
        double power = s1 * s1 + s2 * s2 - coeff * s1 * s2; // |X(f)|^2
        // a sinusoid of amplitude A gives |X|^2 = (A/2 * sum(win))^2, and energy A^2/2 * sum(win^2)
        double sumWin = (length - 1) / 2.0;
        double amplitudeSquared = 4 * power / (sumWin * sumWin);
        return Math.min(1, amplitudeSquared / 2 * windowEnergy / energy);
    }

    private static double rms(double[] x, int start, int length) {
        if (length <= 0) return 0;
        double sum = 0;
        for (int i = start; i < start + length; i++) sum += x[i] * x[i];
        return Math.sqrt(sum / length);
    }

    /**
     * Waits until {@code pcm} holds at least {@code bytes} (the player writes it as it plays, in this
     * process or another: nothing to wait on but its size) and returns what it holds.
     */
    public static byte[] awaitPcm(java.nio.file.Path pcm, long bytes, java.time.Duration timeout)
            throws java.io.IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (java.nio.file.Files.size(pcm) < bytes && System.nanoTime() < deadline) Thread.sleep(50);
        byte[] written = java.nio.file.Files.readAllBytes(pcm);
        if (written.length < bytes) {
            throw new AssertionError(bytes + " bytes of PCM expected within " + timeout + ", got " + written.length);
        }
        return written;
    }
}
