package dev.connecttray;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.config.AppPaths;
import dev.connecttray.config.EngineKind;
import dev.connecttray.config.Settings;
import dev.connecttray.config.SettingsLoader;
import dev.connecttray.core.AfterGiveUp;
import dev.connecttray.core.ExecutorScheduler;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import dev.connecttray.core.FailureKind;
import dev.connecttray.engine.soloist.SoloistBinary;
import dev.connecttray.supervisor.EndedRun;
import dev.connecttray.supervisor.Engine;
import dev.connecttray.supervisor.EngineUnusable;
import dev.connecttray.supervisor.ExitVerdict;
import dev.connecttray.supervisor.SdNotify;
import dev.connecttray.supervisor.StateHistory;
import dev.connecttray.supervisor.SupervisorService;
import dev.connecttray.tray.FolderOpener;
import dev.connecttray.ui.SoloistSetup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.Node;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Tray mode with the real supervisor around an engine that cannot start without the user's consent
 * (the managed Soloist copy, not downloaded yet): the question comes by itself over the status
 * window, once; "Not now" holds for the session; the window offers it again.
 */
@ExtendWith(ApplicationExtension.class)
class TrayModeSoloistTest {
    private static final Failure CONSENT = new Failure(FailureKind.CONFIG, "Spotify Soloist is not downloaded yet. "
            + "Connect Tray downloads it from Spotify's build host only with your consent", SoloistBinary.CONSENT_NEEDED);

    @TempDir
    Path home;

    private final AtomicInteger starts = new AtomicInteger();
    private final ExecutorScheduler supervisorThread = new ExecutorScheduler("test-supervisor");
    private final ExecutorScheduler trayThread = new ExecutorScheduler("test-tray");
    private final BlockingQueue<Boolean> answers = new LinkedBlockingQueue<>();

    @Start
    void start(Stage primary) {
    }

    /** Soloist whose managed copy waits for consent: every start fails until the user acts. */
    private final Engine soloist = new Engine() {
        @Override
        public EngineKind kind() {
            return EngineKind.SOLOIST;
        }

        @Override
        public Child start(int attemptsUsed, Listener listener) throws EngineUnusable {
            starts.incrementAndGet();
            throw new EngineUnusable(CONSENT, ExitStatus.CONFIG);
        }

        @Override
        public ExitVerdict classifyExit(EndedRun run) {
            throw new AssertionError("never started, never exits");
        }

        @Override
        public String describe() {
            return "Spotify Soloist";
        }
    };

    private static Stage question() {
        return Window.getWindows().stream().filter(w -> w instanceof Stage s && s.isShowing()
                && s.getScene().lookup("#allow") != null).map(Stage.class::cast).findFirst().orElse(null);
    }

    private static Stage statusWindow() {
        return Window.getWindows().stream().filter(w -> w instanceof Stage s && s.isShowing()
                && s.getScene().lookup("#history") != null).map(Stage.class::cast).findFirst().orElse(null);
    }

    private static void until(String what, java.util.function.BooleanSupplier condition) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> condition.getAsBoolean());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }

    @Test
    void theConsentQuestionComesOnceASessionOverTheWindowThatOffersItAgain(FxRobot robot) throws Exception {
        Path state = home.resolve("state");
        java.nio.file.Files.createDirectories(state);
        AppPaths paths = new AppPaths(home.resolve("config/config.json"), state, home.resolve("logs"));
        Settings settings = SettingsLoader.defaults(AfterGiveUp.COOLDOWN);
        SupervisorService supervisor = new SupervisorService(settings.retry(), soloist,
                StateHistory.open(state, 100, 1 << 16), SdNotify.fromEnvironment(Map.of()), Duration.ofSeconds(30),
                false, Wiring.supervisor(supervisorThread));
        SoloistSetup setup = new SoloistSetup() {
            @Override
            public void consentAnswered(boolean allowed) {
                answers.add(allowed);
            }

            @Override
            public void apiKeyEntered(char[] key) {
                throw new AssertionError("not asked for");
            }
        };
        TrayMode mode = new TrayMode(supervisor, settings, paths, paths.configFile(), Optional.empty(),
                Optional.of(setup), new TrayMode.Context(java.time.Clock.systemUTC(), trayThread, Optional.empty(),
                        n -> { }, FolderOpener.forCurrentOs())).keepingJavaFx();
        CompletableFuture<ExitStatus> result = new CompletableFuture<>();
        Thread app = new Thread(() -> {
            try {
                result.complete(mode.run());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "test-tray-mode");
        app.start();
        try {
            until("the question shows by itself", () -> question() != null);
            Stage window = statusWindow();
            assertThat(window).as("over the status window").isNotNull();
            assertThat(question().getOwner()).isSameAs(window);
            Node allowDownload = window.getScene().lookup("#allow-download");
            assertThat(allowDownload.isVisible()).as("the window offers the question").isTrue();
            assertThat(window.getScene().lookup("#engine")).extracting(n -> ((javafx.scene.control.Label) n).getText())
                    .isEqualTo("Spotify Soloist");

            robot.clickOn(question().getScene().lookup("#not-now"));
            assertThat(answers.poll(5, TimeUnit.SECONDS)).isFalse();
            assertThat(starts.get()).isEqualTo(1);

            // Reconnect from the window: the engine fails the same way, and the question does not come back.
            // A second Reconnect goes through the same thread after anything the first one set off.
            robot.clickOn(window.getScene().lookup("#reconnect"));
            until("started again", () -> starts.get() == 2);
            robot.clickOn(window.getScene().lookup("#reconnect"));
            until("and again", () -> starts.get() == 3);
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(question()).as("\"Not now\" holds for the session").isNull();

            // The window's button asks again, and this time the answer is yes.
            robot.clickOn(window.getScene().lookup("#allow-download"));
            until("asked again", () -> question() != null);
            robot.clickOn(question().getScene().lookup("#allow"));
            assertThat(answers.poll(5, TimeUnit.SECONDS)).isTrue();
            until("the question is gone", () -> question() == null);
        } finally {
            supervisor.quit();
            assertThat(result.get(20, TimeUnit.SECONDS)).as("quit in Failed returns the failure's status")
                    .isEqualTo(ExitStatus.CONFIG);
            supervisorThread.close();
            trayThread.close();
        }
    }
}
