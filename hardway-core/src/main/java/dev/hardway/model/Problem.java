package dev.hardway.model;

/**
 * One thing wrong with a cluster spec.
 *
 * @param path    the field, in the form users read in YAML: {@code workers[2].podCidr}; empty for the document
 * @param message what is wrong and, where it helps, how to fix it
 * @param line    1-based line in the source file, or {@code null} for specs built in Java
 * @param column  1-based column of the offending key or value on that line, or {@code null} when unknown
 */
public record Problem(String path, String message, Integer line, Integer column) {

    public Problem(String path, String message, Integer line) {
        this(path, message, line, null);
    }

    public static Problem at(String path, String message) {
        return new Problem(path, message, null, null);
    }

    public Problem withLine(Integer line) {
        return new Problem(path, message, line, null);
    }

    public Problem at(SourcePosition position) {
        return position == null ? this : new Problem(path, message, position.line(), position.column());
    }

    /** {@code cluster.yaml:18:5: workers[2].podCidr: ...}, the form compilers use, so editors can jump to it. */
    public String describe(String source) {
        StringBuilder s = new StringBuilder();
        if (source != null) {
            s.append(source);
            if (line != null) {
                s.append(':').append(line);
                if (column != null) {
                    s.append(':').append(column);
                }
            }
            s.append(": ");
        }
        if (!path.isEmpty()) {
            s.append(visible(path)).append(": ");
        }
        return s.append(visible(message)).toString();
    }

    /**
     * Messages quote what the user wrote; a line break or a terminal escape sequence in it must show as such, not
     * break the report into lines that look like other problems or drive the terminal.
     */
    static String visible(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029;
            if (control && out == null) {
                out = new StringBuilder(text.substring(0, i));
            }
            if (out != null) {
                out.append(control ? String.format(java.util.Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out == null ? text : out.toString();
    }
}
