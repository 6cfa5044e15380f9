package dev.connecttray.receiver.spotify;

import java.util.ArrayList;
import java.util.List;

/**
 * The librespot-java 1.6.3 classes this app replaces to work with Spotify as it behaves since 2025
 * (see {@link ReplacesLibraryClass}), and the check that the replacements are the ones loaded.
 */
public final class LibraryRepairs {
    /** Each replaced class, by name: loaded by name so that the check itself cannot pin the wrong one. */
    public static final List<String> REPLACED = List.of(
            "xyz.gianlu.librespot.core.TokenProvider",
            "xyz.gianlu.librespot.core.ApResolver",
            "xyz.gianlu.librespot.audio.AudioKeyManager",
            "xyz.gianlu.librespot.audio.PlayableContentFeeder",
            "xyz.gianlu.librespot.player.mixing.output.PipeOutput");

    private LibraryRepairs() {
    }

    /**
     * @return the replaced classes that were loaded from the library's jar instead of ours (empty when
     *         all is well), each with where it came from
     */
    public static List<String> notRepaired() {
        List<String> wrong = new ArrayList<>();
        ClassLoader loader = LibraryRepairs.class.getClassLoader();
        for (String name : REPLACED) {
            try {
                Class<?> c = Class.forName(name, false, loader);
                if (!c.isAnnotationPresent(ReplacesLibraryClass.class)) {
                    var source = c.getProtectionDomain().getCodeSource();
                    wrong.add(name + " (from " + (source == null ? "?" : source.getLocation()) + ")");
                }
            } catch (ClassNotFoundException e) {
                wrong.add(name + " (missing)");
            }
        }
        return wrong;
    }
}
