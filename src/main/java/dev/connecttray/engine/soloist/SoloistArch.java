package dev.connecttray.engine.soloist;

import dev.connecttray.os.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The machines Spotify builds Soloist for (Linux only), with the ELF header a build for each must
 * have: its class (32 or 64 bit, little-endian) and {@code e_machine}.
 */
public enum SoloistArch {
    X86_64("x86_64", 64, 62, "x86-64"),
    ARM64("arm64", 64, 183, "ARM 64-bit (aarch64)"),
    /** ARMv7; there is no ARMv6 build. */
    ARM32("arm32", 32, 40, "ARM 32-bit (armv7)");

    private static final Map<Integer, String> MACHINES = Map.of(3, "x86 32-bit", 62, "x86-64", 40, "ARM 32-bit",
            183, "ARM 64-bit (aarch64)", 243, "RISC-V", 8, "MIPS", 20, "PowerPC", 21, "PowerPC 64-bit", 22, "s390");
    private static final int ET_EXEC = 2;
    private static final int ET_DYN = 3;

    private final String archiveName;
    private final int bits;
    private final int machine;
    private final String displayName;

    SoloistArch(String archiveName, int bits, int machine, String displayName) {
        this.archiveName = archiveName;
        this.bits = bits;
        this.machine = machine;
        this.displayName = displayName;
    }

    /** The name in Spotify's archive name, {@code soloist_release_<name>.tar.gz}. */
    public String archiveName() {
        return archiveName;
    }

    public String displayName() {
        return displayName;
    }

    /** The ELF {@code e_machine} of its builds. */
    public int elfMachine() {
        return machine;
    }

    /** 64 or 32. */
    public int bits() {
        return bits;
    }

    /** The build for this OS and Java {@code os.arch}; empty for an OS or machine Spotify builds none for. */
    public static Optional<SoloistArch> of(Platform platform, String osArch) {
        if (!platform.isLinux()) return Optional.empty();
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x64" -> Optional.of(X86_64);
            case "aarch64", "arm64" -> Optional.of(ARM64);
            case "arm", "arm32", "armv7", "armv7l", "armhf" -> Optional.of(ARM32);
            default -> Optional.empty();
        };
    }

    /**
     * Checks that {@code file} is an ELF executable for this machine.
     *
     * @throws IOException it is not; the message says what it is instead ("an ELF for ARM 64-bit
     *                     (aarch64), not x86-64")
     */
    public void checkElf(Path file) throws IOException {
        byte[] h;
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            h = in.readNBytes(20);
        }
        if (h.length < 20 || h[0] != 0x7f || h[1] != 'E' || h[2] != 'L' || h[3] != 'F') {
            throw new IOException("it is not a Linux executable (no ELF header)");
        }
        int cls = h[4];
        if (h[5] != 1) throw new IOException("it is a big-endian ELF; " + displayName + " builds are little-endian");
        int type = (h[16] & 0xff) | (h[17] & 0xff) << 8;
        int elfMachine = (h[18] & 0xff) | (h[19] & 0xff) << 8;
        int elfBits = cls == 2 ? 64 : cls == 1 ? 32 : 0;
        if (elfMachine != machine || elfBits != bits) {
            throw new IOException("it is an executable for " + MACHINES.getOrDefault(elfMachine, "machine "
                    + elfMachine) + " (" + (elfBits == 0 ? "unknown class" : elfBits + "-bit") + "), not for this "
                    + displayName + " machine");
        }
        if (type != ET_EXEC && type != ET_DYN) throw new IOException("it is an ELF file but no executable (type " + type + ")");
    }
}
