package dev.connecttray.engine.soloist;

import java.time.Duration;
import java.util.Objects;

/**
 * Notices playback that stalls while Soloist still says {@code playing} (spotify/soloist#5): the
 * position has not moved for longer than the limit. Stalled beyond the limit is degraded; stalled
 * for another limit the engine must be restarted. Times are on a monotonic clock in nanoseconds,
 * given by the caller.
 */
public final class StallWatch {
    /** What the position says now. */
    public enum Verdict { FINE, STALLED, RESTART }

    private final long limit;
    private boolean playing;
    private Long position;
    /** Since when the position has stood still while playing; meaningful only while {@link #playing}. */
    private long stillSince;

    public StallWatch(Duration limit) {
        Objects.requireNonNull(limit, "limit");
        if (limit.isNegative() || limit.isZero()) throw new IllegalArgumentException("the stall limit must be positive");
        this.limit = limit.toNanos();
    }

    /** The playback status changed ({@code idle}, {@code playing}, {@code paused}, {@code buffering}, ...). */
    public void status(String status, long now) {
        boolean nowPlaying = "playing".equals(status);
        if (nowPlaying && !playing) stillSince = now; // the clock starts when playing starts
        playing = nowPlaying;
    }

    /** A position report; one that differs from the last means playback moves. */
    public void position(long positionMs, long now) {
        if (position == null || position != positionMs) stillSince = now;
        position = positionMs;
    }

    public Verdict verdict(long now) {
        if (!playing) return Verdict.FINE;
        long still = now - stillSince;
        if (still >= 2 * limit) return Verdict.RESTART;
        if (still >= limit) return Verdict.STALLED;
        return Verdict.FINE;
    }

    /** How long the position has stood still while playing; zero when not playing. */
    public Duration stillFor(long now) {
        return playing ? Duration.ofNanos(Math.max(0, now - stillSince)) : Duration.ZERO;
    }

    public boolean playing() {
        return playing;
    }

    /** The last position reported, or null before one. */
    public Long lastPosition() {
        return position;
    }
}
