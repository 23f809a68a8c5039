package dev.hardway.maven.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two infra modules in one reactor, built in parallel ({@code -T 2}): each gets its own cluster and nothing of
 * the other's (no state shared between the two executions), Maven sees the plugin as thread-safe, a second build
 * works offline ({@code -o}) and under {@code -q} prints nothing.
 */
class MultiModuleParallelIT {

    @Test
    void package_twoClustersInParallel_generateEachItsOwnAndAQuietOfflineRerunPrintsNothing() throws IOException {
        InfraRepo repo = InfraRepo.fromProject("two-clusters", "two-clusters");

        MavenRun parallel = repo.mvn("-T", "2", "package");

        assertTrue(parallel.succeeded(), parallel.describe());
        assertTrue(parallel.output().contains("MultiThreadedBuilder implementation with a thread count of 2"),
                parallel.describe());
        assertFalse(parallel.output().contains("not marked as @threadSafe"), parallel.describe());
        // interleaved lines of two modules tell which module they are about
        for (String module : List.of("east", "west")) {
            assertTrue(parallel.output().contains("PKI " + module + "/pki: ")
                    && parallel.output().contains("Outputs " + module + "/target/hardway: "), parallel.describe());
        }
        assertCluster(repo, "east", List.of("controller-0", "worker-0", "worker-1"));
        assertCluster(repo, "west", List.of("controller-0", "worker-0", "worker-1", "worker-2"));
        assertFalse(repo.checksums("east/pki").get("ca.crt").equals(repo.checksums("west/pki").get("ca.crt")),
                "each cluster has its own CA");
        SortedMap<String, String> east = repo.checksums("east/target/hardway");
        SortedMap<String, String> west = repo.checksums("west/target/hardway");

        MavenRun quiet = repo.mvn("-o", "-q", "-T", "2", "package");

        assertTrue(quiet.succeeded(), quiet.describe());
        // Maven's console library may emit a bare colour reset even with -Dstyle.color=never; that is not output
        assertEquals("", quiet.output().replaceAll("\u001B\\[[0-9;]*m", "").strip(),
                "mvn -q prints nothing but errors:\n" + quiet.describe());
        assertEquals(without(east), without(repo.checksums("east/target/hardway")), "a rerun changes no bundle");
        assertEquals(without(west), without(repo.checksums("west/target/hardway")), "a rerun changes no bundle");
    }

    private static void assertCluster(InfraRepo repo, String module, List<String> nodes) throws IOException {
        JsonNode report = new ObjectMapper().readTree(repo.resolve(module + "/target/hardway/report.json").toFile());
        assertEquals(module, report.at("/cluster/name").asText(), report.toString());
        List<String> names = new ArrayList<>();
        report.get("nodes").forEach(n -> names.add(n.get("name").asText()));
        assertEquals(nodes, names);
        for (String node : nodes) {
            assertTrue(repo.resolve(module + "/target/hardway/" + node + ".tar.gz").toFile().isFile(), module + node);
        }
        String kubelet = java.nio.file.Files.readString(
                repo.resolve(module + "/golden/worker-0/var/lib/kubelet/kubeconfig"));
        assertTrue(kubelet.contains("https://" + module + ".kubernetes.local:6443"), kubelet);
    }

    /** Checksums without report.json, which says what the run did and so differs between a first and a rerun. */
    private static SortedMap<String, String> without(SortedMap<String, String> checksums) {
        SortedMap<String, String> out = new java.util.TreeMap<>(checksums);
        out.remove("report.json");
        return out;
    }
}
