package dev.connecttray.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessChildLauncherTest {
    @Test
    void theReceiverGetsFewMallocArenasSoThatItsResidentSetLevelsOffOverManySessions() {
        Map<String, String> env = new HashMap<>(Map.of("HOME", "/home/u"));
        ProcessChildLauncher.childEnvironment(env);
        assertThat(env).containsEntry("MALLOC_ARENA_MAX", "2").containsEntry("HOME", "/home/u");
    }

    @Test
    void aMallocArenaCountTheUserSetIsKept() {
        Map<String, String> env = new HashMap<>(Map.of("MALLOC_ARENA_MAX", "8"));
        ProcessChildLauncher.childEnvironment(env);
        assertThat(env).containsEntry("MALLOC_ARENA_MAX", "8");
    }

    @Test
    void theSupervisorsLauncherMarkAndSystemdVariablesAreNotPassedOn() {
        Map<String, String> env = new HashMap<>(Map.of("_JPACKAGE_LAUNCHER", "x", "NOTIFY_SOCKET", "/run/n",
                "WATCHDOG_USEC", "1000", "WATCHDOG_PID", "1"));
        ProcessChildLauncher.childEnvironment(env);
        assertThat(env).doesNotContainKeys("_JPACKAGE_LAUNCHER", "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID");
    }
}
