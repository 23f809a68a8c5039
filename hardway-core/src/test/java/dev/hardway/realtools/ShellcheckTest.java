package dev.hardway.realtools;

import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real {@code shellcheck}, at its default severity (style and up), on every shell script users run. */
class ShellcheckTest {

    private static RealTools.Result shellcheck(Path script) {
        return RealTools.command("shellcheck", "--shell=bash", "--format=gcc", script.toString()).run();
    }

    @Test
    void generatedWorkerInstallScript_isShellcheckClean(@TempDir Path scratch) {
        GeneratedCluster cluster = GeneratedCluster.minimal(scratch);
        Path script = cluster.unpack("worker-0", scratch.resolve("unpacked")).resolve("install.sh");

        RealTools.Result check = shellcheck(script);

        assertEquals(0, check.exitCode(), "shellcheck findings in the generated install.sh (fix "
                + "templates/bundle/install.sh.ftl)\n" + check.describe());
        assertEquals("", check.stdout());
    }

    @Test
    void generatedInstallManifests_areShellSyntaxThatSetsOnlyTheInstallersSettings(@TempDir Path scratch)
            throws IOException {
        GeneratedCluster cluster = GeneratedCluster.minimal(scratch);
        for (String node : new String[] {"controller-0", "worker-0"}) {
            Path manifest = cluster.unpack(node, scratch.resolve(node)).resolve("install.manifest");
            RealTools.Result syntax = RealTools.command("bash", "-n", manifest.toString()).run();
            assertEquals(0, syntax.exitCode(), node + "\n" + syntax.describe());
            // data, not a program: assignments and the installer's add_* / check_version calls, nothing else
            for (String line : Files.readAllLines(manifest)) {
                assertTrue(line.isEmpty() || line.startsWith("#") || line.matches("[A-Z][A-Z0-9_]*=.*")
                        || line.matches("(add_binary|add_dir|add_file|check_version) .*"), node + ": " + line);
            }
        }
    }

    @Test
    void repositoryScripts_areShellcheckClean() {
        for (String name : new String[] {"scripts/install-test-tools.sh", ".ci/run"}) {
            Path script = TestClusters.repositoryRoot().resolve(name);
            assertTrue(Files.isRegularFile(script), "missing " + script);

            RealTools.Result check = shellcheck(script);

            assertEquals(0, check.exitCode(), name + "\n" + check.describe());
        }
    }

    @Test
    void shellcheck_onUnquotedExpansion_reportsIt(@TempDir Path scratch) throws IOException {
        // proves the checks above use a shellcheck that reports findings, rather than one that accepts anything
        Path bad = Files.writeString(scratch.resolve("bad.sh"), "#!/usr/bin/env bash\nrm -rf $1/x\n");

        RealTools.Result check = shellcheck(bad);

        assertNotEquals(0, check.exitCode(), check.describe());
        assertTrue(check.stdout().contains("SC2086"), check.describe());
    }
}
