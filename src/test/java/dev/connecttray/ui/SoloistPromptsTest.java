package dev.connecttray.ui;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.connecttray.desktop.LinkOutcome;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import dev.connecttray.core.FailureKind;
import dev.connecttray.engine.soloist.SoloistBinary;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Labeled;
import javafx.scene.control.PasswordField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Spotify Soloist questions as the user meets them: over the real status window, answered with
 * the mouse and the keyboard, the answers reaching the setup callback on a worker thread.
 */
@ExtendWith(ApplicationExtension.class)
class SoloistPromptsTest {
    private static final Failure CONSENT = new Failure(FailureKind.CONFIG, "Spotify Soloist needs your consent to be "
            + "downloaded", SoloistBinary.CONSENT_NEEDED);
    private static final Failure NO_KEY = new Failure(FailureKind.CONFIG, "There is no Spotify Soloist API key",
            SoloistBinary.API_KEY_NEEDED);
    private static final String KEY = "s3cr3t-Key-0123456789abcdef";

    /** What the setup callback was told, and on which thread. */
    private record Call(String what, String thread) {
    }

    private final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    private final List<URI> browsed = new CopyOnWriteArrayList<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-worker"));
    private volatile IOException failNext;
    private volatile boolean browserWorks = true;
    /** The key as the callback saw it, and the very array it was handed. */
    private volatile String keySeen;
    private volatile char[] keyArray;
    private StatusWindow window;
    private SoloistPrompts prompts;

    private final SoloistSetup setup = new SoloistSetup() {
        @Override
        public void consentAnswered(boolean allowed) throws IOException {
            calls.add(new Call("consent " + allowed, Thread.currentThread().getName()));
            throwIfAsked();
        }

        @Override
        public void apiKeyEntered(char[] key) throws IOException {
            keySeen = new String(key);
            keyArray = key;
            calls.add(new Call("key", Thread.currentThread().getName()));
            throwIfAsked();
        }

        private void throwIfAsked() throws IOException {
            IOException e = failNext;
            failNext = null;
            if (e != null) throw e;
        }
    };

    @Start
    void start(Stage primary) {
        window = new StatusWindow(new StatusWindow.Info("Living room", "zeroconf", Path.of("/tmp/config.json"),
                () -> "Spotify Soloist"), r -> { }, Clock.systemUTC(), () -> ColorScheme.LIGHT);
        window.show();
        prompts = new SoloistPrompts(setup, link -> {
            browsed.add(link);
            return CompletableFuture.completedFuture(browserWorks ? new LinkOutcome(link, true, null)
                    : new LinkOutcome(link, false, "xdg-open exited with status 3"));
        }, worker);
    }

