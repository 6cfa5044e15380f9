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
        return path;
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
