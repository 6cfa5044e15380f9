package dev.connecttray.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.connecttray.os.CommandRunner.Result;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs({OS.LINUX, OS.MAC})
class CommandRunnerTest {

    @Test
    void aCommandThatHangsIsKilledAndReportedAsTimedOut() throws Exception {
        long start = System.nanoTime();
        Result result = CommandRunner.PROCESSES.run(List.of("sleep", "10"), Map.of(), Duration.ofMillis(200));
        assertThat(result).isEqualTo(new Result(-1, "", true));
        assertThat(result.succeeded()).isFalse();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5000);
    }

    @Test
    void aMissingCommandCannotStart() {
        assertThatThrownBy(() -> CommandRunner.PROCESSES_OUTPUT_ONLY.run(List.of("connect-tray-no-such-command"),
                Map.of(), Duration.ofSeconds(2))).isInstanceOf(IOException.class);
    }

    @Test
    void theOutputAndTheExitCodeComeBackWithTheEnvironmentAdded() throws Exception {
        Result result = CommandRunner.PROCESSES.run(List.of("sh", "-c", "echo \"$WORD\"; exit 3"),
                Map.of("WORD", "'prefer-dark'"), Duration.ofSeconds(5));
        assertThat(result).isEqualTo(new Result(3, "'prefer-dark'\n", false));
        assertThat(result.succeeded()).isFalse();
    }

    @Test
    void errorsAreReadWithTheOutputOrDropped() throws Exception {
        List<String> command = List.of("sh", "-c", "echo warning >&2; echo answer");
        assertThat(CommandRunner.PROCESSES.run(command, Map.of(), Duration.ofSeconds(5)).output())
                .contains("warning").contains("answer");
        assertThat(CommandRunner.PROCESSES_OUTPUT_ONLY.run(command, Map.of(), Duration.ofSeconds(5)))
                .isEqualTo(new Result(0, "answer\n", false));
    }
}
