package dev.connecttray.fakeengines;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Properties;

/**
 * The fake {@code soloist} as an executable: a {@code #!/bin/sh} script that execs this JVM's java
 * with the test class path and {@link FakeSoloist}, plus the properties file the fake reads at every
 * start. Also the test's side of the fake's control port.
 */
public final class FakeSoloistScript {
    private final Path executable;
    private final Path configFile;
    private final Properties config = new Properties();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .proxy(HttpClient.Builder.NO_PROXY).build(); // loopback only: never through a proxy

    private FakeSoloistScript(Path executable, Path configFile) {
        this.executable = executable;
        this.configFile = configFile;
    }

    /** Writes {@code dir/soloist} and its (empty) properties. */
    public static FakeSoloistScript create(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path exe = dir.resolve("soloist");
        Path cfg = dir.resolve("fake-soloist.properties");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(exe, "#!/bin/sh\n"
                + "exec " + quote(java) + " -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx64m"
                + " -Dfakesoloist.config=" + quote(cfg.toString())
                + " -cp " + quote(System.getProperty("java.class.path"))
                + " " + FakeSoloist.class.getName() + " \"$@\"\n");
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwx------"));
        FakeSoloistScript script = new FakeSoloistScript(exe, cfg);
        script.save();
        return script;
    }

    public Path executable() {
        return executable;
    }

    /** Sets a property for the fake's next start (see {@link FakeSoloist}); null removes it. */
    public FakeSoloistScript set(String key, String value) throws IOException {
        if (value == null) config.remove(key);
        else config.setProperty(key, value);
        save();
        return this;
    }

    private void save() throws IOException {
        try (Writer w = Files.newBufferedWriter(configFile)) {
            config.store(w, "fake soloist");
        }
    }

    /** GET on the control port of the fake running with {@code dataDir}; returns the body. */
    public static String control(Path dataDir, String path) throws IOException, InterruptedException {
        String port = Files.readString(dataDir.resolve(FakeSoloist.CONTROL_PORT_FILE)).strip();
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) throw new IOException("fake soloist " + path + ": " + r.statusCode() + " " + r.body());
        return r.body();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
