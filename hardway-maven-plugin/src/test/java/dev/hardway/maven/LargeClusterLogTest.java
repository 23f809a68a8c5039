package dev.hardway.maven;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The log of {@code generate} on a 100-node cluster reads as well as on a 2-node one: progress while working, a
 * summary of a few lines, no line over 200 characters, every name only at debug level, and nothing at all under
 * {@code mvn -q}.
 */
class LargeClusterLogTest {
    static final int WORKERS = 97;
    static final int MAX_LINE = 200;

    @TempDir
    static Path project;

    @BeforeAll
    static void hundredNodeSpec() throws IOException {
        StringBuilder spec = new StringBuilder("""
                name: big
                kubernetesVersion: 1.32.3
                apiServer:
                  endpoint: https://server.kubernetes.local:6443
                network:
                  clusterCidr: 10.200.0.0/16
                  serviceCidr: 10.32.0.0/24
                  clusterDns: 10.32.0.10
                  clusterDomain: cluster.local
                pki:
                  keyAlgorithm: ECDSA
                controllers:
                """);
        for (int i = 0; i < 3; i++) {
            spec.append("  - name: controller-").append(i).append("\n    internalIp: 10.240.0.").append(10 + i)
                    .append('\n');
        }
        spec.append("workers:\n");
        for (int i = 0; i < WORKERS; i++) {
            spec.append("  - name: worker-").append(i).append("\n    internalIp: 10.240.1.").append(10 + i)
                    .append('\n');
        }
        Files.writeString(project.resolve("cluster.yaml"), spec);
    }

    private static GenerateMojo generate(RecordingLog log) {
        GenerateMojo mojo = new GenerateMojo();
        mojo.basedir = project.toFile();
        mojo.spec = project.resolve("cluster.yaml").toFile();
        mojo.pkiDirectory = project.resolve("pki").toFile();
        mojo.goldenDirectory = project.resolve("golden").toFile();
        mojo.outputDirectory = project.resolve("target/hardway").toFile();
        mojo.setLog(log);
        return mojo;
    }

    @Test
    void generate_hundredNodes_logsProgressAndAShortSummaryInShortLinesAndNothingUnderQuiet() throws Exception {
        RecordingLog first = new RecordingLog(RecordingLog.Level.INFO);
        generate(first).execute();

        assertShort(first.lines);
        assertTrue(first.lines.contains("[INFO] Render: 100 nodes"), first.text());
        assertTrue(first.lines.contains("[INFO] Pack: 100 bundles"), first.text());
        assertTrue(first.lines.size() <= 12, "a summary of a few lines:\n" + first.text());

        RecordingLog upToDate = new RecordingLog(RecordingLog.Level.INFO);
        generate(upToDate).execute();
        assertShort(upToDate.lines);
        assertTrue(upToDate.text().contains("[INFO] Up to date: spec, templates, hardway, PKI ("), upToDate.text());
        assertTrue(upToDate.text().contains("target/hardway (101 files)"), upToDate.text());
        assertTrue(upToDate.lines.size() <= 4, "a summary of a few lines:\n" + upToDate.text());

        RecordingLog warm = new RecordingLog(RecordingLog.Level.INFO);
        forced(generate(warm)).execute();
        assertShort(warm.lines);
        assertTrue(warm.text().contains("[INFO] PKI pki: 0 created, 0 reissued, "), warm.text());
        assertTrue(warm.text().contains("[INFO] Outputs target/hardway: 0 written, 101 unchanged, 0 removed"),
                warm.text());

        RecordingLog debug = new RecordingLog(RecordingLog.Level.DEBUG);
        forced(generate(debug)).execute();
        assertShort(debug.lines);
        List<String> unchanged = debug.lines.stream().filter(l -> l.startsWith("[DEBUG] Unchanged target/hardway/"))
                .toList();
        assertEquals(101, unchanged.size(), "every name at debug level");
        assertTrue(unchanged.indexOf("[DEBUG] Unchanged target/hardway/worker-2.tar.gz")
                < unchanged.indexOf("[DEBUG] Unchanged target/hardway/worker-19.tar.gz"), "natural node order");

        RecordingLog quiet = new RecordingLog(RecordingLog.Level.ERROR);
        generate(quiet).execute();
        assertEquals(List.of(), quiet.lines, "mvn -q prints nothing but errors");
    }

    private static GenerateMojo forced(GenerateMojo mojo) {
        mojo.force = true;
        return mojo;
    }

    private static void assertShort(List<String> lines) {
        for (String line : lines) {
            assertTrue(line.length() <= MAX_LINE, "a line of " + line.length() + " characters: " + line);
        }
    }
}
