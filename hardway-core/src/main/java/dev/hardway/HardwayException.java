package dev.hardway;

/**
 * Base of every exception hardway throws for a mistake the user can fix (bad spec, unusable PKI, broken
 * template override). Anything else that escapes is a defect or a broken environment.
 */
public abstract class HardwayException extends RuntimeException {
    protected HardwayException(String message) {
        super(message);
    }

    protected HardwayException(String message, Throwable cause) {
        super(message, cause);
    }
}
