package dev.connecttray.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.ipc.Event;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
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

    private static final String HEARTBEAT = "{\"type\":\"heartbeat\",\"time\":\"2026-01-01T00:00:00Z\",\"pid\":42}";

    /** What a reader reported, in order. */
    private static class Recorded implements ChildLauncher.Listener {
        final List<Event> events = new ArrayList<>();
        final List<String> malformed = new ArrayList<>();
        final List<Integer> exits = new ArrayList<>();

        @Override
        public void event(Event event) {
            events.add(event);
        }

        @Override
        public void malformedLine(String line, String why) {
            malformed.add(why);
        }

        @Override
        public void exited(int status) {
            exits.add(status);
        }
    }

    private static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code n} bytes of 'x' without a newline, made as they are read. */
    private static InputStream noNewline(long n) {
        return new InputStream() {
            long left = n;

            @Override
            public int read() {
                if (left == 0) return -1;
                left--;
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) return -1;
                int k = (int) Math.min(len, left);
                Arrays.fill(b, off, off + k, (byte) 'x');
                left -= k;
                return k;
            }
        };
    }

    @Test
    void aHeartbeatWithAPidOf1e99999999IsAMalformedLineAndTheChildStaysSupervised() {
        Recorded r = new Recorded();
        ProcessChildLauncher.readUntilExit(text(
                "{\"type\":\"heartbeat\",\"time\":\"2026-01-01T00:00:00Z\",\"pid\":1e99999999}\n"
                        + HEARTBEAT + "\n"), () -> 75, r);
        assertThat(r.malformed).hasSize(1);
        assertThat(r.events).singleElement().isInstanceOf(Event.Heartbeat.class);
        assertThat(r.exits).containsExactly(75);
    }

    @Test
    void theChildsExitIsReportedWhateverTheReaderHits() {
        Recorded r = new Recorded() {
            @Override
            public void event(Event event) {
                throw new OutOfMemoryError("simulated");
            }
        };
        ProcessChildLauncher.readUntilExit(text(HEARTBEAT + "\n"), () -> 137, r);
        assertThat(r.exits).containsExactly(137);
    }

    @Test
    void aLineLongerThan64KiBIsSkippedToItsNewlineAndCountedAsMalformed() {
        Recorded r = new Recorded();
        ProcessChildLauncher.readUntilExit(new SequenceInputStream(noNewline(1_000_000),
                text("\n" + HEARTBEAT + "\r\n\n")), () -> 0, r);
        assertThat(r.malformed).singleElement().satisfies(why -> assertThat(why)
                .contains("longer than 64 KiB").contains("1000000 bytes"));
        assertThat(r.events).singleElement().isInstanceOf(Event.Heartbeat.class);
        assertThat(r.exits).containsExactly(0);
    }

    @Test
    void a400MBLineWithoutANewlineIsSkippedWithoutHoldingIt() {
        Recorded r = new Recorded();
        ProcessChildLauncher.readUntilExit(noNewline(400L * 1024 * 1024), () -> 75, r);
        assertThat(r.malformed).singleElement().satisfies(why -> assertThat(why).contains("longer than 64 KiB"));
        assertThat(r.exits).containsExactly(75);
    }

    @Test
    void aLineOfExactly64KiBIsStillRead() throws Exception {
        String padded = HEARTBEAT.substring(0, HEARTBEAT.length() - 1) + ",\"pad\":\""
                + "p".repeat(ProcessChildLauncher.MAX_LINE_BYTES - HEARTBEAT.length() - 9) + "\"}";
        assertThat(padded.getBytes(StandardCharsets.UTF_8)).hasSize(ProcessChildLauncher.MAX_LINE_BYTES);
        Recorded r = new Recorded();
        ProcessChildLauncher.readUntilExit(text(padded + "\n" + "{\"last\":1}"), () -> 0, r);
        assertThat(r.events).singleElement().isInstanceOf(Event.Heartbeat.class);
        assertThat(r.malformed).singleElement().satisfies(why -> assertThat(why).doesNotContain("longer than"));
    }

    @Test
    void anExternalEnginesEnvironmentHasNothingSystemdOrTheLauncherMeantForTheSupervisor() {
        Map<String, String> env = new HashMap<>(Map.of("NOTIFY_SOCKET", "@x", "WATCHDOG_USEC", "1000",
                "WATCHDOG_PID", "1", "_JPACKAGE_LAUNCHER", "1", "PULSE_SERVER", "unix:/run/pulse", "HOME", "/h"));
        ProcessChildLauncher.withoutSupervisorsOwn(env);
        assertThat(env).containsOnlyKeys("PULSE_SERVER", "HOME");
    }
}
