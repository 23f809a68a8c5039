package dev.hardway.maven.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A handful of hardway-core's bad-spec corpus through the real plugin (each run forks Maven, so not all of it):
 * one per layer of the loader. The BUILD FAILURE shows each problem as the corpus table says, in a user's words.
 */
class BadSpecCorpusIT {
    private static final Pattern INTERNALS = Pattern.compile("Exception|java\\.|snakeyaml|jackson|\\tat |Caused by");

    @ParameterizedTest
    @ValueSource(strings = {"011-latin-1-byte.yaml", "004-duplicate-key-in-worker.yaml",
            "021-typo-in-worker.yaml", "048-octal-internal-ip.yaml", "068-endpoint-credentials.yaml"})
    void generate_corpusFile_failsWithItsProblemsAndWritesNothing(String file) throws IOException {
        Path corpus = InfraRepo.repositoryRoot().resolve("hardway-core/src/test/resources/bad-specs");
        InfraRepo repo = InfraRepo.fromSample("corpus-" + file.replace(".yaml", ""), "minimal");
        Files.copy(corpus.resolve(file), repo.resolve("cluster.yaml"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        MavenRun run = repo.mvn("hardway:generate");

        assertFalse(run.succeeded(), run.describe());
        String text = run.text();
        String spec = repo.resolve("cluster.yaml").toString();
        List<String[]> rows = Files.readAllLines(corpus.resolve("expected.tsv"), StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith(file + "\t")).map(l -> l.split("\t")).toList();
        assertFalse(rows.isEmpty(), file + " has no expectation");
        for (String[] row : rows) {
            String prefix = spec + ":" + row[2] + ": " + (row[1].equals("-") ? "" : row[1] + ": ");
            assertTrue(text.contains(prefix), "missing " + prefix + " in\n" + run.describe());
            String line = text.lines().filter(l -> l.contains(prefix)).findFirst().orElseThrow();
            assertTrue(line.contains(row[3]), "'" + row[3] + "' in " + line);
        }
        // hardway's part of the failure: from its header to Maven's help pointer
        int from = text.indexOf(spec + " has ");
        int to = text.indexOf("-> [Help 1]", from);
        assertTrue(from >= 0 && to > from, run.describe());
        String message = text.substring(from, to);
        assertFalse(INTERNALS.matcher(message).find(), "internals in\n" + message);
        assertFalse(message.contains("secret"), "a credential echoed:\n" + message);
        assertFalse(Files.exists(repo.resolve("target/hardway")), "no bundles");
        assertFalse(Files.exists(repo.resolve("pki")), "no PKI");
        assertFalse(Files.exists(repo.resolve("golden")), "no golden snapshot");
    }
}
