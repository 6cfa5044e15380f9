package dev.connecttray.engine.soloist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcessGroupTest {
    @Test
    void readsSessionAndGroupAfterACommandNameWithSpacesAndBrackets() {
        assertThat(ProcessGroup.parseStat("4242 (soloist (crash) handler) S 1 4200 4100 0 -1 4194560 97 0 0 0"))
                .hasValueSatisfying(ids -> assertThat(ids).containsExactly(4100L, 4200L));
        assertThat(ProcessGroup.parseStat("garbage")).isEmpty();
    }

    @Test
    void findsThisProcessAsAMemberOfItsOwnGroup() {
        long self = ProcessHandle.current().pid();
        long[] ids = ProcessGroup.sessionAndGroup(Path.of("/proc", Long.toString(self)));
        assertThat(ids).hasSize(2);
        assertThat(new ProcessGroup(ids[1]).members()).extracting(ProcessHandle::pid).contains(self);
    }
}
