package dev.connecttray.fakespotify;

import static org.assertj.core.api.Assertions.assertThat;

import com.spotify.Authentication;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import xyz.gianlu.librespot.core.Session;
import xyz.gianlu.librespot.crypto.DiffieHellman;

/** The phone's blob layers, checked against librespot's own decryption where it is reachable. */
class FakePhoneTest {
    private static final String DEVICE_ID = "0123456789abcdef0123456789abcdef01234567";

    @Test
    void pbkdf2MatchesTheRfc6070Vectors() throws Exception {
        byte[] password = "password".getBytes(StandardCharsets.US_ASCII);
        byte[] salt = "salt".getBytes(StandardCharsets.US_ASCII);
        assertThat(HexFormat.of().formatHex(FakePhone.pbkdf2HmacSha1(password, salt, 1, 20)))
                .isEqualTo("0c60c80f961f0e71f3a9b524af6012062fe037a6");
        assertThat(HexFormat.of().formatHex(FakePhone.pbkdf2HmacSha1(password, salt, 2, 20)))
                .isEqualTo("ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957");
        assertThat(HexFormat.of().formatHex(FakePhone.pbkdf2HmacSha1(password, salt, 4096, 20)))
                .isEqualTo("4b007901b765489abead49d926f721d065a429c1");
        assertThat(HexFormat.of().formatHex(FakePhone.pbkdf2HmacSha1(
                "passwordPASSWORDpassword".getBytes(StandardCharsets.US_ASCII),
                "saltSALTsaltSALTsaltSALTsaltSALTsalt".getBytes(StandardCharsets.US_ASCII), 4096, 25)))
                .isEqualTo("3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038");
    }

    @Test
    void librespotDecryptsTheDeviceBlobToTheCredentials() throws Exception {
        byte[] data = "stored-credentials-of-fake-user".getBytes(StandardCharsets.UTF_8);
        Authentication.LoginCredentials c = decryptWithLibrespot("fake-user",
                FakePhone.deviceBlob(DEVICE_ID, "fake-user",
                        Authentication.AuthenticationType.AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS_VALUE, data));

        assertThat(c.getUsername()).isEqualTo("fake-user");
        assertThat(c.getTyp()).isEqualTo(Authentication.AuthenticationType.AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS);
        assertThat(c.getAuthData().toByteArray()).isEqualTo(data);
    }

    @Test
    void longCredentialsUseTheTwoByteLengthAndStillDecrypt() throws Exception {
        byte[] data = new byte[300];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 7);
        String user = "a-rather-long-user-name-of-exactly-some-length";
        Authentication.LoginCredentials c = decryptWithLibrespot(user, FakePhone.deviceBlob(DEVICE_ID, user,
                Authentication.AuthenticationType.AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS_VALUE, data));

        assertThat(c.getAuthData().toByteArray()).isEqualTo(data);
        assertThat(c.getTyp()).isEqualTo(Authentication.AuthenticationType.AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS);
    }

    @Test
    void anotherDeviceIdDoesNotDecryptToTheCredentials() throws Exception {
        byte[] data = "stored-credentials-of-fake-user".getBytes(StandardCharsets.UTF_8);
        byte[] blob = FakePhone.deviceBlob("ffffffffffffffffffffffffffffffffffffffff", "fake-user",
                Authentication.AuthenticationType.AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS_VALUE, data);
        Authentication.LoginCredentials c;
        try {
            c = decryptWithLibrespot("fake-user", blob);
        } catch (Exception | Error e) {
            return; // garbage after decryption: librespot gives up somewhere in the record, as it should
        }
        assertThat(c.getAuthData().toByteArray()).isNotEqualTo(data);
    }

    @Test
    void theSharedSecretIsTheOneLibrespotsDiffieHellmanComputes() {
        FakePhone phone = new FakePhone("127.0.0.1", 9, java.time.Duration.ofSeconds(1));
        DiffieHellman device = new DiffieHellman(new java.security.SecureRandom());

        byte[] phoneSide = phone.sharedSecret(device.publicKeyArray());
        byte[] deviceSide = xyz.gianlu.librespot.common.Utils.toByteArray(
                device.computeSharedKey(phone.publicKey()));

        assertThat(phoneSide).isEqualTo(deviceSide);
        assertThat(new BigInteger(1, phone.publicKey())).isLessThan(FakePhone.DH_PRIME);
    }

    @Test
    void theTransportBlobIsIvCiphertextAndMac() throws Exception {
        byte[] iv = new byte[16];
        Arrays.fill(iv, (byte) 7);
        byte[] inner = "inner payload".getBytes(StandardCharsets.US_ASCII);
        byte[] blob = FakePhone.transportBlob(new byte[]{1, 2, 3}, iv, inner);

        assertThat(blob).hasSize(16 + inner.length + 20);
        assertThat(Arrays.copyOf(blob, 16)).isEqualTo(iv);
    }

    private static Authentication.LoginCredentials decryptWithLibrespot(String user, byte[] deviceBlob)
            throws Exception {
        Session.Builder builder = new Session.Builder(new Session.Configuration.Builder()
                .setCacheEnabled(false).setStoreCredentials(false).build())
                .setDeviceId(DEVICE_ID);
        // What ZeroconfServer passes on after the transport layer: the base64 text of the device blob.
        builder.blob(user, Base64.getEncoder().encode(deviceBlob));
        return builder.getCredentials();
    }
}
