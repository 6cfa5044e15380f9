package dev.connecttray.view;

import dev.connecttray.config.SoloistTerms;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ConnectionState.Connected;
import dev.connecttray.core.ConnectionState.Connecting;
import dev.connecttray.core.ConnectionState.Cooldown;
import dev.connecttray.core.ConnectionState.Degraded;
import dev.connecttray.core.ConnectionState.Failed;
import dev.connecttray.core.ConnectionState.Retrying;
import dev.connecttray.core.ConnectionState.Starting;
import dev.connecttray.core.ConnectionState.Stopped;
import dev.connecttray.core.ConnectionState.WaitingForCredentials;
import dev.connecttray.core.DurationText;
import dev.connecttray.core.Failure;
import java.time.Duration;
import java.time.Instant;

/**
 * Says a {@link ConnectionState} in words: a short {@link #headline} for the tray, the window and
 * notifications, and the whole story ({@link #describe}: the technical cause too) for the log and
 * {@code connect-tray status}; and durations, one way everywhere.
 */
public final class StateText {
    private StateText() {
    }

    /** One line: the state, what happens next and why, as seen at {@code now}. */
    public static String describe(ConnectionState state, Instant now) {
        return state.match(new ConnectionState.Cases<>() {
            @Override
            public String starting(Starting s) {
                return "Starting";
            }

            @Override
            public String waitingForCredentials(WaitingForCredentials w) {
                return "Waiting for a Spotify app to pick \u201c" + w.deviceName() + "\u201d";
            }

            @Override
            public String connecting(Connecting c) {
                return "Connecting (attempt " + c.attempt() + " of " + c.maxAttempts() + ")";
            }

            @Override
            public String connected(Connected c) {
                return "Connected as " + c.user() + DOT + DurationText.duration(c.since(), now);
            }

            @Override
            public String degraded(Degraded d) {
                return "Connected as " + d.user() + ", degraded: " + d.reason();
            }

            @Override
            public String retrying(Retrying r) {
                return "Retrying in " + DurationText.countdown(now, r.nextAttemptAt()) + " (attempt " + r.attempt()
                        + " of " + r.maxAttempts() + "): " + lowerFirst(r.cause().message());
            }

            @Override
            public String cooldown(Cooldown c) {
                return "Gave up for now; trying again in " + DurationText.countdown(now, c.until()) + ": "
                        + lowerFirst(c.cause().message());
            }

            @Override
            public String failed(Failed f) {
                return "Failed: " + f.cause().message();
            }

            @Override
            public String stopped(Stopped s) {
                return "Stopped";
            }
        });
    }

    /**
     * A short headline a person understands at a glance: what is going on, and for a failure its
     * kind in a few words ("No network", "Login refused") rather than the technical cause, which
     * {@link #describe} and the window's detail carry. At most {@link #HEADLINE_MAX} characters
     * unless a user or device name is long.
     */
    public static String headline(ConnectionState state, Instant now) {
        return state.match(new ConnectionState.Cases<>() {
            @Override
            public String starting(Starting s) {
                return "Starting";
            }

            @Override
            public String waitingForCredentials(WaitingForCredentials w) {
                return "Waiting for a Spotify app";
            }

            @Override
            public String connecting(Connecting c) {
                return c.attempt() <= 1 ? "Connecting" : "Connecting, attempt " + c.attempt() + " of " + c.maxAttempts();
            }

            @Override
            public String connected(Connected c) {
                return "Connected as " + c.user();
            }

            @Override
            public String degraded(Degraded d) {
                return "Connected as " + d.user() + DOT + degradedReason(d.reason());
            }

            @Override
            public String retrying(Retrying r) {
                Duration left = Duration.between(now, r.nextAttemptAt());
                return reason(r.cause()) + DOT + (left.toMillis() <= 0 ? "retrying now"
                        : "retrying in " + DurationText.countdown(now, r.nextAttemptAt()));
            }

            @Override
            public String cooldown(Cooldown c) {
                return reason(c.cause()) + DOT + "next try in " + DurationText.countdown(now, c.until());
            }

            @Override
            public String failed(Failed f) {
                return reason(f.cause()) + (f.cause().isTransient() ? DOT + "gave up" : "");
            }

            @Override
            public String stopped(Stopped s) {
                return "Stopped";
            }
        });
    }

    /**
     * The moment a state's headline counts down to (the next attempt, the next round), or null for
     * a state whose words do not change with time but for how long it has lasted.
     */
    public static Instant countdownTo(ConnectionState state) {
        return state.match(COUNTDOWN_TO);
    }

    private static final ConnectionState.Cases<Instant> COUNTDOWN_TO = new ConnectionState.Cases<>() {
        @Override public Instant starting(Starting s) { return null; }
        @Override public Instant waitingForCredentials(WaitingForCredentials w) { return null; }
        @Override public Instant connecting(Connecting c) { return null; }
        @Override public Instant connected(Connected c) { return null; }
        @Override public Instant degraded(Degraded d) { return null; }
        @Override public Instant retrying(Retrying r) { return r.nextAttemptAt(); }
        @Override public Instant cooldown(Cooldown c) { return c.until(); }
        @Override public Instant failed(Failed f) { return null; }
        @Override public Instant stopped(Stopped s) { return null; }
    };

    /** Headlines are meant to stay within this many characters (a tray tooltip holds 64). */
    public static final int HEADLINE_MAX = 56;
    private static final String DOT = " \u00b7 ";

