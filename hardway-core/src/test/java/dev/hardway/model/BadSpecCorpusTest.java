package dev.hardway.model;

import dev.hardway.api.GenerationRequest;
import dev.hardway.api.Hardway;
import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The corpus of mistakes in {@code src/test/resources/bad-specs}: each file is rejected with exactly the problems
 * {@code expected.tsv} lists (field path, line:column, message fragment), in words a user reads, and generating
 * from it writes nothing.
 */
class BadSpecCorpusTest {
    static final Path CORPUS = Path.of("hardway-core/src/test/resources/bad-specs");

    /** What must never reach a user: Java and library names, stack frames. */
    static final Pattern INTERNALS = Pattern.compile("Exception|java\\.|javax\\.|snakeyaml|jackson|dev\\.hardway\\."
            + "|org\\.yaml|com\\.fasterxml|inet\\.ipaddr|\\b(Cluster|ApiServer|Network|Controller|Worker|Pki|Containerd"
            + "|Kubelet|Node)Spec\\b|\\tat |Caused by|NullPointer|StreamRead|ParsingContext|[A-Za-z]\\$[A-Za-z0-9]"
            + "|Cannot construct|No content to map|Input length");

    /**
     * Whether a message names Java internals that did not come from the input itself: a random input may well
     * contain {@code e$s} or {@code java.}, and echoing the user's own text back is what a good message does.
     */
    static boolean leaksInternals(String message, String input) {
        java.util.regex.Matcher m = INTERNALS.matcher(message);
        while (m.find()) {
            if (!input.contains(m.group())) {
                return true;
            }
        }
        return false;
    }

    /** One expected problem. */
    record Expected(String path, String position, String fragment, String schema) {
    }

    /** One corpus file and what it must report. */
    record Case(String file, List<Expected> expected) {
        @Override
        public String toString() {
            return file;
        }
    }

    static Path corpus() {
        return TestClusters.repositoryRoot().resolve(CORPUS);
    }

    static List<Case> cases() {
        Map<String, List<Expected>> byFile = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(corpus().resolve("expected.tsv"), StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                byFile.computeIfAbsent(f[0], k -> new ArrayList<>())
                        .add(new Expected(f[1].equals("-") ? "" : f[1], f[2], f[3], f[4]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return byFile.entrySet().stream().map(e -> new Case(e.getKey(), e.getValue())).toList();
    }

    @Test
    void corpus_hasAtLeastSixtyFiles_andEveryFileIsListed() throws IOException {
        List<String> listed = cases().stream().map(Case::file).sorted().toList();
        try (Stream<Path> files = Files.list(corpus())) {
            List<String> present = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .sorted().toList();
            assertEquals(present, listed, "every file has its expectation in expected.tsv, and only those");
        }
        assertTrue(listed.size() >= 60, listed.size() + " files");
    }

    private static String position(Problem p) {
        return p.line() == null ? "-" : p.line() + ":" + p.column();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void load_badSpec_reportsExactlyTheExpectedProblems(Case c) {
        Path file = corpus().resolve(c.file());
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> new SpecLoader().load(file));

        List<String> actual = e.problems().stream().map(p -> p.path() + " @ " + position(p)).sorted().toList();
        List<String> wanted = c.expected().stream().map(x -> x.path() + " @ " + x.position()).sorted().toList();
        assertEquals(wanted, actual, e.getMessage());
        for (Expected x : c.expected()) {
            // messages as the user reads them, user input made visible (Problem.visible)
            assertTrue(e.problems().stream().anyMatch(q -> q.path().equals(x.path())
                            && position(q).equals(x.position()) && Problem.visible(q.message()).contains(x.fragment())),
                    "'" + x.fragment() + "' at " + x.path() + " @ " + x.position() + " in " + e.getMessage());
        }
        String message = e.getMessage();
        assertTrue(message.startsWith(file + " has " + e.problems().size() + " problem"), message);
        assertTrue(message.lines().findFirst().orElseThrow().endsWith("; nothing was written:"), message);
        assertFalse(INTERNALS.matcher(message).find(), "internals in: " + message);
        assertFalse(message.contains("secret"), "a credential echoed: " + message);
        assertTrue(message.chars().allMatch(ch -> ch >= 0x20 && ch != 0x7f || ch == '\n'),
                "a control character reaches the terminal: " + message);
        for (Problem p : e.problems()) {
            String prefix = file + (p.line() == null ? "" : ":" + p.line() + ":" + p.column()) + ": "
                    + (p.path().isEmpty() ? "" : p.path() + ": ");
            assertTrue(message.contains("  " + prefix + Problem.visible(p.message())), prefix + " in " + message);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void generate_badSpec_writesNothing(Case c, @TempDir Path dir) throws IOException {
        Path out = dir.resolve("out");
        Path pki = dir.resolve("pki");
        assertThrows(InvalidSpecException.class, () -> Hardway.generate(GenerationRequest.builder()
                .specFile(corpus().resolve(c.file())).pkiDirectory(pki).outputDirectory(out)
                .clock(TestClusters.fixedClock()).build()));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "nothing written");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void schema_rejectsTheCorpusCasesItCanExpress(Case c) throws IOException {
        String verdict = c.expected().get(0).schema();
        if (verdict.equals("n/a")) {
            return;
        }
        String yaml = Files.readString(corpus().resolve(c.file()), StandardCharsets.UTF_8);
        var errors = SpecSchemaTest.schemaErrors(yaml);
        if (verdict.equals("rejects")) {
            assertFalse(errors.isEmpty(), c.file() + " passes the schema");
        } else {
            assertEquals(List.of(), errors.stream().map(Object::toString).collect(Collectors.toList()),
                    c.file() + " is marked as beyond the schema; mark it 'rejects'");
        }
    }
}
