package dev.connecttray.fakespotify;

import com.google.protobuf.ByteString;
import com.spotify.Authentication;
import xyz.gianlu.librespot.core.Session;
import xyz.gianlu.librespot.core.TimeProvider;

/**
 * One stored-credentials login with whatever librespot classes the class path puts first, as a
 * process of its own: prints {@code LOGGED_IN <user> <TokenProvider's jar>} or
 * {@code FAILED <exception>} and exits. Run with {@link FakeSpotifyMain#launcherOptions}.
 */
public final class LoginProbe {
    private LoginProbe() {
    }

    public static void main(String[] args) {
        String from = String.valueOf(xyz.gianlu.librespot.core.TokenProvider.class.getProtectionDomain()
                .getCodeSource().getLocation());
        try {
            Session session = new Session.Builder(new Session.Configuration.Builder()
                    .setCacheEnabled(false).setStoreCredentials(false)
                    .setTimeSynchronizationMethod(TimeProvider.Method.MANUAL).build())
                    .setDeviceId("0123456789abcdef0123456789abcdef0badc0de")
                    .credentials(Authentication.LoginCredentials.newBuilder().setUsername(FakeSpotify.DEFAULT_USERNAME)
                            .setTyp(Authentication.AuthenticationType.AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS)
                            .setAuthData(ByteString.copyFromUtf8("secret-blob")).build())
                    .create();
            System.out.println("LOGGED_IN " + session.username() + " " + from);
            System.out.flush();
            Runtime.getRuntime().halt(0); // the library leaves non-daemon threads behind
        } catch (Exception e) {
            System.out.println("FAILED " + e + " " + from);
            System.out.flush();
            Runtime.getRuntime().halt(1);
        }
    }
}
