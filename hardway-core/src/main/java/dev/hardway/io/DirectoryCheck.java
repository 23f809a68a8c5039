package dev.hardway.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether a directory a run will write into can be had, asked before the run creates or locks anything: a first
 * run whose output directory lies under a file must fail before it leaves a PKI directory behind.
 */
public final class DirectoryCheck {
    private DirectoryCheck() {
    }

    /**
     * Why {@code directory} cannot be created or written into, if it cannot: it or its nearest existing ancestor
     * is not a directory, or is not writable (a read-only file system included). Empty when it looks usable; the
     * writes themselves still report what this cannot foresee (a full disk).
     */
    public static Optional<String> whyUnusable(Path directory) {
        Path p = directory.toAbsolutePath().normalize();
        while (p != null && !Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            p = p.getParent();
        }
        if (p == null) {
            return Optional.empty();
        }
        String which = p.equals(directory.toAbsolutePath().normalize()) ? "it" : p.toString();
        if (Files.isSymbolicLink(p) && !Files.exists(p)) {
            return Optional.of(which + " is a symbolic link to nothing (" + readLink(p) + ")");
        }
        if (!Files.isDirectory(p)) {
            return Optional.of(which + " is a file, not a directory");
        }
        if (!Files.isWritable(p)) {
            return Optional.of(which + (readOnlyFileSystem(p) ? " is on a read-only file system" : " is not writable"));
        }
        return Optional.empty();
    }

    private static String readLink(Path p) {
        try {
            return String.valueOf(Files.readSymbolicLink(p));
        } catch (java.io.IOException e) {
            return "unreadable";
        }
    }

    private static boolean readOnlyFileSystem(Path p) {
        try {
            return Files.getFileStore(p).isReadOnly();
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
