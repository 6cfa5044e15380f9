package dev.connecttray.desktop;

import java.net.URI;

/** How an attempt to open a web page ended: {@code failure} says why it did not, in words for the user. */
public record LinkOutcome(URI link, boolean opened, String failure) {
}
