package dev.connecttray.receiver;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class LibraryWarmUpTest {
    @Test
    void warmingUpTouchesNoNetworkAndNeverThrows() {
        // Every class it names must exist: a typo would silently make it useless.
        assertThatCode(() -> {
            for (String name : LibraryWarmUp.classNames()) Class.forName(name, false, getClass().getClassLoader());
        }).doesNotThrowAnyException();
        assertThatCode(LibraryWarmUp::run).doesNotThrowAnyException();
    }
}
