package dev.connecttray.process;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The normal (unprivileged) user a test runs the app as when the tests run as root: dorkbox takes
 * another way to the tray icon for root than for a user, and users are not root. Created here when
 * missing, as {@code .ci/run} does, so that {@code mvn verify} as root needs no setup first.
 */
final class TestUser {
    private TestUser() {
    }

    /**
     * The numeric id of {@code name}, after creating the user (with a home folder and no login
     * shell) if there is none. Idempotent, and safe when test runs ask at once: they take turns on a
     * file lock first. ({@code useradd}'s own locking is not enough: four at once, tried on a
     * container, each made the user anew with another uid.)
     *
     * @throws IllegalStateException naming the command and its output when the user neither exists
     *         nor can be made (not root, no {@code useradd})
     */
    static synchronized String ensure(String name) throws IOException, InterruptedException {
        Path lockFile = Path.of(System.getProperty("java.io.tmpdir"), "connect-tray-test-user.lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            return ensureLocked(name);
        }
    }

    private static String ensureLocked(String name) throws IOException, InterruptedException {
        Result id = run("id", "-u", name);
        if (id.status == 0) return id.output;
        Result add = run("useradd", "--create-home", "--shell", "/usr/sbin/nologin", name);
        id = run("id", "-u", name);
        if (id.status == 0) return id.output;
        throw new IllegalStateException("The tests run the app as the normal user " + name
                + " and could not create it: useradd --create-home --shell /usr/sbin/nologin " + name
                + " exited " + add.status + ": " + add.output
                + " (create the user as root, or run the tests as a normal user)");
    }

    private record Result(int status, String output) {
    }

    private static Result run(String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(127, e.getMessage());
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(124, cmd[0] + " did not finish in 30 s");
        }
        return new Result(p.exitValue(), out);
    }
}
