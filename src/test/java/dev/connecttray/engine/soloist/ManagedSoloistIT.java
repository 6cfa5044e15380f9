package dev.connecttray.engine.soloist;

import dev.connecttray.core.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.FailureKind;
import dev.connecttray.os.Platform;
import dev.connecttray.supervisor.EngineUnusable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The managed Soloist copy against a loopback HTTPS build host with a test certificate; the builds
 * are tiny real executables, run as processes.
 */
class ManagedSoloistIT {
    private static final LocalDate TODAY = LocalDate.of(2026, 12, 5);
    private static final DateTimeFormatter YMD = DateTimeFormatter.BASIC_ISO_DATE;

    @TempDir
    Path dir;
    private FakeBuildHost host;
    private final ManualClock clock = new ManualClock(TODAY.atStartOfDay(ZoneOffset.UTC).plusHours(12).toInstant());

    @BeforeEach
    void startHost() throws IOException {
        TinyElf.assumeRunnable();
        host = FakeBuildHost.start();
    }

    @AfterEach
    void stopHost() {
        if (host != null) host.close();
    }

    /** The --version line of a build made on {@code built}. */
    private static String line(String version, LocalDate built) {
        return TinyElf.versionLine(version, built.format(YMD));
    }

    private static byte[] release(String version, LocalDate built) {
        return TarGz.release(TinyElf.printing(line(version, built), 0)); // an archive like Spotify's holding it
    }

    private ManagedSoloist managed(boolean allowDownload) throws IOException {
        return managed(allowDownload, "Linux");
    }

    private ManagedSoloist managed(boolean allowDownload, String osName) throws IOException {
        return managed(allowDownload, osName, ManagedSoloist.Limits.DEFAULTS);
    }

    private ManagedSoloist managed(boolean allowDownload, String osName, ManagedSoloist.Limits limits) throws IOException {
        return new ManagedSoloist(dir.resolve("data"), allowDownload, new SoloistConsent(dir.resolve("state")),
                host.buildHost(), FakeBuildHost.client(), Platform.of(osName), "amd64", clock, limits);
    }

    private Path folder() {
        return dir.resolve("data").resolve(ManagedSoloist.FOLDER);
    }

    private static String versionOf(Path binary) throws Exception {
        SoloistVersion.Ran ran = SoloistVersion.run(binary, Duration.ofSeconds(10));
        assertThat(ran.exitCode()).isZero();
        return ran.build().orElseThrow().version();
    }

    /** Installs build {@code version} (ETag "a"), {@code daysLeft} days from expiry, through a first download. */
    private ManagedSoloist installed(String version, int daysLeft) throws Exception {
        host.offer(FakeBuildHost.Offer.archive(release(version, TODAY.minusDays(90 - daysLeft)), "\"a\""));
        ManagedSoloist soloist = managed(true);
        assertThat(versionOf(soloist.prepare())).isEqualTo(version);
        return soloist;
    }

    @Test
    void withoutConsentNoRequestIsMadeAndTheWordsSayHowToConsent() throws Exception {
        host.offer(FakeBuildHost.Offer.archive(release("1.3.8.9", TODAY.minusDays(3)), "\"a\""));
        ManagedSoloist soloist = managed(false);

        assertThatThrownBy(soloist::prepare).isInstanceOfSatisfying(EngineUnusable.class, e -> {
            assertThat(e.status()).isEqualTo(ExitStatus.CONFIG);
            assertThat(e.failure().kind()).isEqualTo(FailureKind.CONFIG);
            assertThat(e.getMessage()).contains("no copy of Spotify Soloist yet", "\"Allow download\" when the tray asks",
                    "engine.allowDownload: true", "engine.binary", SoloistConsent.TERMS_URL, "--allow-soloist-download");
            assertThat(e.failure().detail()).as("what makes the tray ask").isEqualTo(SoloistBinary.CONSENT_NEEDED);
        });
        assertThat(soloist.hasConsent()).isFalse();
        assertThat(soloist.refreshIfDue()).isFalse();
        assertThat(host.requests()).isEmpty();
        assertThat(folder()).doesNotExist();

        // the tray's question answered: the same object downloads at the next start
        new SoloistConsent(dir.resolve("state")).give(clock.instant());
        assertThat(soloist.hasConsent()).isTrue();
        assertThat(versionOf(soloist.prepare())).isEqualTo("1.3.8.9");
    }