    @AfterEach
    void end() {
        worker.shutdownNow();
        for (Window w : List.copyOf(Window.getWindows())) {
            WaitForAsyncUtils.asyncFx(() -> {
                if (w instanceof Stage s) s.hide();
            });
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void fx(Runnable r) throws Exception {
        WaitForAsyncUtils.asyncFx(r).get(5, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private Stage dialog() {
        return Window.getWindows().stream().filter(w -> w instanceof Stage s && s != window.stage()
                        && s.getTitle() != null && s.getTitle().contains("Soloist") && s.isShowing())
                .map(Stage.class::cast).findFirst().orElse(null);
    }

    private <T extends Node> T in(Stage stage, String id) {
        @SuppressWarnings("unchecked")
        T node = (T) stage.getScene().lookup("#" + id);
        assertThat(node).as("#" + id).isNotNull();
        return node;
    }

    private String allText(Stage stage) {
        return stage.getScene().getRoot().lookupAll(".label").stream().map(n -> ((Labeled) n).getText())
                .reduce("", (a, b) -> a + "\n" + b);
    }

    private void key(FxRobot robot, KeyCode... codes) {
        robot.press(codes);
        for (int i = codes.length - 1; i >= 0; i--) robot.release(codes[i]);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private Call nextCall() throws InterruptedException {
        Call c = calls.poll(5, TimeUnit.SECONDS);
        assertThat(c).as("the setup callback was called").isNotNull();
        return c;
    }

    @Test
    void theQuestionComesByItselfOnceASessionAndOnlyForTheMissingConsent() {
        assertThat(prompts.claimQuestion(new ConnectionState.Failed(NO_KEY, ExitStatus.CONFIG))).isFalse();
        assertThat(prompts.claimQuestion(new ConnectionState.Failed(Failure.permanent("Login refused", "BadCredentials"),
                ExitStatus.NOPERM))).isFalse();
        assertThat(prompts.claimQuestion(new ConnectionState.Connected("alice", java.time.Instant.now()))).isFalse();
        assertThat(prompts.claimQuestion(new ConnectionState.Failed(CONSENT, ExitStatus.CONFIG))).isTrue();
        assertThat(prompts.claimQuestion(new ConnectionState.Failed(CONSENT, ExitStatus.CONFIG)))
                .as("asked already: Reconnect fails the same way, and is not asked again").isFalse();
    }

    @Test
    void theQuestionSaysWhatHappensWhoseTermsApplyAndNotNowIsWhereTheFocusIs(FxRobot robot) throws Exception {
        fx(() -> prompts.askConsent(window.stage()));
        Stage d = dialog();
        assertThat(d).as("the question shows").isNotNull();
        assertThat(d.getOwner()).as("it belongs to the status window").isSameAs(window.stage());
        assertThat(d.isFocused()).isTrue();
        String text = allText(d);
        assertThat(text).contains("soloist-builds.spotifycdn.com").contains("data folder").contains("90 days")
                .contains("Spotify's terms").contains("do not clearly say").contains("at your own risk")
                .contains(ConsentDialog.AGREEMENT);
        Button notNow = in(d, "not-now");
        Button allow = in(d, "allow");
        assertThat(notNow.isFocused()).as("the careful answer has the focus").isTrue();
        assertThat(allow.isDefaultButton()).as("Enter alone never agrees").isFalse();

        // Enter presses what has the focus: "Not now".
        key(robot, KeyCode.ENTER);
        assertThat(nextCall().what()).isEqualTo("consent false");
        assertThat(dialog()).as("gone").isNull();
        assertThat(prompts.answer()).isFalse();
        assertThat(prompts.claimQuestion(new ConnectionState.Failed(CONSENT, ExitStatus.CONFIG)))
                .as("not asked again by itself this session").isFalse();

        // The status window's button asks again; Tab to "Allow download" and Enter agrees.
        fx(() -> prompts.askConsent(window.stage()));
        d = dialog();
        assertThat(d).isNotNull();
        Button allowAgain = in(d, "allow");
        while (!allowAgain.isFocused()) key(robot, KeyCode.TAB);
        key(robot, KeyCode.ENTER);
        Call call = nextCall();
        assertThat(call.what()).isEqualTo("consent true");
        assertThat(call.thread()).as("never the JavaFX thread").isEqualTo("test-worker");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(dialog()).isNull();
        assertThat(prompts.answer()).isTrue();
    }

    @Test
    void allowDownloadWithTheMouseOrAltA(FxRobot robot) throws Exception {
        fx(() -> prompts.askConsent(window.stage()));
        robot.clickOn((Node) in(dialog(), "allow"));
        assertThat(nextCall().what()).isEqualTo("consent true");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(dialog()).isNull();

        fx(() -> prompts.askConsent(window.stage()));
        key(robot, KeyCode.ALT, KeyCode.A);
        assertThat(nextCall().what()).isEqualTo("consent true");
    }

    @Test
    void escapeAndTheTitleBarsCloseMeanNotNow(FxRobot robot) throws Exception {
        fx(() -> prompts.askConsent(window.stage()));
        key(robot, KeyCode.ESCAPE);
        assertThat(nextCall().what()).isEqualTo("consent false");
        assertThat(dialog()).isNull();

        fx(() -> prompts.askConsent(window.stage()));
        Stage d = dialog();
        fx(() -> d.fireEvent(new javafx.stage.WindowEvent(d, javafx.stage.WindowEvent.WINDOW_CLOSE_REQUEST)));
        assertThat(nextCall().what()).isEqualTo("consent false");
        assertThat(dialog()).isNull();
        assertThat(window.stage().isShowing()).as("the status window stays, with the failure and its button").isTrue();
    }

    @Test
    void anAnswerThatCannotBeRecordedKeepsTheQuestionOpenAndSaysWhy(FxRobot robot) throws Exception {
        failNext = new IOException("Cannot write /home/alice/.local/state/connect-tray/soloist-consent.json: disk full");
        fx(() -> prompts.askConsent(window.stage()));
        robot.clickOn((Node) in(dialog(), "allow"));
        assertThat(nextCall().what()).isEqualTo("consent true");
        WaitForAsyncUtils.waitForFxEvents();
        Stage d = dialog();
        assertThat(d).as("still open").isNotNull();
        javafx.scene.control.Label problem = in(d, "problem");
        assertThat(problem.isVisible()).isTrue();
        assertThat(problem.getText()).isEqualTo("Could not record your answer: Cannot write "
                + "/home/alice/.local/state/connect-tray/soloist-consent.json: disk full");
        assertThat(((Button) in(d, "allow")).isDisabled()).as("can be tried again").isFalse();
        assertThat(prompts.answer()).isNull();
    }

    @Test
    void theTermsLinkOpensInTheBrowserOrShowsItsAddress(FxRobot robot) throws Exception {
        fx(() -> prompts.askConsent(window.stage()));
        robot.clickOn((Node) in(dialog(), "terms-link"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(browsed).containsExactly(URI.create("https://developer.spotify.com/documentation/soloist"));
        javafx.scene.control.TextField address = in(dialog(), "link-address");
        assertThat(address.isVisible()).isFalse();

        browserWorks = false;
        robot.clickOn((Node) in(dialog(), "terms-link"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(address.isVisible()).isTrue();
        assertThat(address.getText()).isEqualTo("https://developer.spotify.com/documentation/soloist");
        assertThat(((javafx.scene.control.Label) in(dialog(), "problem")).getText())
                .contains("No browser opened the page").contains("xdg-open exited with status 3");
        assertThat(calls).as("a link is no answer").isEmpty();
    }

    /** Everything logged while {@code body} runs, at every level. */
    private List<ILoggingEvent> logged(ThrowingRunnable body) throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level level = root.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        root.setLevel(Level.ALL);
        try {
            body.run();
        } finally {
            root.setLevel(level);
            root.detachAppender(appender);
        }
        return appender.list;
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static void assertNoKeyIn(List<ILoggingEvent> events) {
        assertThat(events).as("something was logged at all").isNotEmpty();
        for (ILoggingEvent e : events) {
            String all = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage());
            assertThat(all).doesNotContain(KEY).doesNotContain(KEY.substring(0, 10));
        }
    }

    @Test
    void theApiKeyIsHandedOnAsCharactersThenClearedAndNeverLogged(FxRobot robot) throws Exception {
        List<ILoggingEvent> events = logged(() -> {
            fx(() -> prompts.enterApiKey(window.stage()));
            Stage d = dialog();
            assertThat(d).isNotNull();
            assertThat(allText(d)).contains("developer dashboard").contains("Premium")
                    .contains("command line").contains("other users of this computer can read");
            PasswordField field = in(d, "api-key");
            Button save = in(d, "save");
            assertThat(field.isFocused()).isTrue();
            assertThat(save.isDisabled()).as("nothing to save yet").isTrue();

            robot.targetWindow(d).write("  " + KEY + " ");
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(field.getCharacters().length()).isEqualTo(KEY.length() + 3);
            assertThat(save.isDisabled()).isFalse();
            key(robot, KeyCode.ENTER); // Save is the default button

            Call call = nextCall();
            assertThat(call.what()).isEqualTo("key");
            assertThat(call.thread()).isEqualTo("test-worker");
            assertThat(keySeen).as("trimmed, whole").isEqualTo(KEY);
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(new String(keyArray)).as("cleared once handed on").isEqualTo("\0".repeat(KEY.length()));
            assertThat(dialog()).as("closed once saved").isNull();
            assertThat(field.getText()).as("the field forgets it").isEmpty();

            robot.clickOn((Node) in(d, "dashboard-link"));
        });
        assertNoKeyIn(events);
    }

    @Test
    void aKeyThatCannotBeSavedKeepsTheDialogOpenWithTheReasonAndStillNoLog(FxRobot robot) throws Exception {
        List<ILoggingEvent> events = logged(() -> {
            failNext = new IOException("Cannot write /home/alice/.config/connect-tray/soloist-api-key: Permission denied");
            fx(() -> prompts.enterApiKey(window.stage()));
            Stage d = dialog();
            robot.targetWindow(d).write(KEY);
            robot.clickOn((Node) in(d, "save"));
            assertThat(nextCall().what()).isEqualTo("key");
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(dialog()).as("still open").isSameAs(d);
            assertThat(((javafx.scene.control.Label) in(d, "problem")).getText())
                    .isEqualTo("Could not save the key: Cannot write /home/alice/.config/connect-tray/soloist-api-key: "
                            + "Permission denied");
            assertThat(new String(keyArray)).as("cleared after a failure too").doesNotContain(KEY);
            Button save = in(d, "save");
            assertThat(save.isDisabled()).as("the key is still typed: Save again").isFalse();
            assertThat(allText(d)).as("never shown back").doesNotContain(KEY);

            robot.clickOn(save);
            assertThat(nextCall().what()).isEqualTo("key");
            assertThat(keySeen).isEqualTo(KEY);
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(dialog()).isNull();
        });
        assertNoKeyIn(events);
    }

    @Test
    void cancelForgetsTheKeyAndHandsNothingOn(FxRobot robot) throws Exception {
        fx(() -> prompts.enterApiKey(window.stage()));
        Stage d = dialog();
        robot.targetWindow(d).write(KEY);
        PasswordField field = in(d, "api-key");
        key(robot, KeyCode.ESCAPE);
        assertThat(dialog()).isNull();
        assertThat(field.getText()).isEmpty();
        assertThat(calls.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }
}
