package dev.connecttray.tray;

import dev.connecttray.view.TrayMenu;
import dev.connecttray.view.TrayMenuBuilder;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A tray under test, as its own process: starts {@link DorkboxTray}, shows the menu for one state,
 * prints what it found and every picked entry on stdout (one {@code key=value} line each), and
 * stays up for a number of seconds or until Quit is picked.
 *
 * <pre>TrayProbe [seconds] [connected|busy|waiting|degraded|failed|cycle]</pre>
 *
 * {@code cycle} shows each state in turn for two seconds, with "Start at login" unchecked,
 * checked and absent, so that both in-place updates and rebuilt menus are on screen.
 *
 * Exit status: 0 after the time is up or Quit, 3 when there is no tray host, 4 when dorkbox gives no tray.
 */
public final class TrayProbe {
    private TrayProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 30;
        String stateName = args.length > 1 ? args[1].toLowerCase(Locale.ROOT) : "connected";
        PrintStream out = System.out;
        Instant now = Instant.now();
        boolean cycle = stateName.equals("cycle");
        ConnectionState state = state(cycle ? "connected" : stateName, now);

        out.println("display=" + TrayHost.displayPresent());
        boolean host = TrayHost.present();
        out.println("trayhost=" + host);
        if (!host && !Boolean.getBoolean("probe.ignoreHost")) System.exit(3);

        Optional<DorkboxTray> started = DorkboxTray.start("Connect Tray");
        if (started.isEmpty()) {
            out.println("backend=none");
            System.exit(4);
        }
        DorkboxTray tray = started.get();
        out.println("backend=" + tray.backend());
        CountDownLatch quit = new CountDownLatch(1);
        tray.onAction(action -> {
            out.println("action=" + action);
            out.flush();
            if (action == TrayMenu.Action.QUIT) quit.countDown();
        });
        tray.show(TrayMenuBuilder.build(state, now, Boolean.FALSE));
        out.println("shown=" + state.name());
        out.flush();
        boolean quitPicked = cycle ? cycle(tray, quit, seconds, out) : quit.await(seconds, TimeUnit.SECONDS);
        out.println(quitPicked ? "end=quit" : "end=timeout");
        out.flush();
        tray.close();
        System.exit(0);
    }

    private static final List<String> CYCLE = List.of("connected", "busy", "waiting", "degraded", "failed");
    private static final Boolean[] START_AT_LOGIN = {Boolean.FALSE, Boolean.TRUE, null};

    /** Shows the states in turn until {@code seconds} have passed or Quit was picked; whether it was. */
    private static boolean cycle(DorkboxTray tray, CountDownLatch quit, long seconds, PrintStream out)
            throws InterruptedException {
        Instant end = Instant.now().plusSeconds(seconds);
        for (int i = 1; Instant.now().isBefore(end); i++) {
            if (quit.await(2, TimeUnit.SECONDS)) return true;
            String name = CYCLE.get(i % CYCLE.size());
            Boolean startAtLogin = START_AT_LOGIN[i % START_AT_LOGIN.length];
            Instant now = Instant.now();
            tray.show(TrayMenuBuilder.build(state(name, now), now, startAtLogin));
            out.println("shown=" + state(name, now).name() + " startAtLogin=" + startAtLogin);
            out.flush();
        }
        return false;
    }

    static ConnectionState state(String name, Instant now) {
        Failure offline = Failure.transientFailure("Cannot reach Spotify", "UnknownHostException: apresolve.spotify.com");
        return switch (name) {
            case "connected" -> new ConnectionState.Connected("probe-user", now.minus(Duration.ofMinutes(3)));
            case "busy" -> new ConnectionState.Retrying(2, 10, now.plusSeconds(8), offline);
            case "waiting" -> new ConnectionState.WaitingForCredentials("Connect Tray (probe)");
            case "degraded" -> new ConnectionState.Degraded("probe-user", now, "audio output unavailable");
            case "failed" -> new ConnectionState.Failed(
                    Failure.permanent("Spotify rejected the login", "BAD_CREDENTIALS"), ExitStatus.NOPERM);
            default -> throw new IllegalArgumentException("unknown state " + name
                    + "; one of connected, busy, waiting, degraded, failed");
        };
    }
}
