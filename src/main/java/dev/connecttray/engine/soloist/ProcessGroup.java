package dev.connecttray.engine.soloist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The processes of one session on Linux, found in {@code /proc}: Soloist runs as the leader of its
 * own session and process group (started through {@code setsid}), and the helpers it starts stay in
 * them even after they are re-parented to PID 1, where {@link ProcessHandle#descendants()} no
 * longer finds them. Signals go through {@link ProcessHandle#destroy()}, which checks the process's
 * start time, so a recycled pid is never hit.
 */
final class ProcessGroup {
    private static final Path PROC = Path.of("/proc");

    private final long leader;

    ProcessGroup(long leader) {
        this.leader = leader;
    }

    long leader() {
        return leader;
    }

    /** Every live process whose session or process group is the leader's, the leader included. */
    List<ProcessHandle> members() {
        List<ProcessHandle> found = new ArrayList<>();
        // The leader itself, even when it is not a session leader (no setsid on this machine).
        ProcessHandle.of(leader).ifPresent(found::add);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, p -> isNumber(p.getFileName().toString()))) {
            for (Path dir : dirs) {
                long[] ids = sessionAndGroup(dir);
                if (ids == null) continue;
                long pid = Long.parseLong(dir.getFileName().toString());
                if (pid != leader && (ids[0] == leader || ids[1] == leader)) {
                    ProcessHandle.of(pid).ifPresent(found::add);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc (not Linux): the leader and its descendants are what can be found
            ProcessHandle.of(leader).ifPresent(h -> h.descendants().forEach(found::add));
        }
        return found;
    }

    /** SIGTERM to every member. */
    void terminate() {
        for (ProcessHandle p : members()) p.destroy();
    }

    /** SIGKILL to every member, and to the descendants of each (a helper that left the group). */
    void kill() {
        List<ProcessHandle> members = members();
        for (ProcessHandle p : members) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /** The session id (field 6) and process group (field 5) of {@code /proc/PID/stat}; null when gone. */
    static long[] sessionAndGroup(Path procDir) {
        String stat;
        try {
            stat = Files.readString(procDir.resolve("stat"), StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return parseStat(stat).orElse(null);
    }

    /** {@code pid (comm) state ppid pgrp session ...}: comm may hold spaces and brackets, so fields count from the last ')'. */
    static Optional<long[]> parseStat(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) return Optional.empty();
        String[] f = stat.substring(close + 1).trim().split(" ");
        if (f.length < 4) return Optional.empty();
        try {
            long pgrp = Long.parseLong(f[2]);
            long session = Long.parseLong(f[3]);
            return Optional.of(new long[]{session, pgrp});
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) if (!Character.isDigit(s.charAt(i))) return false;
        return true;
    }
}
