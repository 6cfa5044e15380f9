package dev.connecttray.engine.golibrespot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogLineTest {

    @Test
    void readsLogrusTextLines() {
        LogLine line = LogLine.parse("time=\"2026-12-05T15:00:00Z\" level=fatal msg=\"failed running zeroconf\" "
                + "error=\"failed getting endpoints from resolver: failed fetching apresolve URL: Get "
                + "\\\"https://apresolve.spotify.com/\\\": dial tcp: lookup apresolve.spotify.com: no such host\"");

        assertThat(line.level()).isEqualTo("fatal");
        assertThat(line.fatal()).isTrue();
        assertThat(line.msg()).isEqualTo("failed running zeroconf");
        assertThat(line.fields()).containsKey("error").doesNotContainKey("time");
        assertThat(line.text()).isEqualTo("failed running zeroconf: failed getting endpoints from resolver: failed "
                + "fetching apresolve URL: Get \"https://apresolve.spotify.com/\": dial tcp: lookup "
                + "apresolve.spotify.com: no such host");
    }

    @Test
    void findsTheApiPortInItsListeningLine() {
        assertThat(LogLine.parse("time=\"2026-12-05T15:00:00Z\" level=info msg=\"api server listening on "
                + "127.0.0.1:41234\"").apiPort()).contains(41234);
        assertThat(LogLine.parse("level=info msg=\"api server listening on [::1]:5000\"").apiPort()).contains(5000);
        assertThat(LogLine.parse("level=info msg=\"api server listening on localhost:3678\"").apiPort()).contains(3678);
        assertThat(LogLine.parse("level=info msg=\"zeroconf server listening on port 24879\"").apiPort()).isEmpty();
        assertThat(LogLine.parse("level=info msg=\"api server listening on 127.0.0.1:0\"").apiPort()).isEmpty();
    }

    @Test
    void findsTheVersionInItsFirstLine() {
        assertThat(LogLine.parse("time=\"2026-12-05T15:00:00Z\" level=info msg=\"running go-librespot v0.9.0\"")
                .version()).contains("v0.9.0");
        assertThat(LogLine.parse("level=info msg=\"api server listening on 127.0.0.1:1\"").version()).isEmpty();
    }

    @Test
    void aPlainLineIsKeptWholeAndOnlyCouldNotStartOrAPanicCountsAsFatal() {
        LogLine lock = LogLine.parse("could not start: go-librespot is already running (lockfile: /s/lockfile)");
        assertThat(lock.level()).isNull();
        assertThat(lock.fatal()).isTrue();
        assertThat(lock.text()).isEqualTo("could not start: go-librespot is already running (lockfile: /s/lockfile)");

        LogLine panic = LogLine.parse("panic: runtime error: invalid memory address or nil pointer dereference");
        assertThat(panic.level()).isNull();
        assertThat(panic.fatal()).as("Go's runtime panic, exit 2").isTrue();
        assertThat(LogLine.parse("goroutine 42 [running]:").fatal()).isFalse();
        assertThat(LogLine.parse("time=\"x\" level=warning msg=\"retrying\"").warning()).isTrue();
        assertThat(LogLine.parse("msg=\"unterminated").level()).isNull();
    }
}
