package dev.hardway.pki;

import dev.hardway.HardwayException;

/** The persisted PKI cannot be used as it is; the message says which file and what to do. Nothing was written. */
public final class PkiException extends HardwayException {
    public PkiException(String message) {
        super(message);
    }

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }
}
