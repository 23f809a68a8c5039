package dev.hardway.model;

/**
 * Base of every exception hardway throws for a mistake the user can fix; each kind is a subclass that carries its
 * details as data, so a tool can act on them without parsing the message. Anything else that escapes is a defect
 * or a broken environment.
 *
 * <p>It lives in {@code model}, the package every other one depends on, so that the PKI, rendering and output
 * code can throw the exported kinds without depending on the {@code api} package that calls them.
 */
public abstract sealed class HardwayException extends RuntimeException
        permits InvalidSpecException, PkiStateException, TemplateException, OutputException {
    HardwayException(String message) {
        super(message);
    }

    HardwayException(String message, Throwable cause) {
        super(message, cause);
    }
}
