package dev.hardway.model;

/**
 * One thing wrong with a cluster spec.
 *
 * @param path    the field, in the form users read in YAML: {@code workers[2].podCidr}; empty for the document
 * @param message what is wrong and, where it helps, how to fix it
 * @param line    1-based line in the source file, or {@code null} for specs built in Java
 */
public record Problem(String path, String message, Integer line) {

    public static Problem at(String path, String message) {
        return new Problem(path, message, null);
    }

    public Problem withLine(Integer line) {
        return new Problem(path, message, line);
    }

    /** {@code cluster.yaml:18: workers[2].podCidr: ...}. */
    public String describe(String source) {
        StringBuilder s = new StringBuilder();
        if (source != null) {
            s.append(source);
            if (line != null) {
                s.append(':').append(line);
            }
            s.append(": ");
        }
        if (!path.isEmpty()) {
            s.append(path).append(": ");
        }
        return s.append(message).toString();
    }
}
