package dev.connecttray.receiver.zeroconf;

import dev.connecttray.os.CommandRunner;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the responder: avahi-daemon when it runs (it owns UDP 5353 then), else our own. */
public final class Advertisers {
    private static final Logger LOG = LoggerFactory.getLogger(Advertisers.class);

    private Advertisers() {}

    /** Whether avahi can publish for us, and why (or why not), in words for the log. */
    public record AvahiStatus(boolean usable, String reason) {}

    /**
     * The advertiser for {@code backend}: "auto" (avahi when usable, else built-in), "avahi"
     * (fails when avahi is not usable) or "builtin".
     *
     * @throws IOException "avahi" was asked for and avahi-daemon is not usable
     * @throws IllegalArgumentException an unknown backend
     */
    public static Advertiser choose(String backend) throws IOException {
        return choose(backend, Advertisers::avahiStatus);
    }

    interface StatusProbe {
        AvahiStatus check();
    }

    static Advertiser choose(String backend, StatusProbe probe) throws IOException {
        String b = backend == null ? "auto" : backend.strip().toLowerCase(Locale.ROOT);
        switch (b) {
            case "builtin" -> {
                LOG.info("zeroconf: built-in mDNS responder (configured)");
                return new BuiltinAdvertiser();
            }
            case "avahi" -> {
                AvahiStatus s = probe.check();
                if (!s.usable()) throw new IOException("zeroconf backend 'avahi' is configured but avahi is not usable: " + s.reason());
                LOG.info("zeroconf: avahi-daemon (configured; {})", s.reason());
                return new AvahiAdvertiser();
            }
            case "auto" -> {
                AvahiStatus s = probe.check();
                if (s.usable()) {
                    LOG.info("zeroconf: avahi-daemon ({})", s.reason());
                    return new AvahiAdvertiser();
                }
                LOG.info("zeroconf: built-in mDNS responder ({})", s.reason());
                return new BuiltinAdvertiser();
            }
            default -> throw new IllegalArgumentException("unknown zeroconf backend '" + backend + "' (auto, avahi or builtin)");
        }
    }

    /**
     * avahi is usable when {@code avahi-publish} is on PATH and avahi-daemon answers: its D-Bus name
     * org.freedesktop.Avahi has an owner on the system bus (asked with dbus-send), or, without
     * dbus-send, {@code avahi-daemon --check} says it runs.
     */
    public static AvahiStatus avahiStatus() {
        Optional<Path> publish = onPath("avahi-publish");
        if (publish.isEmpty()) return new AvahiStatus(false, "avahi-publish is not on PATH (Debian: avahi-utils)");
        if (onPath("dbus-send").isPresent()) {
            Optional<String> out = run(List.of("dbus-send", "--system", "--print-reply", "--reply-timeout=2000",
                    "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.Avahi"));
            if (out.isEmpty()) return new AvahiStatus(false, "the D-Bus system bus does not answer");
            if (out.get().contains("boolean true")) return new AvahiStatus(true, "avahi-daemon is on the D-Bus system bus");
            return new AvahiStatus(false, "avahi-daemon is not on the D-Bus system bus");
        }
        if (onPath("avahi-daemon").isEmpty()) return new AvahiStatus(false, "avahi-daemon is not installed");
        return run(List.of("avahi-daemon", "--check")).isPresent()
                ? new AvahiStatus(true, "avahi-daemon --check says it runs")
                : new AvahiStatus(false, "avahi-daemon is not running");
    }

    /** The command's output when it exits 0 within 3 s. */
    private static Optional<String> run(List<String> cmd) {
        try {
            CommandRunner.Result r = CommandRunner.PROCESSES.run(cmd, java.util.Map.of(), java.time.Duration.ofSeconds(3));
            return r.succeeded() ? Optional.of(r.output()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static Optional<Path> onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, exe);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }
}
