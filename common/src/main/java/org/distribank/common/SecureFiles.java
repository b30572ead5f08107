package org.distribank.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and directories that hold secrets or personal data (configs with tokens, keys, a bank's log, a data
 * server's database): created owner-only from the start ({@code 0700} directories, {@code 0600} files), so they
 * are never readable by others between creation and a later chmod. A file is written to a fresh {@code 0600}
 * temporary file in the same directory and then moved over the target, so a reader never sees half a file and a
 * replaced file never keeps wider permissions. On a file system without POSIX permissions (Windows) the files are
 * written the ordinary way and protected by the directory's ACLs.
 */
public final class SecureFiles {

    public static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private SecureFiles() {
    }

    /** Whether {@code p}'s file system has POSIX permissions. */
    public static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** Attributes for a new owner-only file on {@code p}'s file system (none where there are no POSIX modes). */
    public static FileAttribute<?>[] privateFile(Path p) {
        return posix(p) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
                : new FileAttribute<?>[0];
    }

    private static FileAttribute<?>[] privateDir(Path p) {
        return posix(p) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_DIR)}
                : new FileAttribute<?>[0];
    }

    /**
     * Creates {@code dir} and its missing parents owner-only ({@code 0700}); directories that already exist are
     * left as they are (e.g. {@code /var/lib}). Returns {@code dir}.
     */
    public static Path createPrivateDirectories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            return dir;
        }
        Path parent = abs.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            createPrivateDirectories(parent);
        }
        try {
            Files.createDirectory(abs, privateDir(abs));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(abs)) {
                throw e;
            }
        }
        return dir;
    }

    /** Creates a new, empty owner-only file; fails if it exists. */
    public static Path createPrivateFile(Path file) throws IOException {
        return Files.createFile(file, privateFile(file.toAbsolutePath()));
    }

    /**
     * Writes {@code bytes} to {@code file} owner-only ({@code 0600}), replacing it atomically; missing parent
     * directories are created {@code 0700}.
     */
    public static void writePrivate(Path file, byte[] bytes) throws IOException {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        createPrivateDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp", privateFile(abs));
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void writePrivate(Path file, String text) throws IOException {
        writePrivate(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a new owner-only file; fails if {@code file} exists (a key is never overwritten by mistake). */
    public static void writeNewPrivate(Path file, byte[] bytes) throws IOException {
        Path abs = file.toAbsolutePath();
        createPrivateDirectories(abs.getParent());
        createPrivateFile(abs);
        Files.write(abs, bytes);
    }
}
