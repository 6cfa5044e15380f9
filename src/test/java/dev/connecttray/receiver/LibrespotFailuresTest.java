package dev.connecttray.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonSyntaxException;
import com.spotify.Keyexchange;
import com.spotify.Mercury;
import dev.connecttray.core.Failure;
import dev.connecttray.core.FailureKind;
import java.io.EOFException;
import java.io.InterruptedIOException;
import java.lang.reflect.Constructor;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xyz.gianlu.librespot.core.Session;
import xyz.gianlu.librespot.mercury.MercuryClient;

/** One case per exception that librespot-java 1.6.3 really throws from {@code Session.Builder.create()}. */
class LibrespotFailuresTest {

    @Test
    void unknownHostIsTransientAndNamesTheHost() {
        Failure f = LibrespotFailures.classify(new UnknownHostException("apresolve.spotify.com"));
        assertThat(f.kind()).isEqualTo(FailureKind.TRANSIENT);
        assertThat(f.message()).contains("apresolve.spotify.com");
    }

    @Test
    void refusedConnectionIsTransient() {
        assertThat(LibrespotFailures.classify(new ConnectException("Connection refused")).kind())
                .isEqualTo(FailureKind.TRANSIENT);
    }

    @Test
    void endOfStreamIsTransient() {
        assertThat(LibrespotFailures.classify(new EOFException()).kind()).isEqualTo(FailureKind.TRANSIENT);
    }

    @Test
    void brokenPipeAndResetAreTransient() {
        Failure pipe = LibrespotFailures.classify(new SocketException("Broken pipe"));
        Failure reset = LibrespotFailures.classify(new SocketException("Connection reset"));
        assertThat(pipe.kind()).isEqualTo(FailureKind.TRANSIENT);
        assertThat(pipe.message()).contains("broken pipe");
        assertThat(reset.kind()).isEqualTo(FailureKind.TRANSIENT);
        assertThat(reset.message()).contains("reset");
    }

    @Test
    void socketTimeoutAndInterruptedIoAreTransient() {
        assertThat(LibrespotFailures.classify(new SocketTimeoutException("Read timed out")).kind())
                .isEqualTo(FailureKind.TRANSIENT);
        assertThat(LibrespotFailures.classify(new InterruptedIOException("interrupted")).kind())
                .isEqualTo(FailureKind.TRANSIENT);
    }

    @Test
    void aBadServerSignatureIsTransientAndSaysSomethingElseAnswered() {
        Failure f = LibrespotFailures.classify(new GeneralSecurityException("Failed signature check!"));
        assertThat(f.kind()).isEqualTo(FailureKind.TRANSIENT);
        assertThat(f.message()).contains("signature");
    }

    @Test
    void aJsonSyntaxErrorElsewhereIsStillTransient() {
        assertThat(LibrespotFailures.classify(new JsonSyntaxException("Expected BEGIN_OBJECT")).kind())
                .isEqualTo(FailureKind.TRANSIENT);
    }

    @ParameterizedTest
    @EnumSource(value = Keyexchange.ErrorCode.class, names = {"BadCredentials", "PremiumAccountRequired",
            "ApplicationBanned", "TravelRestriction", "AccountExists", "ExtraVerificationRequired", "InvalidAppKey"})
    void loginErrorsTheUserMustFixArePermanent(Keyexchange.ErrorCode code) throws Exception {
        Failure f = LibrespotFailures.classify(authenticationException(code));
        assertThat(f.kind()).isEqualTo(FailureKind.PERMANENT);
        assertThat(f.detail()).contains(code.name());
    }

    @ParameterizedTest
    @EnumSource(value = Keyexchange.ErrorCode.class, names = {"TryAnotherAP", "ProtocolError", "BadConnectionId",
            "CouldNotValidateCredentials"})
    void loginErrorsOfTheServersOwnAreTransient(Keyexchange.ErrorCode code) throws Exception {
        assertThat(LibrespotFailures.classify(authenticationException(code)).kind()).isEqualTo(FailureKind.TRANSIENT);
    }

