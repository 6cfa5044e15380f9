package dev.connecttray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.connecttray.core.ExitStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state folder that cannot be written is no configuration error: 75 (systemd restarts), never
 * 78 (it does not). Runs the real entry point in a child JVM, its state folder on a full tmpfs.
 */
class StateFolderErrorsTest {
    @TempDir
    Path home;

    @Test
    void diskFullAtStartIsTempfailWithNoSpaceLeftOnDevice() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        Path mnt = Files.createDirectories(home.resolve("full"));
        assumeTrue(run(List.of("mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", mnt.toString())) == 0,
                "cannot mount a tmpfs here");
        try {
            Path state = Files.createDirectories(mnt.resolve("state"));
            Files.createDirectories(state.resolve("logs"));
            try (OutputStream out = Files.newOutputStream(mnt.resolve("filler"))) {
                byte[] block = new byte[4096];
                while (true) out.write(block);
            } catch (IOException full) {
                assertThat(full.getMessage()).contains("No space left on device");
            }

            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    "-Dconnecttray.stateDir=" + state, "-Dconnecttray.logDir=" + state.resolve("logs"),
                    "-Dconnecttray.configFile=" + home.resolve("no-config.json"),
                    Main.class.getName(), "--headless"));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().remove("DISPLAY");
            pb.environment().remove("NOTIFY_SOCKET");
            Process p = pb.start();
            String output;
            try {
                boolean ended = p.waitFor(60, TimeUnit.SECONDS);
                if (!ended) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
                output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(ended).as(output).isTrue();
            } finally {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            assertThat(p.exitValue()).as(output).isEqualTo(ExitStatus.TEMPFAIL.code());
            assertThat(output).contains("No space left on device").contains(state.toString());
        } finally {
            run(List.of("umount", "-l", mnt.toString()));
        }
    }

    private static int run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }
}
