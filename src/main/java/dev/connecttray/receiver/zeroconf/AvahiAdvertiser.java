package dev.connecttray.receiver.zeroconf;

import dev.connecttray.core.Threads;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes through the running avahi-daemon with its own tool, {@code avahi-publish -s}, as a
 * child process that lives as long as the advert: ending it withdraws the advert. A name that is
 * taken (locally or on the network) is retried as "Name (2)", "Name (3)"...
 */
public final class AvahiAdvertiser implements Advertiser {
    private static final Logger LOG = LoggerFactory.getLogger(AvahiAdvertiser.class);
    private static final Pattern ESTABLISHED = Pattern.compile("Established under name '(.*)'");
    private static final int MAX_RENAMES = 20;
    /** How long one avahi-publish may take to say whether its name is established. */
    static final long ESTABLISH_TIMEOUT_MS = 5000;

    private final String command;
    private final Object lock = new Object();
    private Process child;
    private String name;
    private boolean closed;

    public AvahiAdvertiser() {
        this("avahi-publish");
    }

    /** With another avahi-publish executable (a path, or a name looked up on PATH). */
    AvahiAdvertiser(String command) {
        this.command = command;
    }

    @Override
    public String describe() {
        return "avahi-daemon";
    }

    /** What {@code avahi-publish} prints after its name was established, or null for another line. */
    static String establishedName(String line) {
        Matcher m = ESTABLISHED.matcher(line);
        return m.find() ? m.group(1) : null;
    }

    /** Whether the line says the name is taken ("Local name collision", "Name collision, picking ..."). */
    static boolean isCollision(String line) {
        return line.toLowerCase(java.util.Locale.ROOT).contains("collision");
    }

    static List<String> commandLine(String command, String name, Advert advert) {
        List<String> cmd = new ArrayList<>(List.of(command, "-s", name, Advert.SERVICE_TYPE, Integer.toString(advert.port())));
        for (Map.Entry<String, String> e : new TreeMap<>(advert.txt()).entrySet()) cmd.add(e.getKey() + "=" + e.getValue());
        return cmd;
    }

    @Override
    public String publish(Advert advert) throws IOException {
        synchronized (lock) {
            if (closed) throw new IllegalStateException("closed");
            if (child != null) throw new IllegalStateException("already published");
        }
        String tryName = Names.instanceLabel(advert.name());
        for (int attempt = 0; attempt <= MAX_RENAMES; attempt++) {
            Process p = new ProcessBuilder(commandLine(command, tryName, advert)).redirectErrorStream(true).start();
            p.getOutputStream().close();
            LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Threads.start("avahi-publish-output", () -> readLines(p, lines));
            String outcome = awaitOutcome(p, lines);
            if (outcome.startsWith("ok:")) {
                String got = outcome.substring(3);
                synchronized (lock) {
                    if (closed) {
                        stop(p);
                        throw new IOException("closed while publishing");
                    }
                    child = p;
                    name = got;
                }
                LOG.info("avahi-daemon advertises '{}' on port {} (avahi-publish pid {})", got, advert.port(), p.pid());
                return got;
            }
            stop(p);
            if (!outcome.startsWith("collision:")) throw new IOException("avahi-publish failed: " + outcome);
            String next = Names.nextInstanceName(tryName);
            LOG.info("the name '{}' is taken ({}); trying '{}'", tryName, outcome.substring(10), next);
            tryName = next;
        }
        throw new IOException("avahi-publish: still a name collision after " + MAX_RENAMES + " renames");
    }

    /** "ok:NAME", "collision:LINE", or what went wrong. */
    private static String awaitOutcome(Process p, LinkedBlockingQueue<String> lines) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ESTABLISH_TIMEOUT_MS);
        StringBuilder said = new StringBuilder();
        try {
            while (true) {
                long left = end - System.nanoTime();
                if (left <= 0) return "no name established within " + ESTABLISH_TIMEOUT_MS + " ms" + said;
                String line = lines.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
                if (line == null) {
                    if (!p.isAlive() && lines.isEmpty()) {
                        // the reader may still be handing over the last lines
                        line = lines.poll(200, TimeUnit.MILLISECONDS);
                        if (line == null) return "exited with status " + p.exitValue() + said;
                    } else {
                        continue;
                    }
                }
                LOG.debug("avahi-publish: {}", line);
                String got = establishedName(line);
                if (got != null) return "ok:" + got;
                if (isCollision(line)) return "collision:" + line.strip();
                said.append(said.length() == 0 ? ": " : "; ").append(line.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static void readLines(Process p, LinkedBlockingQueue<String> lines) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
                if (isCollision(line)) LOG.info("avahi-publish: {}", line.strip());
            }
        } catch (IOException e) {
            // the child ended
        }
    }

    /** SIGTERM, then SIGKILL after 2 s. */
    private static void stop(Process p) {
        if (!p.isAlive()) return;
        p.destroy();
        try {
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void reannounce() {
        LOG.debug("reannounce: nothing to do, avahi-daemon follows the interfaces itself");
    }

    /** The name avahi established, or null before {@link #publish}. */
    public String name() {
        synchronized (lock) {
            return name;
        }
    }

    @Override
    public void close() {
        Process p;
        synchronized (lock) {
            if (closed) return;
            closed = true;
            p = child;
        }
        if (p != null) {
            stop(p);
            LOG.info("withdrew '{}' from avahi-daemon", name);
        }
    }
}
