package dev.connecttray;

import dev.connecttray.core.StateChange;
import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.config.AppPaths;
import dev.connecttray.config.EngineKind;
import dev.connecttray.config.Settings;
import dev.connecttray.config.SettingsLoader;
import dev.connecttray.core.AfterGiveUp;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import dev.connecttray.core.VirtualTime;
import dev.connecttray.supervisor.EndedRun;
import dev.connecttray.supervisor.Engine;
import dev.connecttray.supervisor.ExitVerdict;
import dev.connecttray.supervisor.StateHistory;
import dev.connecttray.supervisor.Supervision;
import dev.connecttray.tray.Autostart;
import dev.connecttray.tray.FolderOpener;
import dev.connecttray.view.TrayMenu;
import dev.connecttray.tray.TrayView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tray mode on virtual time with a tray that records what it is shown: the menu follows each
 * state change and each tick, is drawn on the tray's own thread only, and a pick is carried out there.
 */
class TrayModeTest {
    @TempDir
    Path home;

    private final VirtualTime time = new VirtualTime();
    private final RecordingTray tray = new RecordingTray();
    private final FakeAutostart autostart = new FakeAutostart();

    /** Runs {@code script} as the supervisor's run, on virtual time; returns what tray mode returned. */
    private ExitStatus run(Consumer<FakeSupervisor> script) throws InterruptedException {
        AppPaths paths = new AppPaths(home.resolve("config/config.json"), home.resolve("state"), home.resolve("logs"));
        Settings settings = SettingsLoader.defaults(AfterGiveUp.COOLDOWN);
        FakeSupervisor supervisor = new FakeSupervisor(script);
        TrayMode mode = new TrayMode(supervisor, settings, paths, paths.configFile(), Optional.of(tray),
                Optional.empty(), new TrayMode.Context(time, time, Optional.of(autostart), n -> { },
                FolderOpener.forCurrentOs()));
        return mode.run();
    }

    private static String status(TrayMenu menu) {
        return menu.items().stream().filter(i -> i instanceof TrayMenu.Status).map(i -> ((TrayMenu.Status) i).text())
                .findFirst().orElseThrow();
    }

    @Test
    void theMenuFollowsEachStateOnTheTraysThread() throws Exception {
        ExitStatus status = run(s -> {
            assertThat(tray.shown).as("nothing drawn off the tray's thread").isEmpty();
            time.runDue();
            assertThat(tray.shown).hasSize(1);
            assertThat(status(tray.last())).startsWith("Starting");

            s.publish(new ConnectionState.Connected("alice", time.instant()));
            assertThat(tray.shown).as("drawn when the tray's thread runs, not on the supervisor's").hasSize(1);
            time.runDue();
            assertThat(status(tray.last())).contains("alice");
        });
        assertThat(status).isEqualTo(ExitStatus.OK);
        assertThat(tray.closed).isTrue();
    }

    @Test
    void aCountdownIsRedrawnOnEachTickAndAnUnchangedMenuIsNotDrawnAgain() throws Exception {
        run(s -> {
            s.publish(new ConnectionState.Retrying(2, 4, time.instant().plusSeconds(30),
                    Failure.transientFailure("Spotify did not answer", "timeout")));
            time.runDue();
            String before = status(tray.last());
            int drawn = tray.shown.size();
            time.advance(Duration.ofSeconds(10));
            assertThat(status(tray.last())).isNotEqualTo(before).contains("20 s");
            assertThat(tray.shown.size()).as("fewer draws than ticks: only menus that changed")
                    .isGreaterThan(drawn).isLessThanOrEqualTo(drawn + 10);

            s.publish(new ConnectionState.Connected("alice", time.instant()));
            time.runDue();
            int connected = tray.shown.size();
            time.advance(Duration.ofSeconds(19));
            assertThat(tray.shown).as("connected: nothing moves within a minute").hasSize(connected);
        });
    }

    @Test
    void startAtLoginIsToggledOnTheTraysThreadAndTheMenuShowsIt() throws Exception {
        run(s -> {
            time.runDue();
            assertThat(check(tray.last())).isFalse();
            tray.pick(TrayMenu.Action.TOGGLE_START_AT_LOGIN);
            assertThat(autostart.enabled).as("not on the tray library's thread").isFalse();
            time.runDue();
            assertThat(autostart.enabled).isTrue();
            assertThat(check(tray.last())).isTrue();
        });
    }

    @Test
    void theTicksStopWhenTheSupervisorIsDone() throws Exception {
        run(s -> time.runDue());
        int drawn = tray.shown.size();
        time.advance(Duration.ofMinutes(5));
        assertThat(tray.shown).hasSize(drawn);
        assertThat(time.pendingTasks()).isZero();
    }

    private static boolean check(TrayMenu menu) {
        return menu.items().stream().filter(i -> i instanceof TrayMenu.Check).map(i -> ((TrayMenu.Check) i).checked())
                .findFirst().orElseThrow();
    }

    private final class FakeSupervisor implements Supervision {
        private final Consumer<FakeSupervisor> script;
        private Consumer<ConnectionState> observer = s -> { };

        FakeSupervisor(Consumer<FakeSupervisor> script) {
            this.script = script;
        }

        void publish(ConnectionState state) {
            observer.accept(state);
        }

        @Override
        public ExitStatus run() {
            script.accept(this);
            return ExitStatus.OK;
        }

        @Override
        public void observe(Consumer<ConnectionState> observer) {
            this.observer = observer;
        }

        @Override
        public Engine engine() {
            return new Engine() {
                @Override
                public EngineKind kind() {
                    return EngineKind.EMBEDDED;
                }

                @Override
                public ExitVerdict classifyExit(EndedRun run) {
                    throw new AssertionError("never runs");
                }

                @Override
                public Child start(int attemptsUsed, Listener listener) {
                    throw new AssertionError("never runs");
                }
            };
        }

        @Override
        public List<StateChange> history() {
            return List.of();
        }

        @Override
        public void reconnectNow() {
        }

        @Override
        public void quit() {
        }
    }

    private static final class RecordingTray implements TrayView {
        final List<TrayMenu> shown = new ArrayList<>();
        Consumer<TrayMenu.Action> handler;
        boolean closed;

        TrayMenu last() {
            return shown.get(shown.size() - 1);
        }

        void pick(TrayMenu.Action action) {
            handler.accept(action);
        }

        @Override
        public void show(TrayMenu menu) {
            shown.add(menu);
        }

        @Override
        public void onAction(Consumer<TrayMenu.Action> handler) {
            this.handler = handler;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static final class FakeAutostart implements Autostart {
        boolean enabled;

        @Override
        public boolean isEnabled() {
            return enabled;
        }

        @Override
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }
}