    /**
     * A failure's kind in two or three words: "No network", "Spotify unreachable", "Login refused",
     * "Premium account needed", "Credentials file unusable", "Configuration invalid", "Receiver
     * restarting", "Internal error". Read from the failure's kind and the classifier's words.
     */
    public static String reason(Failure f) {
        String m = f.message().toLowerCase(java.util.Locale.ROOT);
        String d = f.detail();
        String engine = m.startsWith("spotify soloist") ? "Soloist" : m.startsWith("go-librespot") ? "go-librespot"
                : m.startsWith("the receiver") ? "Receiver" : null;
        if (d.equals(SoloistTerms.CONSENT_NEEDED)) return "Soloist download needs your consent";
        if (d.equals(SoloistTerms.API_KEY_NEEDED)) return "Soloist API key needed";
        return switch (f.kind()) {
            case CONFIG -> m.contains("credentials") ? "Credentials file unusable"
                    : m.contains("api key") ? "API key unusable"
                    : m.contains("soloist build") && m.contains("expired") ? "Soloist build expired"
                    : !m.contains("config.yml") && (m.contains("engine.binary") || m.contains("go-librespot")
                    || m.contains("soloist")) ? "Engine unusable" : "Configuration invalid";
            case PERMANENT -> m.contains("premium") ? "Premium account needed"
                    : m.contains("access token") ? "Spotify refused access" : "Login refused";
            case INTERNAL -> m.contains("crashed") ? (engine == null ? "Receiver" : engine) + " keeps crashing"
                    : "Internal error";
            case TRANSIENT -> {
                if (m.contains("times in a row")) yield (engine == null ? "Engine" : engine) + " keeps failing";
                if (d.equals("soloist download")) yield "Soloist download failed";
                if (m.contains("cannot resolve") || m.contains("no route") || m.contains("network is unreachable")
                        || d.contains("UnknownHostException") || d.contains("NoRouteToHostException")) {
                    yield "No network";
                }
                if (m.contains("advertise")) yield "Not visible on the network";
                if (m.contains("file descriptors")) yield "Out of file descriptors";
                if (m.startsWith("playback stalled")) yield "Playback stalled";
                if (m.contains("soloist build expired")) yield "Soloist build expired";
                if (m.startsWith("spotify soloist")) yield "Soloist restarting";
                if (m.startsWith("go-librespot") && !m.contains("spotify") && !m.contains("network")) {
                    yield "go-librespot restarting";
                }
                if (m.startsWith("the receiver") || m.contains("did not finish within")
                        || m.contains("must be restarted")) {
                    yield "Receiver restarting";
                }
                if (m.contains("dropped")) yield "Connection dropped";
                if (m.contains("try again later") || m.contains("busy")) yield "Spotify busy";
                yield "Spotify unreachable";
            }
        };
    }

    /**
     * What the user can do about a failure that ended the attempts, as one sentence without its
     * full stop. For a refused login it depends on how the login is made: with zeroconf a Spotify app
     * hands over a new login when this device is picked; with stored credentials the device is not
     * advertised, so it cannot be picked: the file must be replaced, or the mode changed.
     *
     * @param storedLogin {@code auth.mode} is "stored"
     */
    public static String failureAdvice(Failed f, boolean storedLogin) {
        return switch (f.exitStatus()) {
            case NOPERM -> {
                if (f.cause().message().toLowerCase(java.util.Locale.ROOT).contains("soloist api key")) {
                    yield "Put a valid Soloist API key in the key file, then Reconnect";
                }
                if (reason(f.cause()).equals("Premium account needed")) yield "Reconnect once the account has Premium";
                yield storedLogin
                        ? "Replace the credentials file (auth.credentialsFile), or set auth.mode to \"zeroconf\" "
                                + "and pick this device in a Spotify app on the same network; then Reconnect"
                        : "Pick this device again in a Spotify app on the same network to log in again, then Reconnect";
            }
            case CONFIG -> f.cause().detail().equals(SoloistTerms.CONSENT_NEEDED)
                    ? "Allow the download (the tray asks; or --allow-soloist-download), then Reconnect"
                    : f.cause().detail().equals(SoloistTerms.API_KEY_NEEDED)
                    ? "Enter the key in the status window, or put it in the key file; then Reconnect"
                    : reason(f.cause()).equals("Engine unusable") ? "Do what the message says, then Reconnect"
                    : "Fix the file, then Reconnect";
            default -> "Reconnect to try again";
        };
    }

    /** A degradation in a few words, after "Connected as alice · ". */
    static String degradedReason(String reason) {
        String r = reason.toLowerCase(java.util.Locale.ROOT);
        if (r.contains("dealer") || r.contains("connect channel")) return "apps may not see it";
        if (r.contains("refuses to send audio") || r.contains("audio key")) return "Spotify sends no audio";
        if (r.contains("audio output")) return "no audio output";
        if (r.contains("playback stalled")) return "playback stalled";
        return "not all working";
    }

    /** A cause as it reads after a colon or a dot: "connection refused", but "Spotify ..." and "DNS ..." kept. */
    public static String lowerFirst(String s) {
        if (s.length() < 2 || !Character.isUpperCase(s.charAt(0)) || Character.isUpperCase(s.charAt(1))) return s;
        // Keep proper names such as "Spotify" and "Connect Tray" as they are.
        if (s.startsWith("Spotify") || s.startsWith("Connect Tray") || s.startsWith("Soloist")) return s;
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
