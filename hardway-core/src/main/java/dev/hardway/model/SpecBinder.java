package dev.hardway.model;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the YAML tree of {@code cluster.yaml} into a {@link ClusterSpec}, guided by the model's {@link ModelField}s.
 * Every structural mistake is collected with the parser's position of the offending key or item; a broken item is
 * replaced by an empty one so that list indexes, and so the paths of later problems, stay those of the file.
 */
final class SpecBinder {
    private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9][0-9]*)");

    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, SourcePosition> positions = new HashMap<>();
    private final Set<String> misspelled = new HashSet<>();

    private SpecBinder() {
    }

    /**
     * @param spec      the spec as far as it could be read; {@code null} when the document is not a mapping
     * @param problems  the structural problems, each placed
     * @param positions  where each field path (key) and list item starts in the file
     * @param misspelled the paths of absent fields that an unknown field's "did you mean" names, e.g.
     *                   {@code kubernetesVersion} for {@code kubernetesversion:}
     */
    record Bound(ClusterSpec spec, List<Problem> problems, Map<String, SourcePosition> positions,
                 Set<String> misspelled) {
    }

    static Bound bind(Node root) {
        SpecBinder binder = new SpecBinder();
        binder.positions.put("", position(root.getStartMark()));
        ClusterSpec spec = null;
        if (root instanceof MappingNode mapping) {
            spec = (ClusterSpec) binder.section(mapping, ClusterSpec.class, "");
        } else {
            binder.problem("", "cluster.yaml is a mapping of fields (name:, network:, workers:, ...), but this file "
                    + "holds " + describe(root), root.getStartMark());
        }
        return new Bound(spec, List.copyOf(binder.problems), Map.copyOf(binder.positions),
                Set.copyOf(binder.misspelled));
    }

    private Record section(MappingNode node, Class<? extends Record> type, String path) {
        List<ModelField> fields = ModelField.of(type);
        Map<String, Object> values = new HashMap<>();
        Map<String, Integer> seenAt = new LinkedHashMap<>();
        Set<String> suggestions = new HashSet<>();
        for (NodeTuple tuple : node.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode key) || key.getTag().equals(Tag.NULL)) {
                problem(path, "a key must be a plain field name, not " + describe(keyNode), keyNode.getStartMark());
                continue;
            }
            String name = key.getValue();
            String fieldPath = join(path, name);
            if (name.equals("<<")) {
                problem(fieldPath, "merge keys ('<<') are not allowed; write the fields out", key.getStartMark());
                continue;
            }
            if (seenAt.containsKey(name)) {
                problem(fieldPath, "'" + name + "' appears twice" + (path.isEmpty() ? "" : " in " + path)
                        + "; the first is on line " + seenAt.get(name) + ". Keep one", key.getStartMark());
                continue;
            }
            seenAt.put(name, key.getStartMark().getLine() + 1);
            positions.put(fieldPath, position(key.getStartMark()));
            ModelField field = fields.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
            if (field == null) {
                List<String> known = fields.stream().map(ModelField::name).toList();
                Optional<String> meant = SpecValidator.closest(name, known);
                meant.ifPresent(suggestions::add);
                String hint = meant.map(s -> "; did you mean '" + s + "'?")
                        .orElse("; the fields " + (path.isEmpty() ? "at the top level" : "of " + path) + " are "
                                + String.join(", ", known));
                problem(fieldPath, "unknown field '" + name + "'" + hint, key.getStartMark());
                continue;
            }
            values.put(name, value(field, tuple.getValueNode(), fieldPath, key.getStartMark()));
        }
        // a suggested field written elsewhere in the mapping is not missing: its own problems stand
        suggestions.stream().filter(s -> !seenAt.containsKey(s)).forEach(s -> misspelled.add(join(path, s)));
        return construct(type, fields.stream().map(f -> values.get(f.name())).toArray());
    }

    private Object value(ModelField field, Node node, String path, Mark keyMark) {
        if (isNull(node)) {
            return null;
        }
        return switch (field.kind()) {
            case STRING -> text(node, path, keyMark);
            case INTEGER -> integer(field, node, path, keyMark);
            case BOOLEAN -> bool(node, path, keyMark);
            case STRING_MAP -> node instanceof MappingNode m ? map(m, path)
                    : mismatch(path, "a mapping of names to values", node, keyMark);
            case SECTION -> node instanceof MappingNode m ? section(m, field.section(), path)
                    : mismatch(path, "a mapping of fields", node, keyMark);
            case STRING_LIST, SECTION_LIST -> node instanceof SequenceNode s ? list(field, s, path)
                    : mismatch(path, "a list", node, keyMark);
        };
    }

    private List<Object> list(ModelField field, SequenceNode node, String path) {
        List<Object> items = new ArrayList<>();
        List<Node> nodes = node.getValue();
        for (int i = 0; i < nodes.size(); i++) {
            Node item = nodes.get(i);
            String itemPath = path + "[" + i + "]";
            positions.put(itemPath, position(item.getStartMark()));
            boolean section = field.kind() == ModelField.Kind.SECTION_LIST;
            Object value = null;
            if (isNull(item)) {
                problem(itemPath, "the list item is empty; remove the '-' or fill it in", item.getStartMark());
            } else if (section) {
                value = item instanceof MappingNode m ? section(m, field.section(), itemPath)
                        : mismatch(itemPath, "a mapping of fields", item, item.getStartMark());
            } else {
                value = text(item, itemPath, item.getStartMark());
            }
            // a placeholder keeps the indexes of the items after it those of the file
            items.add(value != null ? value : section ? empty(field.section()) : "");
        }
        return items;
    }

    /** Only the words {@code true} and {@code false}: YAML 1.1's yes/no/on/off read as booleans only by some tools. */
    private Boolean bool(Node node, String path, Mark at) {
        if (!(node instanceof ScalarNode s)) {
            return mismatch(path, "true or false", node, at);
        }
        String v = s.getValue();
        if (s.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN && (v.equals("true") || v.equals("false"))) {
            return Boolean.valueOf(v);
        }
        problem(path, "'" + v + "' is not true or false" + (s.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN
                ? "; write it without quotes" : ""), at);
        return null;
    }

    /** A mapping of text keys to text values, such as node labels; keys once each, in the file's order. */
    private Map<String, String> map(MappingNode node, String path) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, Integer> seenAt = new HashMap<>();
        for (NodeTuple tuple : node.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode key) || key.getTag().equals(Tag.NULL)) {
                problem(path, "a key must be plain text, not " + describe(keyNode), keyNode.getStartMark());
                continue;
            }
            String name = key.getValue();
            String entryPath = path + "." + name;
            if (seenAt.containsKey(name)) {
                problem(entryPath, "'" + name + "' appears twice in " + path + "; the first is on line "
                        + seenAt.get(name) + ". Keep one", key.getStartMark());
                continue;
            }
            seenAt.put(name, key.getStartMark().getLine() + 1);
            positions.put(entryPath, position(key.getStartMark()));
            Node value = tuple.getValueNode();
            // an empty value is an empty label value, as kubectl label k= writes it
            String text = isNull(value) ? "" : text(value, entryPath, key.getStartMark());
            if (text != null) {
                out.put(name, text);
            }
        }
        return out;
    }

    private String text(Node node, String path, Mark at) {
        if (node instanceof ScalarNode s) {
            return s.getValue();
        }
        mismatch(path, "text", node, at);
        return null;
    }

    private Integer integer(ModelField field, Node node, String path, Mark at) {
        if (!(node instanceof ScalarNode s)) {
            return mismatch(path, "a whole number", node, at);
        }
        String v = s.getValue();
        if (s.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN) {
            problem(path, "'" + v + "' is quoted text; write the number without quotes", at);
        } else if (s.getTag().equals(Tag.FLOAT)) {
            problem(path, v + " is not a whole number", at);
        } else if (!DECIMAL.matcher(v).matches()) {
            problem(path, "'" + v + "' is not a whole number written in decimal digits, such as "
                    + field.doc().example(), at);
        } else {
            BigInteger n = new BigInteger(v);
            if (n.bitLength() < 32) {
                return n.intValue();
            }
            problem(path, v + " is out of range; it must be " + field.range(), at);
        }
        return null;
    }

    private <T> T mismatch(String path, String expected, Node found, Mark at) {
        problem(path, "expected " + expected + " but found " + describe(found), at);
        return null;
    }

    private static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode s = (ScalarNode) node;
        if (s.getTag().equals(Tag.NULL)) {
            return "nothing";
        }
        return "'" + s.getValue() + "'";
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL)
                && s.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN;
    }

    private void problem(String path, String message, Mark at) {
        SourcePosition p = position(at);
        problems.add(new Problem(path, message, p.line(), p.column()));
    }

    private static SourcePosition position(Mark mark) {
        return new SourcePosition(mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static String join(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    private static Record empty(Class<? extends Record> type) {
        return construct(type, new Object[type.getRecordComponents().length]);
    }

    private static Record construct(Class<? extends Record> type, Object[] values) {
        try {
            return (Record) CANONICAL.get(type).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    /** Each model record's canonical constructor, looked up once rather than once per list item. */
    private static final ClassValue<Constructor<?>> CANONICAL = new ClassValue<>() {
        @Override
        protected Constructor<?> computeValue(Class<?> type) {
            Class<?>[] types = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getType)
                    .toArray(Class<?>[]::new);
            try {
                return type.getDeclaredConstructor(types);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
            }
        }
    };
}
