package dev.hardway.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads {@code cluster.yaml} into a {@link ResolvedCluster}: structure errors (unknown fields, wrong types) and
 * semantic ones (overlapping subnets, bad versions) come back together, each with its field path and line.
 */
public final class SpecLoader {

    private final SpecValidator validator = new SpecValidator();

    /** Loads, validates and resolves the spec file, or throws {@link InvalidSpecException} listing every problem. */
    public ResolvedCluster load(Path file) {
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidSpecException(file.toString(), List.of(Problem.at("", "no such file")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return load(yaml, file.toString());
    }

    /** As {@link #load(Path)}, for a spec held in memory; {@code source} names it in messages. */
    public ResolvedCluster load(String yaml, String source) {
        Parsed parsed = parse(yaml);
        List<Problem> problems = new ArrayList<>(parsed.problems);
        if (parsed.spec != null || problems.isEmpty()) {
            for (Problem p : validator.problems(parsed.spec)) {
                if (problems.stream().noneMatch(known -> overlaps(known.path(), p.path()))) {
                    problems.add(p);
                }
            }
        }
        if (!problems.isEmpty()) {
            List<Problem> located = problems.stream()
                    .map(p -> p.line() != null ? p : p.withLine(parsed.lines.lineOf(p.path())))
                    .sorted(java.util.Comparator.comparing((Problem p) -> p.line() == null ? 0 : p.line()))
                    .toList();
            throw new InvalidSpecException(source, located);
        }
        return validator.resolve(parsed.spec, source);
    }

    /** A type error on {@code workers[0]} already covers "workers[0].name is required". */
    private static boolean overlaps(String reported, String candidate) {
        return candidate.equals(reported) || candidate.startsWith(reported + ".")
                || candidate.startsWith(reported + "[");
    }

    private record Parsed(ClusterSpec spec, List<Problem> problems, LineIndex lines) {
    }

    private static Parsed parse(String yaml) {
        LineIndex lines;
        try {
            lines = LineIndex.of(yaml);
        } catch (JsonProcessingException e) {
            return new Parsed(null, List.of(malformed(e)), LineIndex.EMPTY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (yaml.isBlank()) {
            return new Parsed(null, List.of(Problem.at("", "the file is empty")), lines);
        }
        ProblemCollector collector = new ProblemCollector();
        ObjectMapper mapper = YAMLMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .addHandler(collector)
                .build();
        try {
            ClusterSpec spec = mapper.readValue(yaml, ClusterSpec.class);
            return new Parsed(spec, collector.problems, lines);
        } catch (JsonMappingException e) {
            List<Problem> problems = new ArrayList<>(collector.problems);
            problems.add(Problem.at(path(e.getPathReference()), e.getOriginalMessage()));
            return new Parsed(null, problems, lines);
        } catch (JsonProcessingException e) {
            return new Parsed(null, List.of(Problem.at("", e.getOriginalMessage())), lines);
        }
    }

    private static Problem malformed(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            String context = marked.getContext() == null ? "" : " (" + marked.getContext() + ")";
            return new Problem("", "not valid YAML: " + marked.getProblem() + context,
                    marked.getProblemMark().getLine() + 1);
        }
        JsonLocation at = e.getLocation();
        String why = e.getOriginalMessage().lines().findFirst().orElse("malformed YAML");
        return new Problem("", "not valid YAML: " + why, at == null || at.getLineNr() < 1 ? null : at.getLineNr());
    }

    /** Jackson's path reference {@code ClusterSpec["workers"]->...} is of no use to users; this makes it YAML-ish. */
    private static String path(String reference) {
        if (reference == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[\"([^\"]*)\"]|\\[(\\d+)]").matcher(reference);
        while (m.find()) {
            if (m.group(1) != null) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(m.group(1));
            } else {
                out.append('[').append(m.group(2)).append(']');
            }
        }
        return out.toString();
    }

    static String path(JsonPointer pointer) {
        StringBuilder out = new StringBuilder();
        for (JsonPointer p = pointer; p != null && !p.matches(); p = p.tail()) {
            if (p.mayMatchElement()) {
                out.append('[').append(p.getMatchingIndex()).append(']');
            } else {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(p.getMatchingProperty());
            }
        }
        return out.toString();
    }

    /** Keeps mapping past the first structural error so every one of them is reported. */
    private static final class ProblemCollector extends DeserializationProblemHandler {
        private final List<Problem> problems = new ArrayList<>();

        @Override
        public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p,
                                             JsonDeserializer<?> deserializer, Object beanOrClass,
                                             String propertyName) throws IOException {
            String parent = path(p.getParsingContext().getParent() == null ? JsonPointer.empty()
                    : p.getParsingContext().getParent().pathAsPointer());
            String path = parent.isEmpty() ? propertyName : parent + "." + propertyName;
            Collection<Object> known = deserializer.getKnownPropertyNames();
            List<String> names = known.stream().map(Object::toString).sorted().collect(Collectors.toList());
            String hint = SpecValidator.closest(propertyName, names).map(s -> "; did you mean '" + s + "'?")
                    .orElse("; known fields here: " + String.join(", ", names));
            problems.add(Problem.at(path, "unknown field '" + propertyName + "'" + hint));
            p.skipChildren();
            return true;
        }

        @Override
        public Object handleUnexpectedToken(DeserializationContext ctxt, JavaType targetType, JsonToken t,
                                            JsonParser p, String failureMsg) throws IOException {
            problems.add(Problem.at(path(p.getParsingContext().pathAsPointer()),
                    "expected " + describe(targetType) + " but found " + describe(t)));
            p.skipChildren();
            return null;
        }

        @Override
        public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> targetType, String valueToConvert,
                                             String failureMsg) throws IOException {
            problems.add(Problem.at(path(ctxt.getParser().getParsingContext().pathAsPointer()),
                    "'" + valueToConvert + "' is not " + describe(ctxt.constructType(targetType))));
            return null;
        }

        @Override
        public Object handleMissingInstantiator(DeserializationContext ctxt, Class<?> instClass,
                                                ValueInstantiator valueInsta, JsonParser p, String msg)
                throws IOException {
            problems.add(Problem.at(path(p.getParsingContext().pathAsPointer()),
                    "expected " + describe(ctxt.constructType(instClass)) + " but found " + describe(p.currentToken())));
            p.skipChildren();
            return null;
        }

        private static String describe(JavaType type) {
            Class<?> raw = type.getRawClass();
            if (type.isCollectionLikeType()) {
                return "a list";
            }
            if (raw == String.class) {
                return "a string";
            }
            if (raw == Integer.class || raw == int.class) {
                return "a whole number";
            }
            return "a mapping (" + raw.getSimpleName().replace("Spec", "") + ")";
        }

        private static String describe(JsonToken t) {
            if (t == null) {
                return "nothing";
            }
            return switch (t) {
                case START_ARRAY -> "a list";
                case START_OBJECT -> "a mapping";
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                case VALUE_NULL -> "null";
                default -> t.asString() == null ? t.name().toLowerCase(java.util.Locale.ROOT) : t.asString();
            };
        }
    }

    /** Where each field path of the document starts, read off the YAML token stream. */
    static final class LineIndex {
        static final LineIndex EMPTY = new LineIndex(Map.of());
        private final Map<String, Integer> lines;

        private LineIndex(Map<String, Integer> lines) {
            this.lines = lines;
        }

        static LineIndex of(String yaml) throws IOException {
            Map<String, Integer> lines = new HashMap<>();
            try (JsonParser p = new YAMLFactory().createParser(yaml)) {
                JsonToken t;
                while ((t = p.nextToken()) != null) {
                    if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                        continue;
                    }
                    String path = path(p.getParsingContext().pathAsPointer());
                    if (t == JsonToken.FIELD_NAME) {
                        path = path(p.getParsingContext().pathAsPointer());
                    } else if (p.getParsingContext().inObject() || p.getParsingContext().inArray()) {
                        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                            path = path(p.getParsingContext().getParent() == null ? JsonPointer.empty()
                                    : p.getParsingContext().getParent().pathAsPointer());
                        }
                    }
                    lines.putIfAbsent(path, p.currentTokenLocation().getLineNr());
                }
            }
            return new LineIndex(lines);
        }

        /** The line of {@code path}, or of its nearest ancestor that appears in the file. */
        Integer lineOf(String path) {
            String p = path;
            while (true) {
                Integer line = lines.get(p);
                if (line != null) {
                    return line;
                }
                int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
                if (cut <= 0) {
                    return p.isEmpty() ? null : lines.get("");
                }
                p = p.substring(0, cut);
            }
        }
    }
}
