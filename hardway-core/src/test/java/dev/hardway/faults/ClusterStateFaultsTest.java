package dev.hardway.faults;

import dev.hardway.pki.PkiDirectory;
import dev.hardway.state.ClusterState;
import dev.hardway.testing.GenerateProcess;
import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster state file moves with the PKI, in its transaction: a run killed at any moment leaves it exactly as
 * it was or exactly as the finished run writes it, never half, never ahead of the PKI.
 */
class ClusterStateFaultsTest {
    @TempDir
    Path work;

    /** One controller and the given workers, worker-1 optional; RSA keys, so a run lasts long enough to kill. */
    private Path spec(String name, boolean withWorker1, int extraWorkers) throws IOException {
        StringBuilder s = new StringBuilder(TestClusters.yamlUpToControllers("demo", "1.33.2")
                + "  - name: controller-0\n    internalIp: 10.240.0.10\n"
                + "workers:\n  - name: worker-0\n    internalIp: 10.240.1.0\n");
        if (withWorker1) {
            s.append("  - name: worker-1\n    internalIp: 10.240.1.1\n");
        }
        s.append("  - name: worker-2\n    internalIp: 10.240.1.2\n");
        for (int i = 0; i < extraWorkers; i++) {
            s.append("  - name: extra-").append(i).append("\n    internalIp: 10.240.2.").append(i).append('\n');
        }
        return Files.writeString(work.resolve(name + ".yaml"), s.append("pki:\n  keyAlgorithm: RSA\n").toString());
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    @Test
    void runRemovingAWorkerKilledAtManyPoints_leavesTheOldStateOrTheNewOne_neverAnotherAndAlwaysReadable()
            throws Exception {
        Path first = spec("first", true, 0);
        // worker-1 leaves, ten workers join: ten RSA keys to issue before the commit
        Path second = spec("second", false, 10);
        Path base = work.resolve("pki-base");
        GenerateProcess initial = GenerateProcess.start(first, base, work.resolve("out-base"));
        assertEquals(0, initial.await(), initial.output());
        byte[] old = Files.readAllBytes(base.resolve(PkiDirectory.CLUSTER_STATE));
        Path reference = work.resolve("pki-reference");
        copy(base, reference);
        assertEquals(0, GenerateProcess.run(second, reference, work.resolve("out-reference")));
        byte[] finished = Files.readAllBytes(reference.resolve(PkiDirectory.CLUSTER_STATE));
        assertTrue(new String(finished, StandardCharsets.UTF_8).contains("\nreleased worker-1 10.200.1.0/24\n"),
                new String(finished, StandardCharsets.UTF_8));

        long[] delays = {400, 1300, 2300, 3500};
        int killedMidway = 0;
        for (long delay : delays) {
            Path pki = work.resolve("pki-" + delay);
            copy(base, pki);
            GenerateProcess p = GenerateProcess.start(second, pki, work.resolve("out-" + delay));
            Thread.sleep(delay);
            killedMidway += p.isAlive() ? 1 : 0;
            p.kill();
            // a reader without the lock sees the decided state: the old one, or a committed journal's new one
            String seen = new PkiDirectory(pki).read().clusterState().orElseThrow();
            ClusterState.parse(seen, "after a kill at " + delay);
            assertTrue(seen.equals(new String(old, StandardCharsets.UTF_8))
                    || seen.equals(new String(finished, StandardCharsets.UTF_8)), "after a kill at " + delay + ":\n"
                    + seen);
            // the next run finishes the job: the same state as the uninterrupted run
            assertEquals(0, GenerateProcess.run(second, pki, work.resolve("out-" + delay)), "after " + delay);
            assertArrayEquals(finished, Files.readAllBytes(pki.resolve(PkiDirectory.CLUSTER_STATE)));
        }
        assertTrue(killedMidway >= 2, "at least some kills must land while the run works: " + killedMidway);
    }
}
