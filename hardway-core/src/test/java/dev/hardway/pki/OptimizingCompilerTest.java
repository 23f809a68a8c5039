package dev.hardway.pki;

import dev.hardway.testing.GenerateProcess;
import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's C1-only JVM for ECDSA clusters, and the warning an RSA run in such a JVM gives (real child JVMs). */
class OptimizingCompilerTest {
    private static final List<String> C1_ONLY = List.of("-XX:TieredStopAtLevel=1");

    @TempDir
    Path work;

    @Test
    void theTestJvm_hasItsOptimisingCompiler_soNoRsaRunIsWarned() {
        assertTrue(OptimizingCompiler.available());
        assertEquals(Optional.empty(), OptimizingCompiler.rsaWarning(1000));
    }

    @Test
    void newRsaKeysInAC1OnlyJvm_areWarnedOf_withTheirCount() throws IOException {
        Path pki = work.resolve("pki");
        TestClusters.generate("minimal", pki, work.resolve("first"));
        // the sample's RSA PKI, made in this JVM, and one worker more: one new key (its kubelet's), the rest reused
        Path spec = work.resolve("cluster.yaml");
        Files.writeString(spec, Files.readString(TestClusters.sample("minimal"))
                + "  - name: worker-1\n    internalIp: 10.240.0.21\n    podCidr: 10.200.1.0/24\n");
        GenerateProcess run = GenerateProcess.start(C1_ONLY, spec, pki, work.resolve("out"), null);
        assertEquals(0, run.await(), run.output());
        assertTrue(run.output().contains("warning: 1 RSA key was generated in a JVM without its optimising "
                + "compiler (-XX:TieredStopAtLevel=1"), run.output());
    }

    @Test
    void ecdsaKeysInAC1OnlyJvm_areNotWarnedOf() throws IOException {
        Path spec = work.resolve("cluster.yaml");
        Files.writeString(spec, TestClusters.yamlUpToControllers("ecdsa", "1.32.3")
                + "  - name: controller-0\n    internalIp: 10.240.0.10\nworkers:\n"
                + "  - name: worker-0\n    internalIp: 10.240.0.20\npki:\n  keyAlgorithm: ECDSA\n");
        GenerateProcess run = GenerateProcess.start(C1_ONLY, spec, work.resolve("pki"), work.resolve("out"), null);
        assertEquals(0, run.await(), run.output());
        assertTrue(Files.exists(work.resolve("pki/ca.key")), run.output());
        assertFalse(run.output().contains("warning:"), run.output());
    }
}
