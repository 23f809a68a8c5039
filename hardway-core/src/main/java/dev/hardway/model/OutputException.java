package dev.hardway.model;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A directory hardway writes (outputs, golden snapshot, or the PKI directory while committing) cannot be used:
 * it is not writable, is full, is a file, or holds files hardway did not write. The previous state is intact.
 */
public final class OutputException extends HardwayException {
    private final Path path;

    public OutputException(Path path, String message, Throwable cause) {
        super(message, cause);
        this.path = Objects.requireNonNull(path, "path");
    }

    public OutputException(Path path, String message) {
        this(path, message, null);
    }

    /** The directory or file at fault. */
    public Path path() {
        return path;
    }
}
