package dev.connecttray.engine.soloist;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactionTest {
    private final Redaction r = new Redaction("s3cr3tKEY");

    @Test
    void theKeyIsReplacedWhereverItIs() {
        assertThat(r.apply("[I] using key s3cr3tKEY, again s3cr3tKEY")).isEqualTo("[I] using key [API key], again [API key]");
        assertThat(r.apply("nothing here")).isEqualTo("nothing here");
        assertThat(new Redaction(null).apply("s3cr3tKEY")).isEqualTo("s3cr3tKEY");
    }

    @Test
    void aCommandLineIsLoggedWithoutTheKey() {
        assertThat(r.commandLine(List.of("/opt/soloist", "-n", "Den", "-k", "s3cr3tKEY", "--ws", "127.0.0.1:0")))
                .isEqualTo("/opt/soloist -n Den -k [API key] --ws 127.0.0.1:0");
        assertThat(r.commandLine(List.of("soloist", "--api-key", "other", "--api-key=x", "-D", "/s3cr3tKEY")))
                .isEqualTo("soloist --api-key [API key] --api-key=[API key] -D /[API key]");
    }
}
