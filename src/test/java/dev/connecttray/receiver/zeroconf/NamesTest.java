package dev.connecttray.receiver.zeroconf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NamesTest {

    @Test
    void hostNamesBecomeOneDnsLabel() {
        assertThat(Names.hostLabel("vm")).isEqualTo("vm");
        assertThat(Names.hostLabel("vm.example.org")).isEqualTo("vm");
        assertThat(Names.hostLabel("Alice's MacBook Pro")).isEqualTo("Alice-s-MacBook-Pro");
        assertThat(Names.hostLabel("  -_weird__name_- ")).isEqualTo("weird-name");
        assertThat(Names.hostLabel("")).isEqualTo("connect-tray");
        assertThat(Names.hostLabel(null)).isEqualTo("connect-tray");
        assertThat(Names.hostLabel("x".repeat(80))).hasSize(63);
    }

    @Test
    void aTakenInstanceNameGetsANumber() {
        assertThat(Names.nextInstanceName("Connect Tray (vm)")).isEqualTo("Connect Tray (vm) (2)");
        assertThat(Names.nextInstanceName("Kitchen")).isEqualTo("Kitchen (2)");
        assertThat(Names.nextInstanceName("Kitchen (2)")).isEqualTo("Kitchen (3)");
        assertThat(Names.nextInstanceName("Kitchen (9)")).isEqualTo("Kitchen (10)");
    }

    @Test
    void aNumberedNameStillFitsOneLabel() {
        String next = Names.nextInstanceName("é".repeat(40));
        assertThat(next.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63);
        assertThat(next).endsWith(" (2)");
        assertThat(Names.instanceLabel("n".repeat(100))).hasSize(63);
    }

    @Test
    void aTakenHostNameGetsANumber() {
        assertThat(Names.nextHostLabel("vm")).isEqualTo("vm-2");
        assertThat(Names.nextHostLabel("vm-2")).isEqualTo("vm-3");
        assertThat(Names.nextHostLabel("x".repeat(63))).hasSize(63).endsWith("-2");
    }
}
