package dev.connecttray.receiver.spotify;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class of ours that takes the place of the librespot-java 1.6.3 class of the same name:
 * our jar comes first on the class path (the app image's launcher lists it first; Maven puts
 * {@code target/classes} first), so the library's own copy is never loaded. {@link LibraryRepairs}
 * checks at start that it is so.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ReplacesLibraryClass {
    /** What is wrong with the library's class against today's Spotify. */
    String value();
}
