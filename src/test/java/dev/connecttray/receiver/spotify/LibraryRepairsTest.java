package dev.connecttray.receiver.spotify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The repairs only work when our classes, not librespot-java's of the same name, are loaded: this
 * fails when the class path puts the library first or the replacement is deleted.
 */
class LibraryRepairsTest {
    @Test
    void everyReplacedClassIsOursNotTheLibrarys() throws Exception {
        assertThat(LibraryRepairs.notRepaired()).isEmpty();
        for (String name : LibraryRepairs.REPLACED) {
            Class<?> c = Class.forName(name);
            assertThat(c.isAnnotationPresent(ReplacesLibraryClass.class)).as(name).isTrue();
            Path from = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
            assertThat(from.toString()).as(name + " loaded from").doesNotContain("librespot-");
        }
    }

    @Test
    void theTokenProviderInUseAsksLogin5() throws Exception {
        Class<?> tokens = Class.forName("xyz.gianlu.librespot.core.TokenProvider");
        assertThat(tokens.getDeclaredField("tokens").getType()).isEqualTo(Login5Tokens.class);
    }
}
