package dev.connecttray.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AfterGiveUpTest {

    @Test
    void eachValueIsReadBackFromItsOneSpelling() {
        for (AfterGiveUp a : AfterGiveUp.values()) {
            assertThat(AfterGiveUp.ofConfigName(a.configName())).isEqualTo(a);
            assertThat(AfterGiveUp.ofConfigName(" " + a.configName().toUpperCase() + " ")).isEqualTo(a);
        }
        assertThat(AfterGiveUp.COOLDOWN.configName()).isEqualTo("cooldown");
        assertThat(AfterGiveUp.EXIT.configName()).isEqualTo("exit");
    }

    @Test
    void anUnknownSpellingNamesTheAllowedOnes() {
        assertThatThrownBy(() -> AfterGiveUp.ofConfigName("restart"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("afterGiveUp must be one of \"cooldown\", \"exit\", got \"restart\"");
    }
}
