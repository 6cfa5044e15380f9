package dev.connecttray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.connecttray.core.ExitStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state folder the user cannot write says what the operating system said ("Permission denied",
 * "Read-only file system"), which folder, and what to do; and exits 75 as README's table says, never
 * "invalid configuration". The real entry point runs in a child JVM: on a read-only bind mount (in
 * a mount namespace of its own), and as root without the capabilities that bypass file permissions
 * on a folder another user owns.
 */
class StateFolderAccessTest {
    @TempDir
    Path home;

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Test
    void aReadOnlyFileSystemIsSaidSoWithWhatToDo() throws Exception {
        assumeTrue(root(), "a bind mount needs root");
        Path state = Files.createDirectories(home.resolve("state"));
        Files.createDirectories(state.resolve("logs"));
        assumeTrue(run(List.of("unshare", "-m", "true")) == 0, "no mount namespaces here");
        List<String> cmd = new ArrayList<>(List.of("unshare", "-m", "sh", "-c",
                "mount --bind \"$0\" \"$0\" && mount -o remount,bind,ro \"$0\" && exec \"$@\"", state.toString()));
        cmd.addAll(java(state));
        Result r = start(cmd);

        assertThat(r.status).as(r.output).isEqualTo(ExitStatus.TEMPFAIL.code());
        assertThat(r.output).contains("Cannot use the state folder " + state + ": " + state.resolve("instance.lock")
                + ": Read-only file system").contains("mount it read-write").doesNotContain("invalid configuration");
    }

    @Test
    void permissionDeniedIsSaidSoWithWhatToDo() throws Exception {
        assumeTrue(root(), "dropping capabilities and giving a folder away need root");
        Path state = Files.createDirectories(home.resolve("state"));
        assumeTrue(run(List.of("chown", "nobody", state.toString())) == 0, "no user nobody");
        // As root without the capabilities that ignore permissions: a folder nobody owns is closed to it.
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner,-chown",
                "--"));
        cmd.addAll(java(state));
        Result r = start(cmd);

        assertThat(r.status).as(r.output).isEqualTo(ExitStatus.TEMPFAIL.code());
        assertThat(r.output).contains("Cannot use the state folder " + state + ": ")
                .contains(": Permission denied").contains("chown -R root " + state).contains("XDG_STATE_HOME")
                .doesNotContain("invalid configuration");
        assertThat(r.output).as("the log file could not be opened either, and says why")
                .contains("Cannot write the log file in " + state.resolve("logs") + ": " + state.resolve("logs")
                        + ": Permission denied");
    }

    private List<String> java(Path state) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dconnecttray.stateDir=" + state, "-Dconnecttray.logDir=" + state.resolve("logs"),
                "-Dconnecttray.configFile=" + home.resolve("no-config.json"),
                Main.class.getName(), "--headless");
    }

    private record Result(int status, String output) {
    }

    private static Result start(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("DISPLAY");
        pb.environment().remove("NOTIFY_SOCKET");
        Process p = pb.start();
        try {
            boolean ended = p.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(ended).as(output).isTrue();
            return new Result(p.exitValue(), output);
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private static int run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }
}
