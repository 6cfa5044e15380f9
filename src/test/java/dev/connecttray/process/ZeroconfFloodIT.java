package dev.connecttray.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.fakespotify.FakePhone;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Anyone on the LAN can open connections to the Zeroconf endpoint. Against the built launcher's
 * receiver waiting for a phone: a thousand idle connections cost no thousand threads, the endpoint
 * still answers a phone, the heartbeat goes on; at a file-descriptor limit just above what it has
 * open (prlimit), accept failures are logged a few times, not in a tight loop, and nothing exits.
 */
class ZeroconfFloodIT {
    @TempDir
    Path home;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Launcher start(int port) throws Exception {
        Path config = Launcher.writeConfig(home, """
                {
                  "version": 1,
                  "deviceName": "Connect Tray (flood test)",
                  "auth": { "mode": "zeroconf" },
                  "zeroconf": { "port": %d, "backend": "builtin" },
                  "audio": { "output": "pipe", "pipe": "audio.pcm" }
                }
                """.formatted(port));
        // No Spotify is contacted while waiting for a phone: no fake needed, but keep every request on loopback.
        Launcher app = Launcher.start(home, freePort(), "receiver", "--config", config.toString());
        app.awaitEvent(Launcher.state("WaitingForCredentials"), Duration.ofSeconds(60));
        return app;
    }

    private static int threads(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("Threads:")) return Integer.parseInt(line.substring(8).trim());
        }
        throw new AssertionError("no Threads line for " + pid);
    }

    private static List<Socket> open(int port, int count) {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            try {
                Socket s = new Socket();
                s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
                sockets.add(s);
            } catch (IOException e) {
                break; // the backlog is full: enough
            }
        }
        return sockets;
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    @Test
    void aThousandIdleConnectionsCostNoThousandThreadsAndAPhoneIsStillAnswered() throws Exception {
        int port = freePort();
        try (Launcher app = start(port)) {
            long pid = app.process.pid();
            int before = threads(pid);
            List<Socket> idle = open(port, 1000);
            try {
                assertThat(idle.size()).as("connections opened").isGreaterThan(500);
                app.awaitEvent(o -> "heartbeat".equals(o.get("type").getAsString()), Duration.ofSeconds(15));
                FakePhone.DeviceInfo info = new FakePhone("127.0.0.1", port, Duration.ofSeconds(10)).getInfo();
                assertThat(info.remoteName()).isEqualTo("Connect Tray (flood test)");
                int during = threads(pid);
                System.out.println("ZeroconfFloodIT: threads " + before + " before, " + during + " with "
                        + idle.size() + " idle connections");
                assertThat(during - before).as("threads added by %d idle connections", idle.size()).isLessThan(20);
                assertThat(app.process.isAlive()).isTrue();
            } finally {
                closeAll(idle);
            }
        }
    }

    @Test
    void atTheDescriptorLimitAcceptFailuresAreLoggedAFewTimesAndNothingExits() throws Exception {
        int port = freePort();
        try (Launcher app = start(port)) {
            long pid = app.process.pid();
            // Just above what the receiver has open now: the endpoint's own connection limit (32) is
            // then beyond what the process may open, so accept itself fails (EMFILE).
            int open;
            try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                open = (int) fds.count();
            }
            int max = open + 8;
            Process limit = new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--nofile=" + max + ":" + max)
                    .inheritIO().start();
            assertThat(limit.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(limit.exitValue()).isZero();
            List<Socket> flood = open(port, 400);
            try {
                // Two heartbeats while flooded: the receiver still works.
                app.awaitEvent(o -> "heartbeat".equals(o.get("type").getAsString()), Duration.ofSeconds(15));
                app.awaitEvent(o -> "heartbeat".equals(o.get("type").getAsString()), Duration.ofSeconds(15));
                assertThat(app.process.isAlive()).as("the receiver is still running").isTrue();
                long acceptLines = app.stderr().lines().filter(l -> l.contains("cannot accept")).count();
                System.out.println("ZeroconfFloodIT: " + flood.size() + " connections at a limit of " + max
                        + " descriptors (" + open + " open before); " + acceptLines + " log lines about accept");
                assertThat(acceptLines).as("accept failed and was logged, not in a tight loop").isBetween(1L, 20L);
                assertThat(app.stderr()).doesNotContain("\tat ");
            } finally {
                closeAll(flood);
            }
            // With the connections gone, a phone is answered again.
            FakePhone.DeviceInfo info = new FakePhone("127.0.0.1", port, Duration.ofSeconds(10)).getInfo();
            assertThat(info.remoteName()).isEqualTo("Connect Tray (flood test)");
            assertThat(app.process.isAlive()).isTrue();
        }
    }

    @Test
    void outOfDescriptorsForGoodTheReceiverEndsWith75SoAFreshOneStarts() throws Exception {
        int port = freePort();
        try (Launcher app = start(port)) {
            long pid = app.process.pid();
            int open;
            try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                open = (int) fds.count() - 1; // the listing itself held one of them
            }
            // No descriptor left for anything new: every accept fails, and no idle timeout can free one.
            Process limit = new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--nofile=" + open + ":" + open)
                    .inheritIO().start();
            assertThat(limit.waitFor(10, TimeUnit.SECONDS)).isTrue();
            List<Socket> knocking = open(port, 5);
            try {
                int status = app.awaitExit(Duration.ofSeconds(90));
                System.out.println("ZeroconfFloodIT: out of descriptors (limit " + open + "), exit " + status);
                System.out.println(app.stderr());
                assertThat(status).as("ends to be restarted, never 0").isEqualTo(75);
                assertThat(app.stderr()).contains("ran out of file descriptors").doesNotContain("\tat ");
            } finally {
                closeAll(knocking);
            }
        }
    }
}
