package dev.connecttray.receiver;

import java.util.List;

/**
 * Loads, on a background thread, what the receiver's first connection attempt needs: the TLS stack
 * and its trust store, OkHttp, the protocol buffers' descriptors, librespot's session and player
 * classes and the ciphers of the handshake. A receiver restarted after a wedged attempt connects
 * as soon as its process starts, and in a cold JVM that attempt spends most of its time loading
 * these; started first thing in {@code main}, the loading overlaps the JVM's and logging's start-up.
 *
 * <p>Only an optimisation: nothing here talks to the network, and any failure is ignored (the
 * attempt itself then meets it and reports it properly).
 */
public final class LibraryWarmUp {
    private static final List<String> CLASSES = List.of(
            "xyz.gianlu.librespot.core.Session",
            "xyz.gianlu.librespot.core.ApResolver",
            "xyz.gianlu.librespot.crypto.DiffieHellman",
            "xyz.gianlu.librespot.crypto.CipherPair",
            "xyz.gianlu.librespot.crypto.Shannon",
            "xyz.gianlu.librespot.mercury.MercuryClient",
            "xyz.gianlu.librespot.dealer.DealerClient",
            "xyz.gianlu.librespot.player.Player",
            "xyz.gianlu.librespot.player.StateWrapper");

    private LibraryWarmUp() {
    }

    /** Starts the warm-up on a daemon thread and returns at once. */
    public static void startInBackground() {
        Thread t = new Thread(LibraryWarmUp::run, "library-warm-up");
        t.setDaemon(true);
        t.start();
    }

    static List<String> classNames() {
        return CLASSES;
    }

    static void run() {
        quietly(() -> javax.net.ssl.SSLContext.getDefault().createSSLEngine());
        quietly(() -> new okhttp3.OkHttpClient.Builder().build());
        quietly(com.spotify.Keyexchange::getDescriptor);
        quietly(com.spotify.Authentication::getDescriptor);
        quietly(com.spotify.Mercury::getDescriptor);
        quietly(com.spotify.connectstate.Connect::getDescriptor);
        quietly(com.spotify.connectstate.Player::getDescriptor);
        quietly(() -> java.security.Signature.getInstance("SHA1withRSA"));
        quietly(() -> java.security.KeyFactory.getInstance("RSA"));
        quietly(() -> javax.crypto.Mac.getInstance("HmacSHA1"));
        ClassLoader loader = LibraryWarmUp.class.getClassLoader();
        for (String name : CLASSES) quietly(() -> Class.forName(name, true, loader));
    }

    private interface Step {
        Object run() throws Exception;
    }

    private static void quietly(Step step) {
        try {
            step.run();
        } catch (Exception | LinkageError e) {
            // The attempt that needs it will meet the same problem and report it.
        }
    }
}
