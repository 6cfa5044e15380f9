package dev.connecttray.tray;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;

/**
 * TEMPORARY, on the tray branch only: a coloured disc per state, so the tray can be tried before
 * the real icons land. The icons branch replaces this class; only {@link #url} is relied on.
 */
public final class Icons {
    private static final Map<String, URL> drawn = new ConcurrentHashMap<>();

    private Icons() {
    }

    /** A PNG of {@code state}'s icon, {@code pixels} square. */
    public static URL url(IconState state, int pixels) {
        if (pixels < 1) throw new IllegalArgumentException("pixels must be at least 1, not " + pixels);
        return drawn.computeIfAbsent(state.fileName() + "-" + pixels, key -> draw(state, pixels, key));
    }

    private static URL draw(IconState state, int pixels, String key) {
        BufferedImage image = new BufferedImage(pixels, pixels, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(colour(state));
            g.fillOval(1, 1, pixels - 2, pixels - 2);
        } finally {
            g.dispose();
        }
        try {
            Path file = Files.createTempFile("connect-tray-" + key + "-", ".png");
            file.toFile().deleteOnExit();
            ImageIO.write(image, "png", file.toFile());
            return file.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write a tray icon to the temp folder", e);
        }
    }

    private static Color colour(IconState state) {
        return switch (state) {
            case CONNECTED -> new Color(0x1DB954);
            case BUSY, DEGRADED -> new Color(0xF2A900);
            case WAITING -> new Color(0x7A8C99);
            case FAILED -> new Color(0xE22134);
        };
    }
}
