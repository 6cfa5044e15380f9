package dev.connecttray.engine.soloist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.FailureKind;
import dev.connecttray.supervisor.EngineUnusable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeyFileTest {
    private static final String KEY = "0123456789abcdef0123456789abcdef";
    @TempDir
    Path dir;

    private Path keyFile(String content, String perms) throws Exception {
        Path f = dir.resolve("soloist-api-key");
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
        return f;
    }

    private static EngineUnusable refused(Path f) {
        try {
            ApiKeyFile.read(f);
        } catch (EngineUnusable e) {
            assertThat(e.status()).isEqualTo(ExitStatus.CONFIG);
            assertThat(e.failure().kind()).isEqualTo(FailureKind.CONFIG);
            assertThat(e.failure().message()).contains(f.toString());
            return e;
        }
        throw new AssertionError("accepted " + f);
    }

    @Test
    void readsTheKeyOnTheFirstLineOfAnOwnerOnlyFile() throws Exception {
        assertThat(ApiKeyFile.read(keyFile("  " + KEY + "\n", "rw-------"))).isEqualTo(KEY);
        assertThat(ApiKeyFile.read(keyFile(KEY + "\r\n# made on the dashboard\n", "r--------"))).isEqualTo(KEY);
    }

    @Test
    void aMissingFileSaysWhereToGetAKeyAndWhereToPutIt() {
        EngineUnusable e = refused(dir.resolve("soloist-api-key"));
        assertThat(e.failure().message()).contains("does not exist").contains("developer.spotify.com/dashboard")
                .contains("Premium").contains("chmod 600");
    }

    @Test
    void anEmptyFileIsRefused() throws Exception {
        assertThat(refused(keyFile(" \n\n", "rw-------")).failure().message()).contains("is empty");
    }

    @Test
    void aFileOthersCanReadIsRefusedWithTheChmodToRun() throws Exception {
        for (String perms : List.of("rw-r-----", "rw----r--", "rw-rw-rw-", "rw-----w-")) {
            Path f = keyFile(KEY, perms);
            EngineUnusable e = refused(f);
            assertThat(e.failure().message()).as(perms).contains("other users").contains("chmod 600 " + f);
            assertThat(e.getMessage()).doesNotContain(KEY);
        }
    }

    @Test
    void somethingThatIsNotAKeyIsRefusedWithoutRepeatingIt() throws Exception {
        EngineUnusable e = refused(keyFile("my key is " + KEY, "rw-------"));
        assertThat(e.failure().message()).doesNotContain(KEY).contains("does not hold an API key");
    }

    @Test
    void aMissingOrEmptyKeyTellsTheTrayToOfferTheKeyDialog() throws Exception {
        assertThat(refused(dir.resolve("absent")).failure().detail()).isEqualTo(SoloistBinary.API_KEY_NEEDED);
        assertThat(refused(keyFile("  \n", "rw-------")).failure().detail()).isEqualTo(SoloistBinary.API_KEY_NEEDED);
        assertThat(refused(keyFile(KEY, "rw-r--r--")).failure().detail()).as("chmod is the fix, not a new key")
                .isNotEqualTo(SoloistBinary.API_KEY_NEEDED);
    }

    @Test
    void aKeyTypedIntoTheTrayIsSavedOwnerOnlyAndReadBack() throws Exception {
        Path f = dir.resolve("state/soloist-api-key");
        keyFile("old-key", "rw-r--r--"); // another file in the way does not matter; the target is replaced
        ApiKeyFile.write(f, ("  " + KEY + "\n").toCharArray());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f.getParent()))).isEqualTo("rwx------");
        assertThat(ApiKeyFile.read(f)).isEqualTo(KEY);
        ApiKeyFile.write(f, "fedcba9876543210".toCharArray());
        assertThat(ApiKeyFile.read(f)).isEqualTo("fedcba9876543210");
        try (var left = Files.list(f.getParent())) {
            assertThat(left).as("no temporary file left").containsExactly(f);
        }
    }

    @Test
    void somethingThatIsNotAKeyIsRefusedWithoutRepeatingItAndTheOldKeyStays() throws Exception {
        Path f = dir.resolve("soloist-api-key");
        ApiKeyFile.write(f, KEY.toCharArray());
        assertThatThrownBy(() -> ApiKeyFile.write(f, "my secret key".toCharArray()))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("not an API key")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> ApiKeyFile.write(f, "   ".toCharArray())).hasMessageContaining("empty");
        assertThat(ApiKeyFile.read(f)).isEqualTo(KEY);
    }
}
