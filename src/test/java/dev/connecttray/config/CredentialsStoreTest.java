package dev.connecttray.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsStoreTest {
    @TempDir
    Path dir;

    private static final StoredCredentials ALICE = new StoredCredentials("alice",
            "AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS", "top-secret".getBytes(StandardCharsets.UTF_8));

    @Test
    void roundTripsInLibrespotsFormat() throws Exception {
        CredentialsStore store = new CredentialsStore(dir.resolve("state/credentials.json"));
        store.write(ALICE);

        assertThat(store.read()).contains(ALICE);
        assertThat(Files.readString(store.file())).contains("\"username\":\"alice\"")
                .contains("\"credentials\":\"dG9wLXNlY3JldA==\"");
    }

    @Test
    void theFileAndANewFolderAreOwnerOnly() throws Exception {
        CredentialsStore store = new CredentialsStore(dir.resolve("new-state/credentials.json"));
        store.write(ALICE);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file().getParent())))
                .isEqualTo("rwx------");
        assertThat(store.readableByOthers()).isFalse();
    }

    @Test
    void replacingLeavesNoTemporaryFileBehind() throws Exception {
        CredentialsStore store = new CredentialsStore(dir.resolve("credentials.json"));
        store.write(ALICE);
        store.write(new StoredCredentials("bob", "AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS", new byte[]{1, 2}));

        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(store.file());
        }
        assertThat(store.read().orElseThrow().username()).isEqualTo("bob");
    }

    @Test
    void aMissingFileIsEmptyAndABrokenOneIsAnErrorThatKeepsTheFile() throws Exception {
        CredentialsStore store = new CredentialsStore(dir.resolve("credentials.json"));
        assertThat(store.read()).isEmpty();

        Files.writeString(store.file(), "{ not json");
        assertThatThrownBy(store::read).isInstanceOf(IOException.class)
                .hasMessageContaining(store.file().toString());
        assertThat(Files.readString(store.file())).isEqualTo("{ not json");
    }

    @Test
    void toStringNeverShowsTheSecret() {
        assertThat(ALICE.toString()).contains("alice").doesNotContain("top-secret").contains("redacted");
    }

    @Test
    void worldReadableCredentialsAreTightenedWithOneWarning() throws Exception {
        CredentialsStore store = new CredentialsStore(dir.resolve("loose/credentials.json"));
        store.write(ALICE);
        Files.setPosixFilePermissions(store.file(), PosixFilePermissions.fromString("rw-r--r--"));
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger(CredentialsStore.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen =
                new ch.qos.logback.core.read.ListAppender<>();
        seen.start();
        logger.addAppender(seen);
        try {
            assertThat(store.read()).contains(ALICE);
            assertThat(store.read()).contains(ALICE);
            Files.setPosixFilePermissions(store.file(), PosixFilePermissions.fromString("rw-r-----"));
            assertThat(store.read()).contains(ALICE);
        } finally {
            logger.detachAppender(seen);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
        assertThat(seen.list).hasSize(1);
        assertThat(seen.list.get(0).getFormattedMessage()).contains(store.file().toString()).contains("rw-r--r--")
                .contains("readable by others");
    }

    @Test
    void symlinkedCredentialsAreRefused() throws Exception {
        Path target = dir.resolve("elsewhere.json");
        CredentialsStore real = new CredentialsStore(target);
        real.write(ALICE);
        Path link = Files.createDirectories(dir.resolve("state")).resolve("credentials.json");
        Files.createSymbolicLink(link, target);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> new CredentialsStore(link).read()).isInstanceOf(IOException.class)
                .hasMessageContaining(link.toString()).hasMessageContaining("symbolic link");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
                .as("not changed through the link").isEqualTo("rw-r--r--");
    }
}
