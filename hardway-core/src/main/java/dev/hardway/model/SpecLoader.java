package dev.hardway.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code cluster.yaml} into a {@link ResolvedCluster}. Four layers, each reporting every problem it finds
 * with the file, line, column and field path: the bytes ({@link SpecText}: UTF-8, size), the YAML
 * ({@link SpecSyntax}: one plain document), the structure ({@link SpecBinder}: known fields, types, no duplicates)
 * and the values ({@link SpecValidator}). Positions are the YAML parser's own, of the offending key or list item.
 */
public final class SpecLoader {

    private final SpecValidator validator;

    /** A loader for a cluster generated for the first time. */
    public SpecLoader() {
        this(ClusterHistory.NONE);
    }

    /** A loader that keeps what earlier generations decided (see {@link ClusterHistory}). */
    public SpecLoader(ClusterHistory history) {
        this.validator = new SpecValidator(history);
    }

    /** Loads, validates and resolves the spec file, or throws {@link InvalidSpecException} listing every problem. */
    public ResolvedCluster load(Path file) {
        return load(bytes(file), file.toString());
    }

    /** As {@link #load(Path)}, for a spec held in memory; {@code source} names it in messages. */
    public ResolvedCluster load(String yaml, String source) {
        return load(yaml.getBytes(StandardCharsets.UTF_8), source);
    }

    /** As {@link #load(Path)}, for the bytes of a spec file. */
    public ResolvedCluster load(byte[] bytes, String source) {
        Read read = check(bytes);
        if (!read.problems.isEmpty()) {
            throw new InvalidSpecException(source, sorted(read.problems));
        }
        return read.resolved;
    }

    /** The spec as far as it could be read, every problem, and when there are none the resolved cluster. */
    private record Read(ClusterSpec spec, List<Problem> problems, ResolvedCluster resolved) {
        Read(ClusterSpec spec, List<Problem> problems) {
            this(spec, problems, null);
        }
    }

    private Read check(byte[] bytes) {
        SpecText.Decoded text = SpecText.decode(bytes);
        if (text.problem() != null) {
            return new Read(null, List.of(text.problem()));
        }
        SpecSyntax.Parsed parsed = SpecSyntax.parse(text.text());
        if (!parsed.problems().isEmpty()) {
            return new Read(null, parsed.problems());
        }
        if (parsed.root() == null) {
            return new Read(null, List.of(empty()));
        }
        SpecBinder.Bound bound = SpecBinder.bind(parsed.root());
        List<Problem> problems = new ArrayList<>(bound.problems());
        ResolvedCluster resolved = null;
        if (bound.spec() != null) {
            // validated once: the same run that finds no problem resolves the cluster
            SpecValidator.Outcome outcome = validator.check(bound.spec(), bound.problems().isEmpty());
            for (Problem p : outcome.problems()) {
                // a field reported missing because it is misspelled: the unknown-field problem already says
                // what to write, and a second one at the section's start would send the user looking elsewhere
                if (bound.problems().stream().noneMatch(known -> covers(known.path(), p.path()))
                        && bound.misspelled().stream().noneMatch(meant -> covers(meant, p.path()))) {
                    problems.add(p.at(positionOf(bound.positions(), p.path())));
                }
            }
            resolved = outcome.resolved();
        }
        return new Read(bound.spec(), problems, problems.isEmpty() ? resolved : null);
    }

    private static Problem empty() {
        return new Problem("", "the file is empty; `mvn hardway:init` writes a starter cluster.yaml", null);
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidSpecException(file.toString(), List.of(Problem.at("", "no such file; "
                    + "`mvn hardway:init` writes a starter cluster.yaml")));
        } catch (IOException e) {
            // a user's mistake as much as a missing file: a directory, or a file they may not read
            throw new InvalidSpecException(file.toString(), List.of(Problem.at("", Files.isDirectory(file)
                    ? "is a directory; name the cluster.yaml file itself" : "cannot be read: " + e.getMessage())));
        }
    }

    /** A structural problem at {@code workers[0]} already covers "workers[0].name is required". */
    private static boolean covers(String reported, String candidate) {
        return candidate.equals(reported) || candidate.startsWith(reported + ".")
                || candidate.startsWith(reported + "[");
    }

    /** Where {@code path} is written, or, for a missing field, where its parent section starts. */
    static SourcePosition positionOf(Map<String, SourcePosition> positions, String path) {
        String p = path;
        while (true) {
            SourcePosition at = positions.get(p);
            if (at != null || p.isEmpty()) {
                return at;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
    }

    private static List<Problem> sorted(List<Problem> problems) {
        return problems.stream()
                .sorted(Comparator.comparing((Problem p) -> p.line() == null ? 0 : p.line())
                        .thenComparing(p -> p.column() == null ? 0 : p.column()))
                .toList();
    }
}
