package dev.connecttray.os;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class PlatformTest {

    @Test
    void eachSystemIsKnownByTheNameJavaGivesIt() {
        assertThat(Platform.of("Linux").isLinux()).isTrue();
        assertThat(Platform.of("Linux").isWindows() || Platform.of("Linux").isMac()).isFalse();
        assertThat(Platform.of("Mac OS X").isMac()).isTrue();
        assertThat(Platform.of("Windows 11").isWindows()).isTrue();
        assertThat(Platform.of("Windows Server 2022").isWindows()).isTrue();
        Platform bsd = Platform.of("FreeBSD");
        assertThat(bsd.isLinux() || bsd.isMac() || bsd.isWindows()).as("another Unix is none of the three").isFalse();
    }

    @Test
    void theVersionLineShowsTheNameInLowerCase() {
        assertThat(Platform.of("Mac OS X").lowerCase()).isEqualTo("mac os x");
        assertThat(Platform.of("Mac OS X")).hasToString("Mac OS X");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void thisMachineIsLinux() {
        assertThat(Platform.current().isLinux()).isTrue();
    }
}
