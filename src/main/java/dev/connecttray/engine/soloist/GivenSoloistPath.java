package dev.connecttray.engine.soloist;

import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import dev.connecttray.core.FailureKind;
import dev.connecttray.supervisor.EngineUnusable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code soloist} executable at the path the user gave ({@code engine.binary}), used as it is:
 * it must exist and be executable. Connect Tray does not replace a file the user manages, so an
 * expired build fails with words saying how to get a fresh one.
 */
public final class GivenSoloistPath implements SoloistBinary {
    private final Path path;

    public GivenSoloistPath(Path path) {
        this.path = Objects.requireNonNull(path, "path");
    }

    /** The binary {@code engine.binary} names; with none given, one whose start says to give one. */
    public static SoloistBinary of(Path path) {
        if (path != null) return new GivenSoloistPath(path);
        return new SoloistBinary() {
            @Override
            public Path prepare() throws EngineUnusable {
                throw unusable("engine.kind is \"soloist\" but engine.binary is not set: download Spotify Soloist "
                        + "from Spotify's developer site and set engine.binary to the soloist executable");
            }

            @Override
            public void expired() throws EngineUnusable {
                prepare();
            }

            @Override
            public Optional<SoloistBuild> build() {
                return Optional.empty();
            }
        };
    }

    @Override
    public Path prepare() throws EngineUnusable {
        if (!Files.exists(path)) {
            throw unusable("The Spotify Soloist executable " + path + " (engine.binary) does not exist; download "
                    + "Soloist from Spotify's developer site and set engine.binary to the soloist file");
        }
        if (Files.isDirectory(path) || !Files.isExecutable(path)) {
            throw unusable("The Spotify Soloist executable " + path + " (engine.binary) is not an executable file; "
                    + "make it executable (chmod +x " + path + ") or point engine.binary at the soloist file");
        }
        String foreign = foreignProgram(path);
        if (foreign != null) {
            throw unusable("The Spotify Soloist executable " + path + " (engine.binary) " + foreign + "; download the "
                    + "Soloist build for this computer (" + System.getProperty("os.arch") + ") and point engine.binary at it");
        }
        return path;
    }

    /**
     * Why the file cannot run here, or null: a program must be an ELF file for this processor (or a
     * script). Checked before running it, because both the JDK and setsid hand a file the kernel
     * refuses (ENOEXEC) to /bin/sh, which then fails with words about shell syntax.
     */
    static String foreignProgram(Path file) {
        byte[] head = new byte[20];
        int n;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (java.io.IOException e) {
            return "cannot be read (" + e.getMessage() + ")";
        }
        if (n >= 2 && head[0] == '#' && head[1] == '!') return null;
        if (n < 20 || head[0] != 0x7f || head[1] != 'E' || head[2] != 'L' || head[3] != 'F') {
            return "is not a program (no ELF header)";
        }
        int machine = (head[18] & 0xff) | (head[19] & 0xff) << 8;
        int expected = switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> 62;
            case "aarch64" -> 183;
            case "arm" -> 40;
            default -> -1;
        };
        if (expected >= 0 && machine != expected) {
            return "is built for another processor (ELF machine " + machine + ", this computer needs " + expected + ")";
        }
        return null;
    }

    @Override
    public void expired() throws EngineUnusable {
        throw unusable("The Spotify Soloist build at " + path + " (engine.binary) has expired (each build runs for "
                + SoloistBuild.LIFETIME_DAYS + " days from its build date); download a fresh build from Spotify and "
                + "replace the file, then Reconnect");
    }

    @Override
    public Optional<SoloistBuild> build() {
        return Optional.empty();
    }

    private static EngineUnusable unusable(String message) {
        return new EngineUnusable(new Failure(FailureKind.CONFIG, message, "engine.binary"), ExitStatus.CONFIG);
    }
}
