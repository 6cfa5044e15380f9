package dev.connecttray.tray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.connecttray.view.IconState;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IconsTest {

    private static BufferedImage read(String fileName) throws IOException {
        URL url = Icons.class.getResource("icons/" + fileName);
        assertThat(url).as("resource icons/%s", fileName).isNotNull();
        try (InputStream in = url.openStream()) {
            BufferedImage image = ImageIO.read(in);
            assertThat(image).as("decoded %s", fileName).isNotNull();
            return image;
        }
    }

    /** Every generated file: the state icons at 1x and 2x, and the application icon. */
    private static List<String> allFiles() {
        List<String> files = new ArrayList<>();
        for (IconState state : IconState.values()) {
            for (int size : Icons.STATE_SIZES) {
                files.add(state.fileName() + "-" + size + ".png");
                files.add(state.fileName() + "-" + size + "@2x.png");
            }
        }
        for (int size : Icons.APP_SIZES) files.add("connect-tray-" + size + ".png");
        return files;
    }

    @Test
    void everyStateAndSizeExistsAt1xAnd2xWithExactlyThatPixelSize() throws IOException {
        for (IconState state : IconState.values()) {
            for (int size : Icons.STATE_SIZES) {
                BufferedImage normal = read(state.fileName() + "-" + size + ".png");
                assertThat(normal.getWidth()).as("%s %d width", state, size).isEqualTo(size);
                assertThat(normal.getHeight()).as("%s %d height", state, size).isEqualTo(size);
                BufferedImage doubled = read(state.fileName() + "-" + size + "@2x.png");
                assertThat(doubled.getWidth()).as("%s %d@2x width", state, size).isEqualTo(2 * size);
                assertThat(doubled.getHeight()).as("%s %d@2x height", state, size).isEqualTo(2 * size);
            }
        }
    }

    @Test
    void appIconExistsAtEverySize() throws IOException {
        for (int size : Icons.APP_SIZES) {
            BufferedImage image = read("connect-tray-" + size + ".png");
            assertThat(image.getWidth()).as("app icon %d width", size).isEqualTo(size);
            assertThat(image.getHeight()).as("app icon %d height", size).isEqualTo(size);
        }
    }

    @Test
    void cornersAreFullyTransparent() throws IOException {
        for (String file : allFiles()) {
            BufferedImage image = read(file);
            int last = image.getWidth() - 1;
            int[][] corners = {{0, 0}, {last, 0}, {0, last}, {last, last}};
            for (int[] corner : corners) {
                assertThat(alpha(image.getRGB(corner[0], corner[1])))
                        .as("alpha of %s at (%d,%d)", file, corner[0], corner[1]).isZero();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(IconState.class)
    void dominantColourSaysTheState(IconState state) {
        BufferedImage image = Icons.image(state, 48);
        double hue = averageHueOfColouredPixels(image);
        switch (state) {
            case CONNECTED -> assertThat(hue).as("green hue").isBetween(90.0, 150.0);
            case BUSY, DEGRADED -> assertThat(hue).as("amber hue").isBetween(25.0, 55.0);
            case FAILED -> assertThat(Math.min(hue, 360 - hue)).as("distance from red").isLessThan(15.0);
            case WAITING -> {
                boolean blue = hue >= 180 && hue <= 250;
                assertThat(blue || averageSaturationOfOpaquePixels(image) < 0.3)
                        .as("blue hue (%.0f) or grey", hue).isTrue();
            }
        }
    }

    @Test
    void statesDifferInShapeNotOnlyInColour() {
        IconState[] states = IconState.values();
        for (int i = 0; i < states.length; i++) {
            for (int j = i + 1; j < states.length; j++) {
                boolean[][] a = opaqueMask(Icons.image(states[i], 16));
                boolean[][] b = opaqueMask(Icons.image(states[j], 16));
                int differing = 0;
                for (int y = 0; y < 16; y++) {
                    for (int x = 0; x < 16; x++) {
                        if (a[y][x] != b[y][x]) differing++;
                    }
                }
                assertThat(differing).as("pixels where %s and %s differ in shape", states[i], states[j])
                        .isGreaterThanOrEqualTo(8);
            }
        }
    }

    @Test
    void urlPicksTheSmallestSizeAtLeastAsBig() {
        assertThat(Icons.url(IconState.CONNECTED, 20).getPath()).endsWith("/connected-22.png");
        assertThat(Icons.url(IconState.BUSY, 16).getPath()).endsWith("/busy-16.png");
        assertThat(Icons.url(IconState.FAILED, 1).getPath()).endsWith("/failed-16.png");
        assertThat(Icons.url(IconState.WAITING, 25).getPath()).endsWith("/waiting-32.png");
    }

    @Test
    void urlPicksTheLargestSizeWhenNoneIsBigEnough() {
        assertThat(Icons.url(IconState.DEGRADED, 100).getPath()).endsWith("/degraded-48.png");
        assertThat(Icons.image(IconState.DEGRADED, 100).getWidth()).isEqualTo(48);
    }

    @Test
    void appIconPicksLikeTheStateIcons() {
        assertThat(Icons.appIcon(17).getPath()).endsWith("/connect-tray-32.png");
        assertThat(Icons.appIcon(256).getPath()).endsWith("/connect-tray-256.png");
        assertThat(Icons.appIcon(1024).getPath()).endsWith("/connect-tray-256.png");
    }

    @Test
    void sizeMustBePositive() {
        assertThatThrownBy(() -> Icons.url(IconState.CONNECTED, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pixels");
        assertThatThrownBy(() -> Icons.appIcon(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingFileIsNamed() {
        assertThatThrownBy(() -> Icons.resource("nowhere-16.png"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("nowhere-16.png");
    }

    private static int alpha(int argb) {
        return argb >>> 24;
    }

    private static boolean[][] opaqueMask(BufferedImage image) {
        boolean[][] mask = new boolean[image.getHeight()][image.getWidth()];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                mask[y][x] = alpha(image.getRGB(x, y)) > 128;
            }
        }
        return mask;
    }

    private static float[] hsb(int argb) {
        return Color.RGBtoHSB((argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff, null);
    }

    /**
     * Mean hue in degrees of the opaque, clearly coloured pixels (the white glyphs drop out).
     * Hue is an angle, so it is averaged as a vector: red sits on both sides of 0.
     */
    private static double averageHueOfColouredPixels(BufferedImage image) {
        double sumX = 0;
        double sumY = 0;
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int argb = image.getRGB(x, y);
                float[] hsb = hsb(argb);
                if (alpha(argb) > 128 && hsb[1] > 0.3f) {
                    double angle = hsb[0] * 2 * Math.PI;
                    sumX += Math.cos(angle);
                    sumY += Math.sin(angle);
                    count++;
                }
            }
        }
        if (count == 0) return Double.NaN;
        double degrees = Math.toDegrees(Math.atan2(sumY, sumX));
        return degrees < 0 ? degrees + 360 : degrees;
    }

    private static double averageSaturationOfOpaquePixels(BufferedImage image) {
        double sum = 0;
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int argb = image.getRGB(x, y);
                if (alpha(argb) > 128) {
                    sum += hsb(argb)[1];
                    count++;
                }
            }
        }
        return count == 0 ? 0 : sum / count;
    }
}
