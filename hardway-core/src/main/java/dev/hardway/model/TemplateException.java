package dev.hardway.model;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * A template is missing, does not parse, names a value the model lacks, or renders a file that its consumer would
 * not read. Nothing was written.
 */
public final class TemplateException extends HardwayException {
    private final String template;
    private final int line;

    /**
     * @param template the template's name, e.g. {@code kubelet/kubelet-config.yaml.ftl}
     * @param line     the line at fault (in the template, or in the file it rendered), 0 when unknown
     */
    public TemplateException(String template, int line, String message, Throwable cause) {
        super(message, cause);
        this.template = Objects.requireNonNull(template, "template");
        this.line = line;
    }

    public TemplateException(String template, int line, String message) {
        this(template, line, message, null);
    }

    public String template() {
        return template;
    }

    public OptionalInt line() {
        return line > 0 ? OptionalInt.of(line) : OptionalInt.empty();
    }
}
