package dev.connecttray.engine.soloist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.FailureKind;
import dev.connecttray.supervisor.EngineUnusable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** engine.binary: the user's own Soloist file, checked by running it, never replaced. */
class GivenSoloistIT {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private Path file;

    @BeforeEach
    void paths() {
        TinyElf.assumeRunnable();
        file = dir.resolve("soloist");
    }

    private static void assertConfig(EngineUnusable e) {
        assertThat(e.status()).isEqualTo(ExitStatus.CONFIG);
        assertThat(e.status().code()).isEqualTo(78);
        assertThat(e.failure().kind()).isEqualTo(FailureKind.CONFIG);
    }

    @Test
    void aUsableBuildIsRunAsItIs() throws Exception {
        TinyElf.write(file, TinyElf.printing(TinyElf.versionLine("1.3.8.9", "20261201"), 0));
        GivenSoloist soloist = new GivenSoloist(file, CLOCK);

        assertThat(soloist.build()).isEmpty();
        assertThat(soloist.prepare()).isEqualTo(file);
        assertThat(soloist.build()).hasValue(new SoloistBuild("1.3.8.9", LocalDate.of(2026, 12, 1)));
        assertThat(soloist.build().get().daysLeft(LocalDate.now(CLOCK))).isEqualTo(86);
    }

    @Test
    void aMissingFileSaysWhereToGetOne() {
        assertThatThrownBy(new GivenSoloist(file, CLOCK)::prepare).isInstanceOfSatisfying(EngineUnusable.class, e -> {
            assertConfig(e);
            assertThat(e.getMessage()).contains("engine.binary " + file + " does not exist",
                    "https://developer.spotify.com/documentation/soloist", "clear engine.binary");
        });
    }

    @Test
    void aFolderOrAFileThatIsNotExecutableIsRefused() throws Exception {
        Files.createDirectory(file);
        assertThatThrownBy(new GivenSoloist(file, CLOCK)::prepare).isInstanceOfSatisfying(EngineUnusable.class, e -> {
            assertConfig(e);
            assertThat(e.getMessage()).contains(file + " is not a regular file");
        });
        Files.delete(file);
        Files.write(file, TinyElf.printing(TinyElf.versionLine("1.3.8.9", "20261201"), 0));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(new GivenSoloist(file, CLOCK)::prepare).isInstanceOfSatisfying(EngineUnusable.class, e -> {
            assertConfig(e);
            assertThat(e.getMessage()).contains(file + " is not executable", "chmod u+x " + file);
        });
    }

    @Test
    void aBuildPastItsNinetyDaysSaysWhenItExpiredAndWhatToDo() throws Exception {
        TinyElf.write(file, TinyElf.printing(TinyElf.versionLine("1.3.7.345", "20260818"), 0));

        assertThatThrownBy(new GivenSoloist(file, CLOCK)::prepare).isInstanceOfSatisfying(EngineUnusable.class, e -> {
            assertConfig(e);
            assertThat(e.getMessage()).contains("engine.binary " + file, "expired on 2026-11-16 (built 2026-08-18",
                    "Download a new build from Spotify's Soloist page (https://developer.spotify.com/documentation/soloist)",
                    "clear engine.binary (null) and allow Connect Tray's managed copy");
        });
    }

    @Test
    void aBuildWhoseVersionExitsTenIsExpired() throws Exception {
        TinyElf.write(file, TinyElf.printing("", 10));
        GivenSoloist soloist = new GivenSoloist(file, CLOCK);

        assertThatThrownBy(soloist::prepare).isInstanceOfSatisfying(EngineUnusable.class, e -> {
            assertConfig(e);
            assertThat(e.getMessage()).contains(file.toString(), "expired (it exited 10, which Soloist does once its 90 days are over)",
                    "Download a new build");
        });
        assertThat(soloist.build()).isEmpty();
    }

    @Test
    void anExitTenIsNeverAnsweredByRefreshingTheUsersFile() throws Exception {
        TinyElf.write(file, TinyElf.printing(TinyElf.versionLine("1.3.8.9", "20261201"), 0));
        GivenSoloist soloist = new GivenSoloist(file, CLOCK);
        soloist.prepare();
        byte[] before = Files.readAllBytes(file);

        assertThatThrownBy(soloist::expired).isInstanceOfSatisfying(EngineUnusable.class, e -> {
            assertConfig(e);
            assertThat(e.getMessage()).contains("version 1.3.8.9 exited 10", "gives it until 2027-03-01",
                    "Download a new build");
        });
        assertThat(soloist.refreshIfDue()).isFalse();
        assertThat(file).hasBinaryContent(before);

        // the user put a new build there: it is checked like any start
        TinyElf.write(file, TinyElf.printing(TinyElf.versionLine("1.3.9.2", "20261204"), 0));
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-12-05T13:00:00Z")));
        soloist.expired();
        assertThat(soloist.build()).hasValueSatisfying(b -> assertThat(b.version()).isEqualTo("1.3.9.2"));
    }

    @Test
    void somethingElseThanSoloistIsNamedWithWhatItSaid() throws Exception {
        TinyElf.write(file, TinyElf.printing("go-librespot v0.9.0\n", 0));
        assertThatThrownBy(new GivenSoloist(file, CLOCK)::prepare).isInstanceOfSatisfying(EngineUnusable.class, e -> {
            assertConfig(e);
            assertThat(e.getMessage()).contains("cannot be used as Spotify Soloist",
                    "not a Soloist --version line", "\"go-librespot v0.9.0\"");
        });
        TinyElf.write(file, TinyElf.printing("soloist: unrecognized option '--version'\n", 1));
        assertThatThrownBy(new GivenSoloist(file, CLOCK)::prepare)
                .hasMessageContaining("its --version exited 1, saying \"soloist: unrecognized option '--version'\"");
    }

    @Test
    void anExecutableForAnotherMachineIsNamedForWhatItIs() throws Exception {
        TinyElf.write(file, TinyElf.forMachine(TinyElf.EM_AARCH64));
        assertThatThrownBy(new GivenSoloist(file, CLOCK)::prepare).isInstanceOfSatisfying(EngineUnusable.class, e -> {
            assertConfig(e);
            assertThat(e.getMessage()).contains("engine.binary " + file,
                    "an executable for ARM 64-bit (aarch64) (64-bit), not for this x86-64 machine",
                    "Download the x86_64 build");
        });
    }

    @Test
    void aWrapperScriptIsRunLikeTheBuildItStarts() throws Exception {
        Path build = TinyElf.write(dir.resolve("soloist-real"), TinyElf.printing(TinyElf.versionLine("1.3.8.9", "20261201"), 0));
        TinyElf.write(file, ("#!/bin/sh\nexec " + build + " \"$@\"\n").getBytes());
        GivenSoloist soloist = new GivenSoloist(file, CLOCK);
        assertThat(soloist.prepare()).isEqualTo(file);
        assertThat(soloist.build()).hasValueSatisfying(b -> assertThat(b.version()).isEqualTo("1.3.8.9"));
    }
}
