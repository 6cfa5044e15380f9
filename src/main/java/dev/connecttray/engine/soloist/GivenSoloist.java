package dev.connecttray.engine.soloist;

import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import dev.connecttray.core.FailureKind;
import dev.connecttray.os.Platform;
import dev.connecttray.supervisor.EngineUnusable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * The Soloist executable the user named in {@code engine.binary}. It is checked before each start
 * (a regular executable file whose {@code --version} parses and has not expired) and never
 * replaced: an expired build fails with {@link ExitStatus#CONFIG} and the words to get a new one.
 */
public final class GivenSoloist implements SoloistBinary {
    /** Spotify's Soloist page: downloads, terms. */
    public static final String SOLOIST_PAGE = SoloistConsent.TERMS_URL;

    private final Path binary;
    private final Clock clock;
    private final Duration versionTimeout;
    private volatile SoloistBuild build;
    /** The file as it was when last found usable; expired() refuses unless it changed since. */
    private Object checkedFile;

    public GivenSoloist(Path binary, Clock clock) {
        this(binary, clock, SoloistVersion.TIMEOUT);
    }

    GivenSoloist(Path binary, Clock clock, Duration versionTimeout) {
        this.binary = Objects.requireNonNull(binary, "binary");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.versionTimeout = Objects.requireNonNull(versionTimeout, "versionTimeout");
    }

    @Override
    public synchronized Path prepare() throws EngineUnusable, InterruptedException {
        if (!Files.exists(binary)) {
            throw unusable("engine.binary " + binary + " does not exist. Set engine.binary to the soloist executable "
                    + "downloaded from Spotify's Soloist page (" + SOLOIST_PAGE + "), or clear engine.binary (null) "
                    + "to let Connect Tray keep its own copy (engine.allowDownload: true or the tray's question).");
        }
        if (!Files.isRegularFile(binary)) {
            throw unusable("engine.binary " + binary + " is not a regular file: set it to the soloist executable "
                    + "itself (from the archive downloaded from " + SOLOIST_PAGE + ").");
        }
        if (!Files.isExecutable(binary)) {
            throw unusable("engine.binary " + binary + " is not executable: make it so (chmod u+x " + binary + ").");
        }
        Object file = fileIdentity();
        Optional<SoloistArch> arch = SoloistArch.of(Platform.current(), System.getProperty("os.arch", ""));
        if (arch.isPresent() && isElf()) {
            // a wrapper script is fine; an executable must be for this machine
            try {
                arch.get().checkElf(binary);
            } catch (IOException e) {
                throw unusable("engine.binary " + binary + " cannot be used as Spotify Soloist: " + e.getMessage()
                        + ". Download the " + arch.get().archiveName() + " build from " + SOLOIST_PAGE + ", or clear "
                        + "engine.binary (null) to let Connect Tray keep its own copy.");
            }
        }
        BuildCheck check = BuildCheck.of(binary, LocalDate.now(clock), versionTimeout);
        if (check instanceof BuildCheck.Usable usable) {
            build = usable.build();
            checkedFile = file;
            return binary;
        }
        if (check instanceof BuildCheck.Expired expired) {
            expired.build().ifPresent(b -> build = b);
            throw expiredRefusal(expired);
        }
        throw unusable("engine.binary " + binary + " cannot be used as Spotify Soloist: "
                + ((BuildCheck.Broken) check).why() + ". Set engine.binary to the soloist executable for this "
                + "machine from " + SOLOIST_PAGE + ", or clear it (null) to let Connect Tray keep its own copy.");
    }

    /**
     * The build exited 10. A user's file is never refreshed: unless it was replaced since it was last
     * found usable (then it is checked as a fresh one), this fails with the words to replace it.
     */
    @Override
    public synchronized void expired() throws EngineUnusable, InterruptedException {
        Object file = fileIdentity();
        if (file == null || !file.equals(checkedFile)) {
            prepare();
            return;
        }
        throw expiredRefusal(new BuildCheck.Expired(Optional.ofNullable(build)));
    }

    @Override
    public Optional<SoloistBuild> build() {
        return Optional.ofNullable(build);
    }

    private EngineUnusable expiredRefusal(BuildCheck.Expired expired) {
        return unusable("The Spotify Soloist build in engine.binary " + binary + " expired " + expired.when(LocalDate.now(clock))
                + ". Download a new build from Spotify's Soloist page (" + SOLOIST_PAGE + ") and put its soloist file "
                + "at " + binary + ", or clear engine.binary (null) and allow Connect Tray's managed copy "
                + "(engine.allowDownload: true or the tray's question), then Reconnect (or restart Connect Tray).");
    }

    private boolean isElf() {
        try (java.io.InputStream in = Files.newInputStream(binary)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
        } catch (IOException e) {
            return false;
        }
    }

    /** Modification time, size and file key: what changes when the user puts a new file there. */
    private Object fileIdentity() {
        try {
            BasicFileAttributes a = Files.readAttributes(binary, BasicFileAttributes.class);
            return java.util.Arrays.asList(a.lastModifiedTime(), a.size(), a.fileKey());
        } catch (IOException e) {
            return null;
        }
    }

    private static EngineUnusable unusable(String message) {
        return new EngineUnusable(new Failure(FailureKind.CONFIG, message, ""), ExitStatus.CONFIG);
    }
}
