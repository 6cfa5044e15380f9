package dev.connecttray.fakeengines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/**
 * The fake go-librespot as an executable: a shell script that execs this JVM's java with the test
 * class path on {@link FakeGoLibrespot}, and the control files a test scripts it with.
 */
public final class FakeGoLibrespotScript {
    private FakeGoLibrespotScript() {
    }

    /** Writes {@code dir/go-librespot} and returns it. */
    public static Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path script = dir.resolve("go-librespot");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The class path goes in an argument file: the process's command line stays as short as the real
        // one's (the kernel shows only its first 4 KiB to others reading it).
        Path args = dir.resolve("go-librespot.jvm-args");
        Files.writeString(args, "-cp\n" + argFileQuote(System.getProperty("java.class.path")) + "\n");
        String text = "#!/bin/sh\n"
                + "# A fake go-librespot for Connect Tray's tests.\n"
                + "exec " + quote(java) + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -Xmx64m"
                + " " + quote("@" + args) + " " + FakeGoLibrespot.class.getName() + " \"$@\"\n";
        Files.writeString(script, text);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private static String argFileQuote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** The folder the fake reads its scripted behaviour from, inside its config folder. */
    public static Path control(Path configDir) throws IOException {
        Path c = configDir.resolve(FakeGoLibrespot.CONTROL);
        Files.createDirectories(c);
        return c;
    }

    /** A phone picks the device and hands over {@code user}'s login. */
    public static void pick(Path configDir, String user) throws IOException {
        put(configDir, "pick", user);
    }

    /** Sets (or, with null, removes) a control file. */
    public static void put(Path configDir, String name, String content) throws IOException {
        Path c = control(configDir);
        if (content == null) {
            Files.deleteIfExists(c.resolve(name));
            return;
        }
        Path tmp = Files.createTempFile(c, name, ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, c.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** How long every fake started from {@code configDir} lives at most. */
    public static void lifetime(Path configDir, Duration lifetime) throws IOException {
        put(configDir, "lifetime", Long.toString(Math.max(1, lifetime.toSeconds())));
    }

    /** Credentials a phone handed over earlier, as the fake keeps them: the next start has a session. */
    public static void storedUser(Path configDir, String user) throws IOException {
        Files.createDirectories(configDir);
        Files.writeString(configDir.resolve("state.json"), "{\"device_id\":\"0123456789abcdef0123456789abcdef01234567\","
                + "\"credentials\":{\"username\":\"" + user + "\",\"data\":\"c3RvcmVkLWJsb2I=\"}}");
    }
}
