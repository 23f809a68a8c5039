package dev.hardway.render;

import dev.hardway.HardwayException;

/** A template is missing, does not parse, names a value the model lacks, or renders a file that does not parse. */
public final class TemplateException extends HardwayException {
    public TemplateException(String message) {
        super(message);
    }

    public TemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
