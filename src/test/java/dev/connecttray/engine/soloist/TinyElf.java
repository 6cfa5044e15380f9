package dev.connecttray.engine.soloist;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;

/**
 * Tiny static Linux executables, assembled by hand: an ELF64 header, one program header and a few
 * instructions that write a chosen text to stdout and exit with a chosen status (x86-64 only). The
 * fake Soloist builds of these tests are real programs, run as real processes.
 */
final class TinyElf {
    static final int EM_X86_64 = 62;
    static final int EM_AARCH64 = 183;
    private static final long BASE = 0x400000;
    private static final int HEADERS = 64 + 56;

    private TinyElf() {
    }

    /** Skips the calling test unless this is x86-64 Linux, where these programs run. */
    static void assumeRunnable() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        assumeTrue(System.getProperty("os.name", "").startsWith("Linux") && (arch.equals("amd64") || arch.equals("x86_64")),
                "the fake Soloist builds are x86-64 Linux programs");
    }

    /** A program that prints {@code output} and exits with {@code status}, whatever its arguments. */
    static byte[] printing(String output, int status) {
        return printing(output.getBytes(StandardCharsets.UTF_8), status, EM_X86_64);
    }

    /** The same program with another {@code e_machine} in its header (it cannot run here). */
    static byte[] forMachine(int machine) {
        return printing("soloist 1.3.8.9 build 1796083200 (20261201) (gabc) (linux/aarch64)\n".getBytes(
                StandardCharsets.UTF_8), 0, machine);
    }

    /** A program that waits for a signal forever. */
    static byte[] hanging() {
        // loop: mov eax, 34 (pause); syscall; jmp loop
        byte[] code = {(byte) 0xb8, 34, 0, 0, 0, 0x0f, 0x05, (byte) 0xeb, (byte) 0xf7};
        return elf(code, EM_X86_64);
    }

    /** A Soloist {@code --version} line for a build made on {@code yyyymmdd}. */
    static String versionLine(String version, String yyyymmdd) {
        return "soloist " + version + " build 1787077868 (" + yyyymmdd + ") (gb24005ef46) (linux/x86_64)\n";
    }

    static Path write(Path file, byte[] program) throws IOException {
        Files.write(file, program);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private static byte[] printing(byte[] msg, int status, int machine) {
        ByteBuffer c = ByteBuffer.allocate(36).order(ByteOrder.LITTLE_ENDIAN);
        c.put((byte) 0xb8).putInt(1);                                // mov eax, 1 (write)
        c.put((byte) 0xbf).putInt(1);                                // mov edi, 1 (stdout)
        c.put((byte) 0x48).put((byte) 0x8d).put((byte) 0x35).putInt(19); // lea rsi, [rip+19]: the text after the code
        c.put((byte) 0xba).putInt(msg.length);                       // mov edx, len
        c.put((byte) 0x0f).put((byte) 0x05);                         // syscall
        c.put((byte) 0xb8).putInt(60);                               // mov eax, 60 (exit)
        c.put((byte) 0xbf).putInt(status);                           // mov edi, status
        c.put((byte) 0x0f).put((byte) 0x05);                         // syscall
        byte[] code = new byte[36 + msg.length];
        System.arraycopy(c.array(), 0, code, 0, 36);
        System.arraycopy(msg, 0, code, 36, msg.length);
        return elf(code, machine);
    }

    private static byte[] elf(byte[] code, int machine) {
        int size = HEADERS + code.length;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0}); // 64-bit, little-endian, SysV
        b.putShort((short) 2);             // e_type: ET_EXEC
        b.putShort((short) machine);       // e_machine
        b.putInt(1);                       // e_version
        b.putLong(BASE + HEADERS);         // e_entry: the code right after the headers
        b.putLong(64);                     // e_phoff
        b.putLong(0);                      // e_shoff
        b.putInt(0);                       // e_flags
        b.putShort((short) 64);            // e_ehsize
        b.putShort((short) 56);            // e_phentsize
        b.putShort((short) 1);             // e_phnum
        b.putShort((short) 0).putShort((short) 0).putShort((short) 0); // no sections
        b.putInt(1);                       // p_type: PT_LOAD
        b.putInt(5);                       // p_flags: R + X
        b.putLong(0);                      // p_offset: the whole file
        b.putLong(BASE).putLong(BASE);     // p_vaddr, p_paddr
        b.putLong(size).putLong(size);     // p_filesz, p_memsz
        b.putLong(0x1000);                 // p_align
        b.put(code);
        return b.array();
    }
}