    @Test
    void theConsentRecordAllowsTheDownloadOfAnOwnerOnlyExecutable() throws Exception {
        new SoloistConsent(dir.resolve("state")).give(clock.instant());
        host.offer(FakeBuildHost.Offer.archive(release("1.3.8.9", TODAY.minusDays(3)), "\"a\""));
        ManagedSoloist soloist = managed(false);

        Path binary = soloist.prepare();

        assertThat(binary).isEqualTo(folder().resolve("soloist"));
        assertThat(versionOf(binary)).isEqualTo("1.3.8.9");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(binary))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder()))).isEqualTo("rwx------");
        assertThat(soloist.build()).hasValueSatisfying(b -> assertThat(b.daysLeft(TODAY)).isEqualTo(87));
        assertThat(host.requests()).containsExactly("GET " + FakeBuildHost.PATH);
        // only the build is unpacked: no changelog, no licences, no leftovers
        try (Stream<Path> files = Files.list(folder())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("soloist", "download.json");
        }
    }

    @Test
    void aBuildWithDaysToSpareMakesNoRequest() throws Exception {
        ManagedSoloist soloist = installed("1.3.8.4", 60);
        clock.advance(Duration.ofDays(1));

        assertThat(versionOf(soloist.prepare())).isEqualTo("1.3.8.4");
        assertThat(soloist.refreshIfDue()).isFalse();
        assertThat(host.count("HEAD")).isZero();
        assertThat(host.count("GET")).isEqualTo(1);
    }

    @Test
    void aWrongArchitectureBuildIsRefusedAndTheOldCopyKeptAndUsed() throws Exception {
        ManagedSoloist soloist = installed("1.3.8.4", 10);
        host.offer(FakeBuildHost.Offer.archive(TarGz.release(TinyElf.forMachine(TinyElf.EM_AARCH64)), "\"b\""));
        clock.advance(ManagedSoloist.CHECK_INTERVAL.plusMinutes(1));

        Path binary = soloist.prepare();

        assertThat(host.requests()).containsExactly("GET " + FakeBuildHost.PATH, "HEAD " + FakeBuildHost.PATH,
                "GET " + FakeBuildHost.PATH);
        assertThat(binary).isEqualTo(folder().resolve("soloist"));
        assertThat(versionOf(binary)).isEqualTo("1.3.8.4");
        assertThat(soloist.build()).hasValueSatisfying(b -> assertThat(b.version()).isEqualTo("1.3.8.4"));
        assertThat(folder().resolve("soloist.new")).doesNotExist();
        assertThat(folder().resolve("soloist.previous")).doesNotExist();
    }

    @Test
    void aWrongArchitectureBuildForAnExpiredCopySaysWhatItIs() throws Exception {
        installed("1.3.8.4", 10);
        host.offer(FakeBuildHost.Offer.archive(TarGz.release(TinyElf.forMachine(TinyElf.EM_AARCH64)), "\"b\""));
        clock.advance(Duration.ofDays(11));

        assertThatThrownBy(managed(true)::prepare).isInstanceOfSatisfying(EngineUnusable.class, e -> {
            assertThat(e.status()).as("tried again later, never the expired copy").isEqualTo(ExitStatus.TEMPFAIL);
            assertThat(e.failure().kind()).isEqualTo(FailureKind.TRANSIENT);
            assertThat(e.getMessage()).contains("expired on " + TODAY.plusDays(10),
                    "an executable for ARM 64-bit (aarch64) (64-bit), not for this x86-64 machine",
                    "If this lasts, check the network");
        });
        assertThat(versionOf(folder().resolve("soloist"))).isEqualTo("1.3.8.4");
    }

    @Test
    void anExpiredBuildIsReplacedByAFreshOne() throws Exception {
        installed("1.3.8.4", 10);
        clock.advance(Duration.ofDays(11));
        LocalDate today = TODAY.plusDays(11);
        host.offer(FakeBuildHost.Offer.archive(release("1.3.8.9", today.minusDays(2)), "\"b\""));
        ManagedSoloist soloist = managed(true);

        Path binary = soloist.prepare();

        assertThat(versionOf(binary)).isEqualTo("1.3.8.9");
        assertThat(soloist.build()).hasValueSatisfying(b -> assertThat(b.daysLeft(today)).isEqualTo(88));
        assertThat(versionOf(folder().resolve("soloist.previous"))).isEqualTo("1.3.8.4");
        assertThat(versionOf(soloist.prepare())).isEqualTo("1.3.8.9");
        assertThat(host.count("GET")).isEqualTo(2);
    }

    @Test
    void aCopyWhoseVersionExitsTenIsReplaced() throws Exception {
        Files.createDirectories(folder());
        TinyElf.write(folder().resolve("soloist"), TinyElf.printing("Soloist build has expired\n", 10));
        host.offer(FakeBuildHost.Offer.archive(release("1.3.8.9", TODAY.minusDays(1)), "\"b\""));
        ManagedSoloist soloist = managed(true);

        assertThat(versionOf(soloist.prepare())).isEqualTo("1.3.8.9");
        assertThat(SoloistVersion.run(folder().resolve("soloist.previous"), Duration.ofSeconds(10)).exitCode())
                .isEqualTo(10);
    }

    @Test
    void exitTenFetchesTheNewBuildAndWithNothingNewEndsWithConfig() throws Exception {
        ManagedSoloist soloist = installed("1.3.8.4", 40);

        // the engine saw exit 10, the host still offers the same upload: no download, a status systemd does not restart
        assertThatThrownBy(soloist::expired).isInstanceOfSatisfying(EngineUnusable.class, e -> {
            assertThat(e.status()).isEqualTo(ExitStatus.CONFIG);
            assertThat(e.getMessage()).contains("version 1.3.8.4 exited 10", "gives it until " + TODAY.plusDays(40),
                    "check this computer's date", "no newer build yet", "Reconnect",
                    "engine.binary");
        });
        assertThat(host.requests()).containsExactly("GET " + FakeBuildHost.PATH, "HEAD " + FakeBuildHost.PATH);

        host.offer(FakeBuildHost.Offer.archive(release("1.3.8.9", TODAY), "\"b\""));
        soloist.expired();
        assertThat(versionOf(folder().resolve("soloist"))).isEqualTo("1.3.8.9");
        assertThat(soloist.build()).hasValueSatisfying(b -> assertThat(b.version()).isEqualTo("1.3.8.9"));
    }

    static Stream<Arguments> failedDownloads() throws Exception {
        byte[] good = TarGz.release(TinyElf.printing(TinyElf.versionLine("1.3.8.9", "20261204"), 0));
        return Stream.of(
                Arguments.of("HTTP 500", new FakeBuildHost.Offer(500, "oops".getBytes(), "\"b\"", null),
                        "answered HTTP 500"),
                Arguments.of("truncated", FakeBuildHost.Offer.archive(java.util.Arrays.copyOf(good, good.length / 2), "\"b\""),
                        "truncated"),
                Arguments.of("not gzip", FakeBuildHost.Offer.archive("<html>maintenance</html>".getBytes(), "\"b\""),
                        "not a gzip archive"),
                Arguments.of("path traversal", FakeBuildHost.Offer.archive(new TarGz()
                        .file("../soloist", TinyElf.printing(TinyElf.versionLine("6.6.6", "20261204"), 0))
                        .file("soloist", TinyElf.printing(TinyElf.versionLine("1.3.8.9", "20261204"), 0)).gz(), "\"b\""),
                        "climbs out"),
                Arguments.of("no soloist in it", FakeBuildHost.Offer.archive(new TarGz().file("README", "hi").gz(), "\"b\""),
                        "has no soloist file"),
                Arguments.of("soloist is a link", FakeBuildHost.Offer.archive(new TarGz().symlink("soloist", "soloist-1.3.8.9").gz(),
                        "\"b\""), "not a plain file"),
                Arguments.of("build prints garbage", FakeBuildHost.Offer.archive(
                        TarGz.release(TinyElf.printing("Segmentation fault\n", 0)), "\"b\""), "not Soloist's"),
                Arguments.of("redirect elsewhere", new FakeBuildHost.Offer(302, new byte[0], "\"b\"",
                        "https://downloads.example.net/soloist.tar.gz?token=s3cret"), "refused to download from "
                        + "https://downloads.example.net/soloist.tar.gz: only 127.0.0.1 is allowed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failedDownloads")
    void aFailedDownloadKeepsTheOldCopy(String name, FakeBuildHost.Offer offer, String words) throws Exception {
        installed("1.3.8.4", 10);
        clock.advance(Duration.ofDays(11));
        host.offer(offer);
        ManagedSoloist soloist = managed(true);

        // expired: nothing to fall back on, so the reason reaches the user
        assertThatThrownBy(soloist::prepare).isInstanceOfSatisfying(EngineUnusable.class, e -> {
            assertThat(e.status()).as("a temporary failure: tried again with the backoff").isEqualTo(ExitStatus.TEMPFAIL);
            assertThat(e.getMessage()).contains(words, "If this lasts, check the network")
                    .doesNotContain("s3cret").doesNotContain("Exception");
        });
        assertThat(versionOf(folder().resolve("soloist"))).isEqualTo("1.3.8.4");
        try (Stream<Path> files = Files.list(folder())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("soloist", "download.json");
        }
    }

    @Test
    void aFailedRefreshWhileTheBuildStillRunsKeepsUsingIt() throws Exception {
        ManagedSoloist soloist = installed("1.3.8.4", 10);
        clock.advance(ManagedSoloist.CHECK_INTERVAL.plusMinutes(1));
        host.offer(FakeBuildHost.Offer.archive("not an archive".getBytes(), "\"b\""));

        assertThat(versionOf(soloist.prepare())).isEqualTo("1.3.8.4");
        assertThat(host.count("GET")).isEqualTo(2);
    }

    @Test
    void nothingNewMeansNoDownloadAndNoSecondQuestionWithinTheInterval() throws Exception {
        ManagedSoloist soloist = installed("1.3.8.4", 10);
        clock.advance(ManagedSoloist.CHECK_INTERVAL.plusMinutes(1));

        assertThat(versionOf(soloist.prepare())).isEqualTo("1.3.8.4");
        assertThat(soloist.refreshIfDue()).isFalse();
        clock.advance(Duration.ofHours(1));
        assertThat(versionOf(managed(true).prepare())).isEqualTo("1.3.8.4");

        assertThat(host.requests()).containsExactly("GET " + FakeBuildHost.PATH, "HEAD " + FakeBuildHost.PATH);
    }

    @Test
    void theSameBuildUnderANewEtagIsNotInstalledAgain() throws Exception {
        byte[] archive = release("1.3.8.4", TODAY.minusDays(80));
        ManagedSoloist soloist = installed("1.3.8.4", 10);
        host.offer(FakeBuildHost.Offer.archive(archive, "\"edge-2\""));
        clock.advance(ManagedSoloist.CHECK_INTERVAL.plusMinutes(1));

        assertThat(soloist.refreshIfDue()).isFalse();
        assertThat(folder().resolve("soloist.previous")).doesNotExist();
        clock.advance(ManagedSoloist.CHECK_INTERVAL.plusMinutes(1));
        assertThat(soloist.refreshIfDue()).isFalse();

        // the second check knew the new ETag: no second download of the same build
        assertThat(host.requests()).containsExactly("GET " + FakeBuildHost.PATH, "HEAD " + FakeBuildHost.PATH,
                "GET " + FakeBuildHost.PATH, "HEAD " + FakeBuildHost.PATH);
    }

    @Test
    void anIdleRefreshInstallsTheNewBuildAndKeepsThePreviousOne() throws Exception {
        ManagedSoloist soloist = installed("1.3.8.4", 10);
        clock.advance(ManagedSoloist.CHECK_INTERVAL.plusMinutes(1));
        host.offer(FakeBuildHost.Offer.archive(release("1.3.8.9", TODAY.minusDays(1)), "\"b\""));

        assertThat(soloist.refreshIfDue()).isTrue();

        assertThat(versionOf(folder().resolve("soloist"))).isEqualTo("1.3.8.9");
        assertThat(versionOf(folder().resolve("soloist.previous"))).isEqualTo("1.3.8.4");
        assertThat(soloist.build()).hasValueSatisfying(b -> assertThat(b.version()).isEqualTo("1.3.8.9"));
        assertThat(soloist.refreshIfDue()).isFalse();
        assertThat(host.count("GET")).isEqualTo(2);
    }

    @Test
    void anotherOperatingSystemIsToldSoloistIsLinuxOnlyWithoutARequest() throws Exception {
        ManagedSoloist soloist = managed(true, "Mac OS X");

        assertThatThrownBy(soloist::prepare).isInstanceOfSatisfying(EngineUnusable.class, e -> {
            assertThat(e.status()).isEqualTo(ExitStatus.CONFIG);
            assertThat(e.getMessage()).contains("runs on Linux only", "Mac OS X", "engine.kind");
        });
        assertThat(soloist.refreshIfDue()).isFalse();
        assertThat(host.requests()).isEmpty();
    }

    @Test
    void aDamagedCopyIsReplacedWithoutAskingWhetherAnythingIsNew() throws Exception {
        installed("1.3.8.4", 60);
        Files.writeString(folder().resolve("soloist"), "garbage");
        host.offer(FakeBuildHost.Offer.archive(release("1.3.8.9", TODAY.minusDays(1)), "\"a\""));

        assertThat(versionOf(managed(true).prepare())).isEqualTo("1.3.8.9");
        assertThat(host.requests()).containsExactly("GET " + FakeBuildHost.PATH, "GET " + FakeBuildHost.PATH);
    }

    @Test
    void aDownloadIsBoundedInSizeAndTime() throws Exception {
        new SoloistConsent(dir.resolve("state")).give(clock.instant());
        byte[] big = new byte[3 << 20];
        new java.util.Random(7).nextBytes(big); // incompressible
        host.offer(FakeBuildHost.Offer.archive(new TarGz().file("soloist", big).gz(), "\"big\""));
        ManagedSoloist.Limits small = new ManagedSoloist.Limits(1 << 20, 1 << 20, 2 << 20, Duration.ofSeconds(10),
                Duration.ofSeconds(2), Duration.ofSeconds(10));

        assertThatThrownBy(managed(false, "Linux", small)::prepare)
                .hasMessageContaining("the archive is larger than 1 MiB; refused");

        host.offer(FakeBuildHost.Offer.stalling(release("1.3.8.9", TODAY), "\"slow\""));
        long started = System.nanoTime();
        assertThatThrownBy(managed(false, "Linux", small)::prepare).isInstanceOfSatisfying(EngineUnusable.class, e ->
                assertThat(e.getMessage()).contains("the download did not finish within 2 s", "check the network"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(folder().resolve("soloist")).doesNotExist();
        try (Stream<Path> files = Files.list(folder())) {
            assertThat(files).isEmpty();
        }
    }
}
