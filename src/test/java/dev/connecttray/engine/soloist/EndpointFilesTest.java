package dev.connecttray.engine.soloist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where Soloist's WebSocket listens, from the ws.addr/ws.port files it writes; loopback only. */
class EndpointFilesTest {
    @TempDir
    Path dir;

    private SoloistRun.Endpoint read(String addr, String port) throws Exception {
        Files.deleteIfExists(dir.resolve("ws.addr"));
        Files.deleteIfExists(dir.resolve("ws.port"));
        if (addr != null) Files.writeString(dir.resolve("ws.addr"), addr);
        if (port != null) Files.writeString(dir.resolve("ws.port"), port);
        return SoloistRun.readEndpoint(dir).orElse(null);
    }

    @Test
    void readsTheAddressAndThePortInTheirForms() throws Exception {
        assertThat(read("127.0.0.1\n", "41234\n")).isEqualTo(new SoloistRun.Endpoint("127.0.0.1", 41234));
        assertThat(read("127.0.0.1:41234", null)).isEqualTo(new SoloistRun.Endpoint("127.0.0.1", 41234));
        assertThat(read(null, "41234")).isEqualTo(new SoloistRun.Endpoint("127.0.0.1", 41234));
        assertThat(read("[::1]:5000", null)).isEqualTo(new SoloistRun.Endpoint("::1", 5000));
    }

    @Test
    void halfWrittenOrMissingFilesAreNotAnEndpointYet() throws Exception {
        assertThat(read(null, null)).isNull();
        assertThat(read("127.0.0.1", "")).isNull();
        assertThat(read("127.0.0.1", "0")).isNull();
        assertThat(read("127.0.0.1", "99999")).isNull();
    }

    @Test
    void onlyALiteralLoopbackAddressIsTrusted() throws Exception {
        assertThat(read("127.0.0.1", "1").loopback()).isTrue();
        assertThat(read("::1", "1").loopback()).isTrue();
        assertThat(read("192.168.1.5", "1").loopback()).isFalse();
        assertThat(read("0.0.0.0", "1").loopback()).isFalse();
        assertThat(read("localhost", "1").loopback()).isFalse();
    }
}
