package org.distribank.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecureFilesTest {

    @TempDir
    Path dir;

    @Test
    void newDirectoriesAreOwnerOnlyAndExistingOnesAreLeftAlone() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        SecureFiles.createPrivateDirectories(dir.resolve("a/b/c"));
        assertThat(mode(dir.resolve("a"))).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("a/b/c"))).isEqualTo("rwx------");
        assertThat(mode(dir)).isEqualTo("rwxr-xr-x");
        SecureFiles.createPrivateDirectories(dir.resolve("a/b/c")); // idempotent
    }

    @Test
    void writePrivateReplacesAtomicallyWithOwnerOnlyModeAndLeavesNoTemporaryFile() throws Exception {
        Path f = dir.resolve("conf/bank.json");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "old");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        SecureFiles.writePrivate(f, "{\"secret\":1}");
        assertThat(Files.readString(f)).isEqualTo("{\"secret\":1}");
        assertThat(mode(f)).isEqualTo("rw-------");
        try (Stream<Path> s = Files.list(f.getParent())) {
            assertThat(s.toList()).containsExactly(f);
        }
    }

    @Test
    void writeNewPrivateNeverOverwrites() throws Exception {
        Path key = dir.resolve("k/b1.key");
        SecureFiles.writeNewPrivate(key, new byte[] {1});
        assertThat(mode(key)).isEqualTo("rw-------");
        assertThat(mode(key.getParent())).isEqualTo("rwx------");
        assertThatThrownBy(() -> SecureFiles.writeNewPrivate(key, new byte[] {2}))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readAllBytes(key)).containsExactly(1);
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
