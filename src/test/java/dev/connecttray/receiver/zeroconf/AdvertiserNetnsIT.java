package dev.connecttray.receiver.zeroconf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The advertisers on a real (virtual) LAN: three network namespaces, A (10.77.0.1) and C
 * (10.77.0.3) joined to a bridge in B (10.77.0.2). Advertisers run as JVMs in A and C, the query
 * client ({@link MdnsQuery}) as a JVM in B. Needs root and iproute2; avahi-daemon, avahi-utils and
 * dbus-daemon for the avahi case. Everything made here is removed in {@link #tearDown()}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdvertiserNetnsIT {
    private static final String SUFFIX = Long.toString(ProcessHandle.current().pid());
    private static final String A = "ctmdA" + SUFFIX, B = "ctmdB" + SUFFIX, C = "ctmdC" + SUFFIX;
    private static final int PORT = 24879;
    private static final List<Process> started = Collections.synchronizedList(new ArrayList<>());
    private static final List<Child> children = Collections.synchronizedList(new ArrayList<>());
    private static final List<String> namespaces = new ArrayList<>();
    private static Path temp;
    private static String classPath;

    @BeforeAll
    static void setUp() throws Exception {
        String uid = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Uid:")).findFirst().orElse("Uid: ?").split("\\s+")[1];
        if (!uid.equals("0")) throw new AssertionError("AdvertiserNetnsIT needs root (network namespaces); uid is " + uid);
        if (Advertisers.onPath("ip").isEmpty()) throw new AssertionError("AdvertiserNetnsIT needs iproute2's `ip` on PATH");
        temp = Files.createTempDirectory("mdns-it");
        classPath = childClassPath();
        for (String ns : List.of(A, B, C)) {
            sh("ip", "netns", "add", ns);
            namespaces.add(ns);
            sh("ip", "-n", ns, "link", "set", "lo", "up");
        }
        sh("ip", "-n", B, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0");
        sh("ip", "-n", B, "addr", "add", "10.77.0.2/24", "dev", "br0");
        sh("ip", "-n", B, "link", "set", "br0", "up");
        int host = 1;
        for (String ns : List.of(A, C)) {
            String peer = ns.equals(A) ? "pa" : "pc";
            sh("ip", "link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", peer, "netns", B);
            sh("ip", "-n", ns, "addr", "add", "10.77.0." + host + "/24", "dev", "eth0");
            sh("ip", "-n", ns, "link", "set", "eth0", "up");
            sh("ip", "-n", B, "link", "set", peer, "master", "br0");
            sh("ip", "-n", B, "link", "set", peer, "up");
            host += 2;
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        synchronized (started) {
            for (Process p : started) {
                if (p.isAlive()) {
                    p.destroy();
                    if (!p.waitFor(3, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
                }
            }
        }
        synchronized (children) {
            // for the report file: what each child said
            for (Child c : children) System.out.println("=== " + c.command + "\n" + c.output());
        }
        for (String ns : namespaces) run(List.of("ip", "netns", "del", ns));
        if (temp != null) {
            try (var files = Files.walk(temp)) {
                files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void theBuiltinResponderResolvesFromAnotherHostAndSaysGoodbye() throws Exception {
        Child adv = advertiser(A, "builtin", "Netns Speaker", Map.of());
        String[] pub = adv.await("@@PUBLISHED", 20);
        assertThat(pub[1]).isEqualTo("Netns Speaker");
        assertThat(Long.parseLong(pub[3])).as("publish blocks for at most about a second").isLessThan(1500);

        Child q = query(1);
        String[] inst = q.await("@@INSTANCE", 25);
        assertThat(inst[1]).isEqualTo("Netns Speaker");
        assertThat(inst[2]).endsWith(".local");
        assertThat(inst[3]).isEqualTo(Integer.toString(PORT));
        assertThat(inst[4]).isEqualTo("10.77.0.1");
        assertThat(inst[5].split(";")).contains("CPath=/", "VERSION=1.0", "Stack=SP");
        q.await("@@READY", 5);

        adv.closeStdin();
        adv.await("@@CLOSED", 10);
        assertThat(q.await("@@GOODBYE", 10)[1]).isEqualTo("Netns Speaker");
        assertThat(adv.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(q.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    @Order(2)
    void twoDevicesWithOneNameEndUpUnderTwoNamesAndBothResolve() throws Exception {
        Child first = advertiser(A, "builtin", "Twin", Map.of());
        assertThat(first.await("@@PUBLISHED", 20)[1]).isEqualTo("Twin");
        Child second = advertiser(C, "builtin", "Twin", Map.of());
        String[] pub = second.await("@@PUBLISHED", 20);
        assertThat(pub[1]).isEqualTo("Twin (2)");
        assertThat(second.output()).contains("the name 'Twin' is taken on the network; trying 'Twin (2)'");

        Child q = query(2);
        String[] one = q.await("@@INSTANCE", 25), two = q.await("@@INSTANCE", 5);
        Map<String, String[]> byName = Map.of(one[1], one, two[1], two);
        assertThat(byName.keySet()).containsExactlyInAnyOrder("Twin", "Twin (2)");
        assertThat(byName.get("Twin")[4]).isEqualTo("10.77.0.1");
        assertThat(byName.get("Twin (2)")[4]).isEqualTo("10.77.0.3");
        // one host name each: the same machine name in both namespaces, so one took "-2"
        assertThat(byName.get("Twin")[2]).isNotEqualTo(byName.get("Twin (2)")[2]);
        first.closeStdin();
        second.closeStdin();
        first.await("@@CLOSED", 10);
        second.await("@@CLOSED", 10);
        q.await("@@DONE", 15);
    }

    @Test
    @Order(3)
    void withAvahiRunningAutoPublishesThroughItAndOpensNoMdnsSocket() throws Exception {
        for (String exe : List.of("avahi-daemon", "avahi-publish", "dbus-daemon", "dbus-send", "unshare")) {
            if (Advertisers.onPath(exe).isEmpty()) {
                throw new AssertionError(exe + " is missing: install avahi-daemon, avahi-utils, dbus (and util-linux); .ci/run does");
            }
        }
        // a private system bus for this namespace only
        Path bus = temp.resolve("system_bus_socket");
        Path busConf = temp.resolve("bus.conf");
        Files.writeString(busConf, """
                <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
                 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
                <busconfig>
                  <type>system</type>
                  <listen>unix:path=%s</listen>
                  <auth>EXTERNAL</auth>
                  <policy context="default">
                    <allow user="*"/>
                    <allow own="*"/>
                    <allow send_destination="*"/>
                    <allow receive_sender="*"/>
                  </policy>
                </busconfig>
                """.formatted(bus));
        Path avahiConf = temp.resolve("avahi-daemon.conf");
        Files.writeString(avahiConf, """
                [server]
                host-name=avahi-in-a
                use-ipv4=yes
                use-ipv6=no
                allow-interfaces=eth0
                enable-dbus=yes
                [publish]
                publish-workstation=no
                publish-hinfo=no
                """);
        String busAddress = "unix:path=" + bus;
        Child dbus = start(List.of("ip", "netns", "exec", A, "dbus-daemon", "--config-file=" + busConf, "--nofork"), Map.of());
        waitFor(() -> Files.exists(bus), 5, "the private D-Bus socket " + bus);
        // its own mount namespace: avahi's pid file and socket under /run stay private to this test
        Child avahi = start(List.of("ip", "netns", "exec", A, "unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mkdir -p /run/avahi-daemon && mount -t tmpfs tmpfs /run/avahi-daemon && exec avahi-daemon"
                        + " --no-drop-root --no-chroot --no-rlimits -f " + avahiConf), Map.of("DBUS_SYSTEM_BUS_ADDRESS", busAddress));
        avahi.awaitText("Server startup complete", 10);

        Child adv = advertiser(A, "auto", "Avahi Speaker", Map.of("DBUS_SYSTEM_BUS_ADDRESS", busAddress));
        String[] pub = adv.await("@@PUBLISHED", 20);
        assertThat(pub[1]).isEqualTo("Avahi Speaker");
        assertThat(pub[2]).isEqualTo("avahi-daemon");
        assertThat(adv.output()).contains("zeroconf: avahi-daemon (avahi-daemon is on the D-Bus system bus)");

        Set<String> mdnsSockets = udp5353Inodes(avahi.process.pid());
        assertThat(mdnsSockets).as("avahi-daemon's UDP 5353 sockets in A").isNotEmpty();
        assertThat(socketInodes(adv.process.pid())).as("our process opens no UDP 5353 socket")
                .doesNotContainAnyElementsOf(mdnsSockets);

        Child q = query(1);
        String[] inst = q.await("@@INSTANCE", 25);
        assertThat(inst[1]).isEqualTo("Avahi Speaker");
        assertThat(inst[2]).isEqualTo("avahi-in-a.local");
        assertThat(inst[3]).isEqualTo(Integer.toString(PORT));
        assertThat(inst[4]).isEqualTo("10.77.0.1");
        assertThat(inst[5].split(";")).contains("CPath=/", "VERSION=1.0", "Stack=SP");
        q.await("@@READY", 5);

        // a second device under the same name in the same avahi-daemon (another port, so other
        // data: identical records would be no conflict): "Avahi Speaker (2)"
        Child twin = advertiser(A, "avahi", "Avahi Speaker", PORT + 1, Map.of("DBUS_SYSTEM_BUS_ADDRESS", busAddress));
        assertThat(twin.await("@@PUBLISHED", 20)[1]).isEqualTo("Avahi Speaker (2)");
        twin.closeStdin();
        twin.await("@@CLOSED", 10);

        adv.closeStdin();
        adv.await("@@CLOSED", 10);
        // the twin's goodbye may come first
        String[] bye = q.await("@@GOODBYE", 10);
        if (!bye[1].equals("Avahi Speaker")) bye = q.await("@@GOODBYE", 10);
        assertThat(bye[1]).isEqualTo("Avahi Speaker");
        avahi.process.destroy();
        dbus.process.destroy();
        assertThat(avahi.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(dbus.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    @Order(4)
    void aReannounceAfterAnAddressChangeCarriesTheNewAddress() throws Exception {
        Child adv = advertiser(A, "builtin", "Moving Speaker", Map.of());
        adv.await("@@PUBLISHED", 20);
        sh("ip", "-n", A, "addr", "add", "10.77.0.11/24", "dev", "eth0");
        try {
            adv.process.getOutputStream().write('\n'); // AdvertiserMain: any byte on stdin re-announces
            adv.process.getOutputStream().flush();

            Child q = query(1);
            String[] inst = q.await("@@INSTANCE", 25);
            assertThat(inst[1]).isEqualTo("Moving Speaker");
            assertThat(inst[4].split(",")).contains("10.77.0.1", "10.77.0.11");
        } finally {
            adv.closeStdin();
            adv.await("@@CLOSED", 10);
            sh("ip", "-n", A, "addr", "del", "10.77.0.11/24", "dev", "eth0");
        }
    }

    /**
     * The built launcher's receiver in Zeroconf mode on one host; from the other, a separate mDNS
     * client resolves its advert to the host's address and the configured port, and a phone's
     * getInfo reaches the endpoint there. SIGTERM withdraws the advert (goodbye).
     */
    @Test
    @Order(5)
    void theBuiltAppIsFoundFromAnotherHostAndAnswersGetInfoOnTheConfiguredPort() throws Exception {
        Path launcher = Path.of(System.getProperty("connecttray.appImage", "target/connect-tray"), "bin", "connect-tray");
        assertThat(launcher).as("the app image (mvn package)").isExecutable();
        Path home = Files.createDirectories(temp.resolve("app-home"));
        Path config = home.resolve("config.json");
        Files.writeString(config, """
                {
                  "version": 1,
                  "deviceName": "Netns Tray",
                  "auth": { "mode": "zeroconf" },
                  "zeroconf": { "port": %d, "backend": "builtin" },
                  "audio": { "output": "pipe", "pipe": "audio.pcm" }
                }
                """.formatted(PORT));
        Map<String, String> env = Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", home.resolve("config").toString(),
                "XDG_STATE_HOME", home.resolve("state").toString(), "JAVA_TOOL_OPTIONS", "");
        Child app = start(List.of("ip", "netns", "exec", A, launcher.toAbsolutePath().toString(), "receiver",
                "--config", config.toString()), env);
        app.awaitText("Advertising \"Netns Tray\"", 30);

        Child q = query(1);
        String[] inst = q.await("@@INSTANCE", 25);
        assertThat(inst[1]).isEqualTo("Netns Tray");
        assertThat(inst[2]).endsWith(".local");
        assertThat(inst[3]).isEqualTo(Integer.toString(PORT));
        assertThat(inst[4]).isEqualTo("10.77.0.1");
        q.await("@@READY", 5);

        Child info = start(List.of("ip", "netns", "exec", B, java(), "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp",
                classPath, GetInfoMain.class.getName(), inst[4], inst[3]), Map.of());
        assertThat(info.await("@@INFO", 20)[1]).isEqualTo("Netns Tray");

        app.process.destroy(); // SIGTERM: a clean stop withdraws the advert
        assertThat(q.await("@@GOODBYE", 15)[1]).isEqualTo("Netns Tray");
        assertThat(app.process.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(app.process.exitValue()).isZero();
    }

    // ---- helpers ----

    private static Child advertiser(String ns, String backend, String name, Map<String, String> env) throws IOException {
        return advertiser(ns, backend, name, PORT, env);
    }

    private static Child advertiser(String ns, String backend, String name, int port, Map<String, String> env) throws IOException {
        return start(List.of("ip", "netns", "exec", ns, java(), "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", classPath,
                AdvertiserMain.class.getName(), backend, name, Integer.toString(port)), env);
    }

    private static Child query(int expected) throws IOException {
        return start(List.of("ip", "netns", "exec", B, java(), "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", classPath,
                MdnsQuery.class.getName(), "20", Integer.toString(expected), "15"), Map.of());
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The test class path for a child JVM; failsafe may hand us a manifest-only booter jar. */
    static String childClassPath() throws IOException {
        String cp = System.getProperty("java.class.path");
        String[] parts = cp.split(java.io.File.pathSeparator);
        if (parts.length == 1 && parts[0].endsWith(".jar")) {
            Path jar = Path.of(parts[0]).toAbsolutePath();
            try (JarFile jf = new JarFile(jar.toFile())) {
                String manifestCp = jf.getManifest() == null ? null : jf.getManifest().getMainAttributes().getValue("Class-Path");
                if (manifestCp != null && !manifestCp.isBlank()) {
                    URI base = jar.getParent().toUri();
                    return Arrays.stream(manifestCp.trim().split("\\s+"))
                            .map(u -> Path.of(base.resolve(u)).toString())
                            .collect(Collectors.joining(java.io.File.pathSeparator));
                }
            }
        }
        return cp;
    }

    /** inodes of the UDP sockets bound to port 5353 in the process's network namespace. */
    private static Set<String> udp5353Inodes(long pid) throws IOException {
        Set<String> out = new HashSet<>();
        for (String table : List.of("udp", "udp6")) {
            Path f = Path.of("/proc", Long.toString(pid), "net", table);
            if (!Files.exists(f)) continue;
            for (String line : Files.readAllLines(f)) {
                String[] c = line.trim().split("\\s+");
                if (c.length > 9 && c[1].endsWith(":14E9")) out.add(c[9]);
            }
        }
        return out;
    }

    /** inodes of all sockets the process has open. */
    private static Set<String> socketInodes(long pid) throws IOException {
        Set<String> out = new HashSet<>();
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) out.add(target.substring(8, target.length() - 1));
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        return out;
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(Check c, long seconds, String what) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!c.ok()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(50);
        }
    }

    private static void sh(String... cmd) throws Exception {
        String out = run(List.of(cmd));
        if (out != null) throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
    }

    /** null when the command succeeded, else its output. */
    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out";
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
    }

    private static Child start(List<String> cmd, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        Child c = new Child(p, String.join(" ", cmd));
        children.add(c);
        return c;
    }

    /** A child process whose output lines are kept and can be waited for. */
    private static final class Child {
        final Process process;
        final String command;
        final LinkedBlockingQueue<String> protocol = new LinkedBlockingQueue<>();
        final List<String> all = Collections.synchronizedList(new ArrayList<>());

        Child(Process process, String command) {
            this.process = process;
            this.command = command;
            Thread t = new Thread(() -> {
                try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        all.add(line);
                        if (line.startsWith("@@")) protocol.add(line);
                    }
                } catch (IOException e) {
                    // ended
                }
            }, "child-output");
            t.setDaemon(true);
            t.start();
        }

        String output() {
            synchronized (all) {
                return String.join("\n", all);
            }
        }

        String[] await(String prefix, long seconds) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (true) {
                String line = protocol.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) throw new AssertionError("no " + prefix + " within " + seconds + " s from " + command + "; its output:\n" + output());
                if (line.startsWith(prefix + "\t") || line.equals(prefix)) return line.split("\t");
            }
        }

        void awaitText(String text, long seconds) throws Exception {
            waitFor(() -> output().contains(text), seconds, "'" + text + "' from " + command + "; its output:\n" + output());
        }

        void closeStdin() throws IOException {
            OutputStream o = process.getOutputStream();
            o.close();
        }
    }
}
