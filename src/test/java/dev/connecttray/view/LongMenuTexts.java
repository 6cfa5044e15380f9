package dev.connecttray.view;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.Failure;
import java.time.Instant;
import java.util.List;

/** States whose words run long (a 3599 s countdown, long user and device names, a long reason): the tray's limits are tried on them. */
public final class LongMenuTexts {
    private LongMenuTexts() {
    }

    /** The first is a retry after a DNS failure, an hour ahead of {@code now}. */
    public static List<ConnectionState> states(Instant now) {
        Failure dns = Failure.transientFailure("Cannot resolve apresolve.spotify.com: no DNS or no network",
                "java.net.UnknownHostException: apresolve.spotify.com: Name or service not known");
        return List.of(new ConnectionState.Retrying(10, 10, now.plusSeconds(3599), dns),
                new ConnectionState.Cooldown(now.plusSeconds(3599), dns),
                new ConnectionState.Connected("a-user-name-of-thirty-chars-xx", now),
                new ConnectionState.Degraded("alice", now, "The Spotify Connect channel (dealer websocket) is not "
                        + "connected: Spotify apps may not see this device"),
                new ConnectionState.WaitingForCredentials("A device name that is as long as sixty-three bytes allow"),
                new ConnectionState.Connected("x".repeat(200), now));
    }
}
