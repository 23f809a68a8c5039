package dev.hardway.model;

import java.util.List;

/**
 * The Markdown field reference of {@code cluster.yaml} ({@code docs/cluster-yaml.md}), generated from the same
 * {@link SpecField}s as the schema and the loader, and kept current by a test.
 */
public final class SpecReference {
    private SpecReference() {
    }

    public static String generate() {
        StringBuilder md = new StringBuilder();
        md.append("# cluster.yaml reference\n\n")
                .append("<!-- Generated from the @SpecField annotations of hardway-core's dev.hardway.model records\n")
                .append("     by SpecReference; SpecSchemaTest fails when this file is out of date. Do not edit. -->\n\n")
                .append("One file describes one cluster. Its JSON Schema, for editors, is `")
                .append(SpecSchema.RESOURCE).append("` in hardway-core's jar\n")
                .append("(`hardway-core/src/main/resources/").append(SpecSchema.RESOURCE)
                .append("` in this repository); name it on the file's first line:\n\n")
                .append("```yaml\n# yaml-language-server: $schema=<path or URL of cluster.schema.json>\n```\n\n")
                .append("`mvn hardway:init` writes a commented starter file; `mvn hardway:explain` prints a spec with "
                        + "every default filled in\n(but `kubelet.resolvConf`'s, a choice install.sh makes per host: "
                        + "written out, it would fix one file for every host).\n\n")
                .append("Rules that hold for every field: the file is UTF-8, one YAML document, without anchors, "
                        + "aliases, merge keys or tags;\n")
                .append("a key appears once; text is one line without control characters; whole numbers are "
                        + "written in decimal,\n")
                .append("without quotes or a fraction. IP addresses are written in canonical form: IPv4 as four "
                        + "decimal numbers without\n")
                .append("leading zeros, IPv6 as RFC 5952 (lower case, shortest). All addresses of a cluster are "
                        + "of one family.\n\n");
        section(md, ClusterSpec.class, "", "The top level");
        return md.toString();
    }

    private static void section(StringBuilder md, Class<? extends Record> type, String prefix, String title) {
        List<ModelField> fields = ModelField.of(type);
        md.append("## ").append(title).append("\n\n")
                .append("| field | type | required / default | allowed values | meaning | example |\n")
                .append("| --- | --- | --- | --- | --- | --- |\n");
        for (ModelField f : fields) {
            md.append("| `").append(prefix).append(f.name()).append("` | ").append(type(f)).append(" | ")
                    .append(requirement(f)).append(" | ").append(cell(allowed(f))).append(" | ")
                    .append(cell(f.doc().description())).append(" | `").append(f.doc().example()).append("` |\n");
        }
        md.append('\n');
        for (ModelField f : fields) {
            if (f.section() != null) {
                String p = prefix + f.name() + (f.kind().isList() ? "[]" : "");
                section(md, f.section(), p + ".", "`" + p + "`");
            }
        }
    }

    private static String type(ModelField f) {
        return switch (f.kind()) {
            case STRING -> "string";
            case INTEGER -> "integer";
            case BOOLEAN -> "boolean";
            case STRING_MAP -> "mapping of strings";
            case SECTION -> "mapping";
            case STRING_LIST -> "list of strings";
            case SECTION_LIST -> "list of mappings";
        };
    }

    private static String requirement(ModelField f) {
        if (f.required()) {
            return "required";
        }
        if (!f.doc().defaultRule().isEmpty()) {
            return cell(f.doc().defaultRule());
        }
        return f.doc().defaultValue().isEmpty() ? "optional" : "`" + f.doc().defaultValue() + "`";
    }

    private static String allowed(ModelField f) {
        return switch (f.kind()) {
            case STRING, STRING_LIST -> (f.kind().isList() ? "each " : "") + f.doc().format().phrase()
                    + (f.kind().isList() && !f.range().isEmpty() ? "; " + f.range() + " entries" : "");
            case INTEGER -> f.range();
            case BOOLEAN -> "true or false";
            case STRING_MAP -> "each value " + f.doc().format().phrase();
            case SECTION -> "see below";
            case SECTION_LIST -> f.range().isEmpty() ? "see below" : f.range() + " entries; see below";
        };
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
