package dev.connecttray.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ConnectionState.Connected;
import dev.connecttray.core.ConnectionState.Connecting;
import dev.connecttray.core.ConnectionState.Failed;
import dev.connecttray.core.ConnectionState.Retrying;
import dev.connecttray.core.ConnectionState.Starting;
import dev.connecttray.core.ConnectionState.Stopped;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import dev.connecttray.ipc.Event;
import dev.connecttray.ipc.JsonLines;
import dev.connecttray.core.StateChange;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateHistoryTest {
    private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
    private static final Failure REFUSED = Failure.transientFailure("Connection refused", "ConnectException");

    @TempDir
    Path dir;

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private StateHistory open() throws Exception {
        return StateHistory.open(dir, StateHistory.DEFAULT_MAX_ENTRIES, StateHistory.DEFAULT_MAX_FILE_BYTES);
    }

    private static String line(Instant time, ConnectionState state) {
        return JsonLines.encode(new Event.StateChanged(time, state));
    }

    @Test
    void whatWasRecordedIsThereAfterReopeningInOrder() throws Exception {
        List<StateChange> recorded = List.of(
                new StateChange(at(0), new Starting()),
                new StateChange(at(1), new Connecting(1, 10)),
                new StateChange(at(2), new Retrying(2, 10, at(3), REFUSED)),
                new StateChange(at(3), new Connected("alice", at(3))),
                new StateChange(at(9), new Stopped()));
        StateHistory h = open();
        recorded.forEach(e -> h.record(e.time(), e.state()));
        h.close();

        StateHistory reopened = open();
        assertThat(reopened.entries()).isEqualTo(recorded);
        assertThat(StateHistory.read(dir, 100)).isEqualTo(recorded);
        assertThat(StateHistory.read(dir, 2)).isEqualTo(recorded.subList(3, 5));
    }

    @Test
    void memoryKeepsTheNewestMaxEntries() throws Exception {
        StateHistory h = StateHistory.open(dir, 3, StateHistory.DEFAULT_MAX_FILE_BYTES);
        for (int i = 0; i < 5; i++) h.record(at(i), new Connecting(i + 1, 10));

        assertThat(h.entries()).extracting(StateChange::time).containsExactly(at(2), at(3), at(4));
        h.close();
        // The file holds all five; loading keeps the newest three.
        assertThat(StateHistory.open(dir, 3, StateHistory.DEFAULT_MAX_FILE_BYTES).entries())
                .extracting(StateChange::time).containsExactly(at(2), at(3), at(4));
    }

    @Test
    void aFullFileIsRotatedAndReadingSpansBothFiles() throws Exception {
        long maxBytes = 1000; // four lines of about 220 bytes
        StateHistory h = StateHistory.open(dir, 1000, maxBytes);
        List<StateChange> recorded = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            StateChange e = new StateChange(at(i), new Retrying(i + 2, 99, at(i + 1), REFUSED));
            recorded.add(e);
            h.record(e.time(), e.state());
            assertThat(Files.size(dir.resolve(StateHistory.FILE_NAME))).isLessThanOrEqualTo(maxBytes);
        }
        h.close();

        Path current = dir.resolve(StateHistory.FILE_NAME);
        Path rotated = dir.resolve(StateHistory.ROTATED_FILE_NAME);
        assertThat(rotated).exists();
        assertThat(Files.size(rotated)).isLessThanOrEqualTo(maxBytes);
        List<String> currentLines = Files.readAllLines(current);
        assertThat(currentLines).hasSizeBetween(1, 29);
        assertThat(currentLines.get(currentLines.size() - 1)).isEqualTo(line(at(29), recorded.get(29).state()));

        List<StateChange> read = StateHistory.read(dir, 1000);
        int rotatedLines = Files.readAllLines(rotated).size();
        assertThat(read).hasSize(rotatedLines + currentLines.size());
        // What is left is the newest part of what was recorded, in order, across both files.
        assertThat(read).isEqualTo(recorded.subList(30 - read.size(), 30));
        assertThat(read.size()).isGreaterThan(currentLines.size());
        assertThat(StateHistory.read(dir, 3)).isEqualTo(recorded.subList(27, 30));
        // Memory was not cut by the rotation.
        assertThat(h.entries()).isEqualTo(recorded);
    }

    @Test
    void aMalformedLineIsSkippedAndTheRestLoaded() throws Exception {
        Files.writeString(dir.resolve(StateHistory.FILE_NAME), String.join("\n",
                line(at(0), new Starting()),
                "not json at all",
                "{\"type\":\"state\",\"time\":\"2026-01-01T12:00:01Z\",\"state\":\"Martian\"}",
                JsonLines.encode(new Event.Heartbeat(at(1), 42)),
                "",
                line(at(2), new Connecting(1, 10))) + "\n");

        assertThat(open().entries()).extracting(StateChange::time).containsExactly(at(0), at(2));
        assertThat(StateHistory.read(dir, 10)).extracting(StateChange::time).containsExactly(at(0), at(2));
    }

    @Test
    void aLineTornByACrashDoesNotSwallowTheNextRecord() throws Exception {
        String torn = line(at(1), new Connecting(1, 10));
        Files.writeString(dir.resolve(StateHistory.FILE_NAME),
                line(at(0), new Starting()) + "\n" + torn.substring(0, torn.length() / 2));
        StateHistory h = open();
        h.record(at(5), new Stopped());
        h.close();

        assertThat(StateHistory.read(dir, 10)).extracting(StateChange::time).containsExactly(at(0), at(5));
    }

    @Test
    void badUtf8SpoilsOnlyItsOwnLine() throws Exception {
        byte[] good = (line(at(0), new Starting()) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] bad = {'{', (byte) 0xC3, (byte) 0x28, '\n'};
        byte[] good2 = (line(at(2), new Stopped()) + "\n").getBytes(StandardCharsets.UTF_8);
        Path f = dir.resolve(StateHistory.FILE_NAME);
        Files.write(f, good);
        Files.write(f, bad, java.nio.file.StandardOpenOption.APPEND);
        Files.write(f, good2, java.nio.file.StandardOpenOption.APPEND);

        assertThat(open().entries()).extracting(StateChange::time).containsExactly(at(0), at(2));
    }

    @Test
    void theFileIsOwnerOnly() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        StateHistory h = StateHistory.open(dir, 100, 200);
        for (int i = 0; i < 10; i++) h.record(at(i), new Starting());
        h.close();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(StateHistory.FILE_NAME))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve(StateHistory.ROTATED_FILE_NAME)))).isEqualTo("rw-------");
    }

    @Test
    void readingAnEmptyOrMissingFolderGivesNothingAndWritesNothing() throws Exception {
        assertThat(StateHistory.read(dir, 10)).isEmpty();
        assertThat(StateHistory.read(dir.resolve("missing"), 10)).isEmpty();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void openingAMissingFolderFails() {
        assertThatThrownBy(() -> StateHistory.open(dir.resolve("missing"), 10, 1000))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void aFailedStateRoundTripsWithItsCauseAndExitStatus() throws Exception {
        Failed failed = new Failed(Failure.permanent("Spotify rejected the stored credentials", "BadCredentials"),
                ExitStatus.NOPERM);
        StateHistory h = open();
        h.record(at(7), failed);
        h.close();

        StateChange e = StateHistory.read(dir, 1).get(0);
        assertThat(e).isEqualTo(new StateChange(at(7), failed));
        Failed back = (Failed) e.state();
        assertThat(back.cause().message()).isEqualTo("Spotify rejected the stored credentials");
        assertThat(back.cause().detail()).isEqualTo("BadCredentials");
        assertThat(back.exitStatus()).isEqualTo(ExitStatus.NOPERM);
    }

    @Test
    void aWriteErrorKeepsTheHistoryInMemoryAndTheFileIsTriedAgainLater() throws Exception {
        Path state = Files.createDirectory(dir.resolve("state"));
        StateHistory h = StateHistory.open(state, 100, 10_000);
        Files.delete(state); // the file cannot be created now

        h.record(at(0), new Starting());
        assertThat(h.entries()).extracting(StateChange::time).containsExactly(at(0));

        Files.createDirectory(state);
        h.record(at(1), new Stopped());
        h.close();
        assertThat(h.entries()).extracting(StateChange::time).containsExactly(at(0), at(1));
        assertThat(StateHistory.read(state, 10)).extracting(StateChange::time).containsExactly(at(1));
    }

    @Test
    void afterCloseRecordsStayInMemoryOnly() throws Exception {
        StateHistory h = open();
        h.record(at(0), new Starting());
        h.close();
        h.record(at(1), new Stopped());

        assertThat(h.entries()).hasSize(2);
        assertThat(StateHistory.read(dir, 10)).hasSize(1);
    }

    @Test
    void limitsThatAreNotPositiveAreRefused() {
        assertThatThrownBy(() -> StateHistory.open(dir, 0, 1000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxEntries");
        assertThatThrownBy(() -> StateHistory.open(dir, 10, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxFileBytes");
        assertThatThrownBy(() -> StateHistory.read(dir, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void symlinkedHistoryIsNotAppendedTo() throws Exception {
        Path target = dir.resolveSibling(dir.getFileName() + "-elsewhere.txt");
        Files.writeString(target, "someone else's file\n");
        try {
            Files.createSymbolicLink(dir.resolve(StateHistory.FILE_NAME), target);
            StateHistory h = open();
            h.record(at(0), new Connected("alice", at(0)));
            h.close();
            assertThat(Files.readString(target)).isEqualTo("someone else's file\n");
            assertThat(h.entries()).hasSize(1); // kept in memory, as for any write error
            assertThatThrownBy(() -> StateHistory.read(dir, 10)).hasMessageContaining(StateHistory.FILE_NAME)
                    .hasMessageContaining("symbolic link");
        } finally {
            Files.deleteIfExists(target);
        }
    }

    @Test
    void aHugeLineIsSkippedWithoutHoldingItAndTheRestIsRead() throws Exception {
        Path file = dir.resolve(StateHistory.FILE_NAME);
        try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(line(at(0), new Starting()) + "\n");
            // A valid state line, only far longer than any line we write: without a bound it would be loaded.
            String huge = line(at(1), new Retrying(1, 10, at(2), Failure.transientFailure("x".repeat(3_000_000), "")));
            out.write(huge + "\n");
            out.write(line(at(2), new Connected("alice", at(2))) + "\n");
        }
        assertThat(StateHistory.read(dir, 10)).extracting(StateChange::time).containsExactly(at(0), at(2));
        assertThat(open().entries()).extracting(StateChange::time).containsExactly(at(0), at(2));
    }

    @Test
    void aHugeExponentIsASkippedLine() throws Exception {
        Files.writeString(dir.resolve(StateHistory.FILE_NAME), line(at(0), new Starting()) + "\n"
                + "{\"type\":\"heartbeat\",\"time\":\"2026-01-01T12:00:01Z\",\"pid\":1e99999999}\n"
                + "{\"type\":\"state\",\"time\":\"2026-01-01T12:00:02Z\",\"state\":\"Connecting\","
                + "\"attempt\":1e99999999,\"maxAttempts\":10}\n"
                + line(at(3), new Stopped()) + "\n");
        assertThat(StateHistory.read(dir, 10)).extracting(StateChange::time).containsExactly(at(0), at(3));
        assertThat(open().entries()).extracting(StateChange::time).containsExactly(at(0), at(3));
    }

    @Test
    void linesAreSplitAndBoundedAcrossBufferEdges() throws Exception {
        List<String> seen = new ArrayList<>();
        String text = "a\n" + "b".repeat(20_000) + "\n" + "c".repeat(9_000) + "\r\nd";
        StateHistory.forEachLine(new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 10_000,
                seen::add);
        assertThat(seen).containsExactly("a", null, "c".repeat(9_000), "d");
    }
}
