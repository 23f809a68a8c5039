package dev.hardway.model;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The persisted PKI cannot be used as it is. Nothing was written; the message says which file and how to restore
 * it. hardway never replaces a CA, the service-account key pair or the encryption key on its own: clusters depend
 * on them once they are in use.
 */
public final class PkiStateException extends HardwayException {
    /** What is wrong with the file. */
    public enum Reason {
        /** A file the PKI needs is not there. */
        MISSING,
        /** The file is there but does not parse, or has the wrong size. */
        DAMAGED,
        /** Two files that belong together do not (a key and its certificate, a secret and its fingerprint). */
        MISMATCHED,
        /** A certificate used as a CA is not one. */
        NOT_A_CA,
        /** A CA has expired. */
        EXPIRED,
        /** The directory or file cannot be read, created or have its mode set. */
        INACCESSIBLE
    }

    private final Reason reason;
    private final Path file;

    public PkiStateException(Reason reason, Path file, String message) {
        this(reason, file, message, null);
    }

    public PkiStateException(Reason reason, Path file, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.file = Objects.requireNonNull(file, "file");
    }

    public Reason reason() {
        return reason;
    }

    /** The file (or, for {@link Reason#INACCESSIBLE}, the directory) at fault. */
    public Path file() {
        return file;
    }
}
