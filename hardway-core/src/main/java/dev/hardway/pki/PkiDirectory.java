package dev.hardway.pki;

import dev.hardway.io.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The directory where the CA, keys and certificates persist between runs. Reads are plain; writes are atomic
 * (temporary file, then rename) and private material is created 0600 before any byte is written to it, in a
 * directory that is 0700.
 */
public final class PkiDirectory {
    private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path root;

    public PkiDirectory(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    Optional<String> read(String name) {
        return readBytes(name).map(bytes -> new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    }

    Optional<byte[]> readBytes(String name) {
        Path file = root.resolve(name);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new PkiException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    boolean exists(String name) {
        return Files.exists(root.resolve(name));
    }

    void write(String name, byte[] content, boolean secret) {
        try {
            ensureRoot();
            AtomicFiles.write(root.resolve(name), content, secret ? AtomicFiles.PRIVATE : AtomicFiles.PUBLIC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + root.resolve(name), e);
        }
    }

    private void ensureRoot() throws IOException {
        if (!Files.isDirectory(root)) {
            Files.createDirectories(root.getParent() == null ? root : root.getParent());
            try {
                Files.createDirectory(root, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
            } catch (FileAlreadyExistsException raced) {
                // another run created it first; its mode is whatever that run chose
            }
        }
    }
}
