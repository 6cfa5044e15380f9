package dev.connecttray.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.connecttray.core.AfterGiveUp;
import dev.connecttray.core.RetrySettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
    @Test
    void theChildGetsTheParentsSettingsExactlyAndTheAttemptsSpent() {
        RetrySettings odd = new RetrySettings(Duration.ofMillis(1500), Duration.ofMillis(61_234), 1.7, 0.35, 7,
                Duration.ofSeconds(45), Duration.ofMinutes(3), AfterGiveUp.COOLDOWN);
        RetryBudget sent = new RetryBudget(odd, 4);
        assertThat(RetryBudget.decode(sent.encode())).isEqualTo(sent);
    }

    @Test
    void aBudgetThatDoesNotFitItsSettingsOrIsNotOneIsRefusedInWords() {
        String overspent = new RetryBudget(RetrySettings.defaults(AfterGiveUp.EXIT), 9).encode()
                .replace("\"attemptsUsed\":9", "\"attemptsUsed\":10");
        assertThatThrownBy(() -> RetryBudget.decode(overspent)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("attemptsUsed must be from 0 to 9");
        assertThatThrownBy(() -> RetryBudget.decode("{\"attemptsUsed\":1}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"initialDelayMs\" is missing");
        assertThatThrownBy(() -> RetryBudget.decode("three")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a retry budget");
    }
}
