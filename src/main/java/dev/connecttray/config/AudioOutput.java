package dev.connecttray.config;

/** Where decoded audio goes. */
public enum AudioOutput {
    /** The system's default sound device (Java Sound). */
    MIXER,
    /** Raw PCM (44.1 kHz, 16 bit, stereo) written to {@code audio.pipe}: runs with no sound card. */
    PIPE
}
