package dev.hardway.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The JSON Schema (draft 2020-12) of {@code cluster.yaml}, generated from the model's {@link SpecField}s, so that
 * editors check the same fields, types, ranges and shapes the loader does. The copy shipped in the jar at
 * {@link #RESOURCE} is this generator's output, kept so by a test.
 */
public final class SpecSchema {
    /** Where the schema is in hardway-core's jar (and under src/main/resources in the repository). */
    public static final String RESOURCE = "dev/hardway/schema/cluster.schema.json";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final YAMLMapper YAML = new YAMLMapper();

    private SpecSchema() {
    }

    /** The schema as the jar ships it. */
    public static String shipped() {
        try (InputStream in = SpecSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema text: two-space indented JSON with a final newline, stable from run to run. */
    public static String generate() {
        ObjectNode root = JSON.objectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("title", "hardway cluster.yaml");
        root.put("description", "One Kubernetes cluster for hardway to generate: its name and release, how "
                + "clients reach the API, its addressing and its nodes. Field reference: docs/cluster-yaml.md.");
        object(root, ClusterSpec.class);
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"))
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        try {
            return new ObjectMapper().writer(printer).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void object(ObjectNode schema, Class<? extends Record> type) {
        schema.put("type", "object");
        schema.put("additionalProperties", false);
        List<ModelField> fields = ModelField.of(type);
        ArrayNode required = JSON.arrayNode();
        fields.stream().filter(ModelField::required).forEach(f -> required.add(f.name()));
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        ObjectNode properties = schema.putObject("properties");
        for (ModelField f : fields) {
            properties.set(f.name(), field(f));
        }
    }

    private static ObjectNode field(ModelField f) {
        ObjectNode s = JSON.objectNode();
        s.put("description", f.doc().description() + (f.doc().defaultRule().isEmpty() ? ""
                : " Default: " + f.doc().defaultRule() + "."));
        switch (f.kind()) {
            case STRING -> string(s, f.doc().format());
            case INTEGER -> {
                s.put("type", "integer");
                if (f.hasMinimum()) {
                    s.put("minimum", f.doc().minimum());
                }
                if (f.hasMaximum()) {
                    s.put("maximum", f.doc().maximum());
                }
            }
            case BOOLEAN -> s.put("type", "boolean");
            case STRING_MAP -> {
                s.put("type", "object");
                string(s.putObject("additionalProperties"), f.doc().format());
            }
            case SECTION -> object(s, f.section());
            case STRING_LIST, SECTION_LIST -> {
                s.put("type", "array");
                if (f.hasMinimum()) {
                    s.put("minItems", f.doc().minimum());
                }
                if (f.hasMaximum()) {
                    s.put("maxItems", f.doc().maximum());
                }
                ObjectNode items = s.putObject("items");
                if (f.kind() == ModelField.Kind.STRING_LIST) {
                    string(items, f.doc().format());
                } else {
                    object(items, f.section());
                }
            }
        }
        if (!f.doc().defaultValue().isEmpty()) {
            s.set("default", yaml(f.doc().defaultValue()));
        }
        s.putArray("examples").add(yaml(f.doc().example()));
        return s;
    }

    private static void string(ObjectNode s, ValueFormat format) {
        if (format == ValueFormat.FLAG_VALUE) {
            // a flag's value is text on the command line; YAML users write 30 or true without quotes
            s.putArray("type").add("string").add("integer").add("boolean");
        } else {
            s.put("type", "string");
        }
        if (format == ValueFormat.KEY_ALGORITHM) {
            ArrayNode values = s.putArray("enum");
            for (KeyAlgorithm a : KeyAlgorithm.values()) {
                values.add(a.specName());
            }
        } else if (format == ValueFormat.PROXY_MODE || format == ValueFormat.TAINT_EFFECT) {
            ArrayNode values = s.putArray("enum");
            for (String v : format.pattern().replaceAll("[\\^$()]", "").split("\\|")) {
                values.add(v);
            }
        } else {
            s.put("pattern", format.pattern());
        }
    }

    /** Examples and defaults are written as YAML in the annotations, as users write them. */
    static JsonNode yaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not YAML: " + text, e);
        }
    }
}
