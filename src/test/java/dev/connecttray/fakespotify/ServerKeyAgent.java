package dev.connecttray.fakespotify;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * A Java agent for the built launcher in process tests and benchmarks: before the app's main runs,
 * copies the fake access point's RSA modulus (hex, in the file named by the agent argument) into
 * librespot's {@code Session.serverKey}, so the real app can log in to {@link FakeSpotify}. Test
 * code only: it is packaged as {@code target/fake-spotify-agent.jar}, never into the app image.
 */
public final class ServerKeyAgent {
    private ServerKeyAgent() {
    }

    public static void premain(String modulusFile) throws Exception {
        byte[] modulus = HexFormat.of().parseHex(Files.readString(Path.of(modulusFile)).trim());
        Class<?> session = Class.forName("xyz.gianlu.librespot.core.Session", true,
                ClassLoader.getSystemClassLoader());
        Field field = session.getDeclaredField("serverKey");
        field.setAccessible(true);
        byte[] key = (byte[]) field.get(null);
        if (key.length != modulus.length) {
            throw new IllegalStateException("the test modulus has " + modulus.length + " bytes, serverKey "
                    + key.length);
        }
        System.arraycopy(modulus, 0, key, 0, key.length);
    }
}
