package dev.connecttray.view;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ConnectionState.Connected;
import dev.connecttray.core.ConnectionState.Connecting;
import dev.connecttray.core.ConnectionState.Cooldown;
import dev.connecttray.core.ConnectionState.Degraded;
import dev.connecttray.core.ConnectionState.Failed;
import dev.connecttray.core.ConnectionState.Retrying;
import dev.connecttray.core.ConnectionState.Starting;
import dev.connecttray.core.ConnectionState.Stopped;
import dev.connecttray.core.ConnectionState.WaitingForCredentials;
import dev.connecttray.core.ExitStatus;

/**
 * What the user's two actions on the connection mean in each state: whether Reconnect does
 * anything, and what Quit is called and which exit status it ends with. The tray's menu, the
 * window's buttons and the supervisor all read them here.
 */
public final class Actions {
    /** Quitting is "Quit" in every state; the exit status it returns is for the log and the service. */
    public static final String QUIT_LABEL = "Quit";

    private Actions() {
    }

    /**
     * Reconnecting means something in every state but these: an attempt is already under way,
     * nothing has started, no Spotify app has handed over credentials yet, or all has stopped.
     */
    public static boolean canReconnect(ConnectionState state) {
        return state.match(CAN_RECONNECT);
    }

    /** The status quitting in {@code state} ends with: 0, or a failure's own status. */
    public static ExitStatus quitStatus(ConnectionState state) {
        return state.match(QUIT_STATUS);
    }

    private static final ConnectionState.Cases<Boolean> CAN_RECONNECT = new ConnectionState.Cases<>() {
        @Override public Boolean starting(Starting s) { return false; }
        @Override public Boolean waitingForCredentials(WaitingForCredentials w) { return false; }
        @Override public Boolean connecting(Connecting c) { return false; }
        @Override public Boolean connected(Connected c) { return true; }
        @Override public Boolean degraded(Degraded d) { return true; }
        @Override public Boolean retrying(Retrying r) { return true; }
        @Override public Boolean cooldown(Cooldown c) { return true; }
        @Override public Boolean failed(Failed f) { return true; }
        @Override public Boolean stopped(Stopped s) { return false; }
    };

    private static final ConnectionState.Cases<ExitStatus> QUIT_STATUS = new ConnectionState.Cases<>() {
        @Override public ExitStatus starting(Starting s) { return ExitStatus.OK; }
        @Override public ExitStatus waitingForCredentials(WaitingForCredentials w) { return ExitStatus.OK; }
        @Override public ExitStatus connecting(Connecting c) { return ExitStatus.OK; }
        @Override public ExitStatus connected(Connected c) { return ExitStatus.OK; }
        @Override public ExitStatus degraded(Degraded d) { return ExitStatus.OK; }
        @Override public ExitStatus retrying(Retrying r) { return ExitStatus.OK; }
        @Override public ExitStatus cooldown(Cooldown c) { return ExitStatus.OK; }
        @Override public ExitStatus failed(Failed f) { return f.exitStatus(); }
        @Override public ExitStatus stopped(Stopped s) { return ExitStatus.OK; }
    };
}
