package dev.connecttray.tray;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * dorkbox must never send its update check: the class through which {@link DorkboxTray} reaches
 * dorkbox turns it off before dorkbox's Updates class reads the switch, launcher or not.
 */
class DorkboxUpdateCheckTest {

    @Test
    void reachingDorkboxTurnsItsUpdateCheckOff() throws Exception {
        ClassLoader loader = DorkboxTray.class.getClassLoader();
        // The holder's initialiser, without starting a tray on whatever display the build runs on.
        Class.forName(DorkboxTray.class.getName() + "$Library", true, loader);
        Class<?> updates = Class.forName("dorkbox.updates.Updates", true, loader);

        Object instance = updates.getField("INSTANCE").get(null);
        assertThat(updates.getMethod("getENABLE").invoke(instance)).isEqualTo(false);
    }
}
