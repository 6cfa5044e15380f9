package dev.connecttray.tray;

import dev.connecttray.view.IconState;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The tray and application icons in the jar, generated from the SVG masters by
 * {@code icons/generate.sh}. Callers ask for a size in pixels and get the smallest generated
 * size that is at least that big, so a platform never has to scale an icon up.
 */
public final class Icons {
    /** The sizes of the 1x state icons; keep in step with {@code icons/generate.sh}. */
    static final List<Integer> STATE_SIZES = List.of(16, 22, 24, 32, 48);
    /** The sizes of the application icon; keep in step with {@code icons/generate.sh}. */
    static final List<Integer> APP_SIZES = List.of(16, 32, 48, 64, 128, 256);

    private static final String APP_ICON = "connect-tray";

    private Icons() {
    }

    /**
     * The icon for {@code state} at the smallest generated size of at least {@code pixels}, or
     * at the largest size when {@code pixels} is bigger than all of them.
     *
     * @throws IllegalArgumentException pixels is not positive
     * @throws IllegalStateException    the file is missing from the jar (a broken build)
     */
    public static URL url(IconState state, int pixels) {
        return resource(state.fileName() + "-" + pick(STATE_SIZES, pixels) + ".png");
    }

    /**
     * The icon of {@link #url(IconState, int)}, decoded; it may be larger than {@code pixels}.
     *
     * @throws IllegalArgumentException pixels is not positive
     * @throws IllegalStateException    the file is missing from the jar or cannot be decoded
     */
    public static BufferedImage image(IconState state, int pixels) {
        URL url = url(state, pixels);
        try (InputStream in = url.openStream()) {
            BufferedImage image = ImageIO.read(in);
            if (image == null) throw new IllegalStateException("Not a readable image: " + url);
            return image;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read icon " + url + ": " + e.getMessage(), e);
        }
    }

    /**
     * The application icon (window, installers) at the smallest generated size of at least
     * {@code pixels}, or at the largest size.
     *
     * @throws IllegalArgumentException pixels is not positive
     * @throws IllegalStateException    the file is missing from the jar (a broken build)
     */
    public static URL appIcon(int pixels) {
        return resource(APP_ICON + "-" + pick(APP_SIZES, pixels) + ".png");
    }

    /** The smallest of {@code sizes} (ascending) that is at least {@code pixels}, else the largest. */
    static int pick(List<Integer> sizes, int pixels) {
        if (pixels <= 0) throw new IllegalArgumentException("pixels must be positive, got " + pixels);
        for (int size : sizes) {
            if (size >= pixels) return size;
        }
        return sizes.get(sizes.size() - 1);
    }

    /** The icon file {@code fileName} in the jar; package-private so a test can ask for a missing one. */
    static URL resource(String fileName) {
        URL url = Icons.class.getResource("icons/" + fileName);
        if (url == null) {
            throw new IllegalStateException("Icon " + fileName + " is missing from the jar (expected at /"
                    + Icons.class.getPackageName().replace('.', '/') + "/icons/" + fileName
                    + "); run icons/generate.sh and rebuild");
        }
        return url;
    }
}
