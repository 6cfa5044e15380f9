package dev.connecttray.receiver;

import com.google.gson.JsonParseException;
import dev.connecttray.core.Failure;
import dev.connecttray.core.FailureKind;
import dev.connecttray.receiver.spotify.SpotifyLoginException;
import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.util.Set;
import xyz.gianlu.librespot.core.Session;
import xyz.gianlu.librespot.mercury.MercuryClient;

/**
 * Classifies what librespot-java 1.6.3 throws from a connection attempt into a {@link Failure}:
 * transient (retry with backoff), permanent (the user must act), or internal (a bug). The messages
 * are for users and say what happened; what to do about a refused login depends on the login's
 * mode and is said once, where it is shown ({@link dev.connecttray.view.StateText#failureAdvice}).
 * The detail names the exception for logs.
 */
public final class LibrespotFailures {
    /** Login error codes that retrying cannot fix. The rest are the server's own hiccups. */
    private static final Set<String> PERMANENT_LOGIN_ERRORS = Set.of("BadCredentials", "PremiumAccountRequired",
            "ApplicationBanned", "TravelRestriction", "AccountExists", "ExtraVerificationRequired", "InvalidAppKey");

    private LibrespotFailures() {
    }

    public static Failure classify(Throwable thrown) {
        Throwable t = unwrap(thrown);
        String detail = t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage());

        if (t instanceof Session.SpotifyAuthenticationException) return loginRefused(String.valueOf(t.getMessage()), detail);
        if (t instanceof SpotifyLoginException login) return loginServiceRefused(login, detail);
        if (t instanceof MercuryClient.MercuryException m) return mercury(m.code, detail);

        if (t instanceof JsonParseException) {
            return transientFailure("Spotify answered with malformed data", detail);
        }

        if (t instanceof UnknownHostException) {
            return transientFailure("Cannot resolve " + t.getMessage() + ": no DNS or no network", detail);
        }
        if (t instanceof ConnectException) {
            return transientFailure("Connection refused: Spotify's server did not accept the connection", detail);
        }
        if (t instanceof NoRouteToHostException) {
            return transientFailure("No route to Spotify's server: the network is down", detail);
        }
        if (t instanceof SocketTimeoutException) {
            return transientFailure("Spotify's server did not answer in time", detail);
        }
        if (t instanceof InterruptedIOException) {
            return transientFailure("The connection was interrupted", detail);
        }
        if (t instanceof EOFException) {
            return transientFailure("Spotify's server closed the connection", detail);
        }
        if (t instanceof SocketException) {
            String msg = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (msg.contains("reset")) return transientFailure("The connection was reset", detail);
            if (msg.contains("broken pipe")) return transientFailure("The connection broke (broken pipe)", detail);
            return transientFailure("Network error: " + t.getMessage(), detail);
        }
        if (t instanceof GeneralSecurityException) {
            // A failed server signature means we did not reach Spotify: a proxy, a captive portal.
            return transientFailure("The server failed Spotify's signature check: something on the network is "
                    + "answering in Spotify's place (a proxy or captive portal?)", detail);
        }
        if (t instanceof java.io.IOException) {
            return transientFailure("Network error: " + t.getMessage(), detail);
        }
        return new Failure(FailureKind.INTERNAL, "The receiver library failed unexpectedly: " + detail, detail);
    }

    /**
     * {@link #classify}, and when apresolve had failed and the connection to the fallback host failed
     * too, says both: "connection refused" alone would hide that apresolve is the first thing broken.
     *
     * @param apresolveProblem how apresolve failed before this attempt fell back, if it did
     */
    public static Failure classify(Throwable thrown, java.util.Optional<String> apresolveProblem) {
        Failure f = classify(thrown);
        Throwable t = unwrap(thrown);
        boolean reaching = t instanceof ConnectException || t instanceof UnknownHostException
                || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException;
        if (apresolveProblem.isEmpty() || !reaching) return f;
        return transientFailure("Spotify's access point resolver (apresolve) " + apresolveProblem.get()
                + ", and its fallback access point failed too: " + f.message(), f.detail());
    }

    private static Failure loginRefused(String code, String detail) {
        return switch (code) {
            case "BadCredentials" -> Failure.permanent(
                    "Spotify rejected the stored credentials (BadCredentials)", detail);
            case "PremiumAccountRequired" -> Failure.permanent(
                    "Spotify refused the login: Spotify Connect receivers need a Premium account", detail);
            case "ApplicationBanned" -> Failure.permanent(
                    "Spotify refused the login: this client is banned by Spotify", detail);
            case "TravelRestriction" -> Failure.permanent(
                    "Spotify refused the login: the account cannot be used in this country (travel restriction)",
                    detail);
            case "ExtraVerificationRequired" -> Failure.permanent(
                    "Spotify wants extra verification for this account: log in from the Spotify app first", detail);
            case "TryAnotherAP" -> transientFailure(
                    "Spotify's access point asked us to try another one", detail);
            default -> PERMANENT_LOGIN_ERRORS.contains(code)
                    ? Failure.permanent("Spotify refused the login (" + code + ")", detail)
                    : transientFailure("Spotify's access point failed the login (" + code + ")", detail);
        };
    }

    /** Login5 and the client-token service: since 2025 the steps after the access point's welcome. */
    private static Failure loginServiceRefused(SpotifyLoginException e, String detail) {
        String service = e.service();
        return switch (e.reason()) {
            case INVALID_CREDENTIALS -> Failure.permanent("Spotify no longer accepts the stored login (" + service
                    + ": INVALID_CREDENTIALS)", detail);
            case TRY_AGAIN_LATER, TOO_MANY_ATTEMPTS -> transientFailure("Spotify's login service asks to try again "
                    + "later (" + service + ": " + e.reason() + ")", detail);
            case SERVICE_UNAVAILABLE -> transientFailure("Spotify's login service is unreachable or failing ("
                    + e.getMessage() + ")", detail);
            case REFUSED -> Failure.permanent("Spotify's login service refused this client (" + e.getMessage()
                    + ")", detail);
            case UNSUPPORTED_CHALLENGE -> Failure.permanent("Spotify asks for a login check only its own apps can "
                    + "pass (" + e.getMessage() + "): log in once in a Spotify app on this account", detail);
            case PROTOCOL -> new Failure(FailureKind.INTERNAL, "Spotify's login service did not understand us ("
                    + e.getMessage() + ")", detail);
        };
    }

    private static Failure mercury(int status, String detail) {
        if (status == 401 || status == 403) {
            return Failure.permanent("Spotify refused an access token (HTTP " + status + "): this client is not "
                    + "allowed to use Spotify's API with these credentials; Spotify has refused tokens to some "
                    + "third-party clients since August 2025", detail);
        }
        if (status == 429 || status >= 500) {
            return transientFailure("Spotify's service is busy or failing (HTTP " + status + ")", detail);
        }
        return new Failure(FailureKind.INTERNAL, "Spotify answered a request with HTTP " + status, detail);
    }

    private static Failure transientFailure(String message, String detail) {
        return Failure.transientFailure(message, detail);
    }

    /** Looks through wrappers (execution, reflection, unchecked IO) for the exception that says what happened. */
    private static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        for (int i = 0; i < 10 && cur.getCause() != null; i++) {
            if (cur instanceof java.util.concurrent.ExecutionException
                    || cur instanceof java.util.concurrent.CompletionException
                    || cur instanceof java.lang.reflect.InvocationTargetException
                    || cur instanceof java.io.UncheckedIOException) {
                cur = cur.getCause();
            } else {
                break;
            }
        }
        return cur;
    }
}