    @Test
    void badCredentialsSayWhatHappenedOnce() throws Exception {
        assertThat(LibrespotFailures.classify(authenticationException(Keyexchange.ErrorCode.BadCredentials)).message())
                .isEqualTo("Spotify rejected the stored credentials (BadCredentials)");
    }

    @Test
    void aRefusedAccessTokenIsPermanentAndSaysHttp403() throws Exception {
        Failure f = LibrespotFailures.classify(mercuryException(403));
        assertThat(f.kind()).isEqualTo(FailureKind.PERMANENT);
        assertThat(f.message()).startsWith("Spotify refused an access token (HTTP 403)");
    }

    @Test
    void mercury5xxIsTransient() throws Exception {
        assertThat(LibrespotFailures.classify(mercuryException(503)).kind()).isEqualTo(FailureKind.TRANSIENT);
        assertThat(LibrespotFailures.classify(mercuryException(500)).kind()).isEqualTo(FailureKind.TRANSIENT);
    }

    @Test
    void anUnexpectedRuntimeExceptionIsInternal() {
        Failure f = LibrespotFailures.classify(new NullPointerException("mixer"));
        assertThat(f.kind()).isEqualTo(FailureKind.INTERNAL);
        assertThat(f.detail()).contains("NullPointerException");
    }

    @Test
    void wrappersAreLookedThrough() {
        Failure f = LibrespotFailures.classify(
                new java.util.concurrent.ExecutionException(new ConnectException("Connection refused")));
        assertThat(f.kind()).isEqualTo(FailureKind.TRANSIENT);
        assertThat(f.detail()).contains("ConnectException");
    }

    // The library's exceptions have private constructors: build the real classes the way it does.

    private static Session.SpotifyAuthenticationException authenticationException(Keyexchange.ErrorCode code)
            throws Exception {
        Constructor<Session.SpotifyAuthenticationException> c =
                Session.SpotifyAuthenticationException.class.getDeclaredConstructor(Keyexchange.APLoginFailed.class);
        c.setAccessible(true);
        return c.newInstance(Keyexchange.APLoginFailed.newBuilder().setErrorCode(code).build());
    }

    private static MercuryClient.MercuryException mercuryException(int status) throws Exception {
        Constructor<MercuryClient.Response> rc = MercuryClient.Response.class.getDeclaredConstructor(
                Mercury.Header.class, xyz.gianlu.librespot.common.BytesArrayList.class);
        rc.setAccessible(true);
        var payload = new xyz.gianlu.librespot.common.BytesArrayList();
        payload.add(new byte[0]);
        MercuryClient.Response response = rc.newInstance(
                Mercury.Header.newBuilder().setUri("hm://keymaster/token/authenticated").setStatusCode(status).build(),
                payload);
        Constructor<MercuryClient.MercuryException> c =
                MercuryClient.MercuryException.class.getDeclaredConstructor(MercuryClient.Response.class);
        c.setAccessible(true);
        return c.newInstance(response);
    }

    @Test
    void login5InvalidCredentialsIsPermanentAndSaysWhatHappenedNotWhatToDo() {
        Failure f = LibrespotFailures.classify(new dev.connecttray.receiver.spotify.SpotifyLoginException("Login5",
                dev.connecttray.receiver.spotify.SpotifyLoginException.Reason.INVALID_CREDENTIALS, "INVALID_CREDENTIALS"));
        assertThat(f.kind()).isEqualTo(FailureKind.PERMANENT);
        // The advice depends on auth.mode, which the window and the notification add (StateText.failureAdvice):
        // saying it here too made the window say it twice.
        assertThat(f.message()).isEqualTo("Spotify no longer accepts the stored login (Login5: INVALID_CREDENTIALS)");
    }

    @Test
    void login5TryAgainLaterIsTransientAndNotAKeymasterRefusal() {
        Failure f = LibrespotFailures.classify(new dev.connecttray.receiver.spotify.SpotifyLoginException("Login5",
                dev.connecttray.receiver.spotify.SpotifyLoginException.Reason.TRY_AGAIN_LATER, "TRY_AGAIN_LATER"));
        assertThat(f.kind()).isEqualTo(FailureKind.TRANSIENT);
        assertThat(f.message()).contains("Login5").doesNotContain("August 2025");
    }
}
