package dev.hardway.model;

import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes a {@link ClusterSpec} as {@code cluster.yaml} text, field by field in the model's order, absent fields
 * left out. What it writes loads back to an equal spec: text that YAML would read as something else (a number, a
 * boolean, null) or that needs escaping is double-quoted.
 */
public final class SpecWriter {
    /** Characters that never start or change the meaning of a block-context plain scalar. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9/][-A-Za-z0-9._/:\\[\\]*]*");
    private static final Resolver RESOLVER = new Resolver();

    private SpecWriter() {
    }

    public static String toYaml(ClusterSpec spec) {
        return toYaml(spec, (field, indent) -> "");
    }

    /** What to write above a field: a comment, or nothing. */
    interface Annotator {
        String before(ModelField field, String indent);
    }

    static String toYaml(Record section, Annotator annotator) {
        StringBuilder out = new StringBuilder();
        section(out, section, "", annotator);
        return out.toString();
    }

    private static void section(StringBuilder out, Record section, String indent, Annotator annotator) {
        for (ModelField f : ModelField.of(section.getClass())) {
            Object value = f.valueOf(section);
            if (value == null) {
                continue;
            }
            out.append(annotator.before(f, indent));
            out.append(indent).append(f.name()).append(':');
            switch (f.kind()) {
                case STRING -> out.append(' ').append(scalar((String) value)).append('\n');
                case INTEGER, BOOLEAN -> out.append(' ').append(value).append('\n');
                case STRING_MAP -> {
                    Map<?, ?> entries = (Map<?, ?>) value;
                    if (entries.isEmpty()) {
                        out.append(" {}\n");
                    } else {
                        out.append('\n');
                        entries.forEach((k, v) -> out.append(indent).append("  ").append(scalar((String) k))
                                .append(": ").append(scalar((String) v)).append('\n'));
                    }
                }
                case SECTION -> {
                    if (ModelField.of(f.section()).stream().allMatch(c -> c.valueOf((Record) value) == null)) {
                        out.append(" {}\n");
                    } else {
                        out.append('\n');
                        section(out, (Record) value, indent + "  ", annotator);
                    }
                }
                case STRING_LIST, SECTION_LIST -> list(out, (List<?>) value, indent, annotator);
            }
        }
    }

    private static void list(StringBuilder out, List<?> items, String indent, Annotator annotator) {
        if (items.isEmpty()) {
            out.append(" []\n");
            return;
        }
        out.append('\n');
        for (Object item : items) {
            if (item instanceof String s) {
                out.append(indent).append("  - ").append(scalar(s)).append('\n');
            } else {
                StringBuilder fields = new StringBuilder();
                section(fields, (Record) item, indent + "    ", annotator);
                String text = fields.length() == 0 ? indent + "    {}\n" : fields.toString();
                out.append(indent).append("  - ").append(text.substring(indent.length() + 4));
            }
        }
    }

    /** Plain when YAML reads it back as this very text, double-quoted otherwise. */
    static String scalar(String s) {
        // the parser's own resolver decides: what it reads as a number, boolean or null gets quotes
        boolean plain = PLAIN.matcher(s).matches() && !s.endsWith(":")
                && RESOLVER.resolve(NodeId.scalar, s, true).equals(Tag.STR);
        return plain ? s : quoted(s);
    }

    private static String quoted(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029
                            || Character.isSurrogate(c) && !validPair(s, i) || c == 0xfeff || c >= 0xfffe) {
                        q.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }

    private static boolean validPair(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
