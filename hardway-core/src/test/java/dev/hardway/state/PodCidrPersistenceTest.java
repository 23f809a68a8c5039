package dev.hardway.state;

import dev.hardway.api.GenerationResult;
import dev.hardway.api.Hardway;
import dev.hardway.model.InvalidSpecException;
import dev.hardway.model.ResolvedCluster;
import dev.hardway.model.SpecLoader;
import dev.hardway.pki.PkiDirectory;
import dev.hardway.state.ClusterSpecs.W;
import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pod subnets recorded in the PKI directory's cluster state: list order no longer decides them. */
class PodCidrPersistenceTest {
    @TempDir
    Path tmp;

    private Path pki() {
        return tmp.resolve("pki");
    }

    private Path stateFile() {
        return pki().resolve(PkiDirectory.CLUSTER_STATE);
    }

    private GenerationResult generate(List<W> workers) {
        Path spec = ClusterSpecs.write(tmp.resolve("cluster.yaml"), "1.33.2", workers);
        return Hardway.generate(TestClusters.request(spec, pki()).outputDirectory(tmp.resolve("out")).build());
    }

    private static Map<String, String> subnets(GenerationResult result) {
        Map<String, String> out = new LinkedHashMap<>();
        result.rendered().cluster().workers().forEach(w -> out.put(w.name(), w.podCidr()));
        return out;
    }

    @Test
    void middleWorkerRemoved_othersKeepTheirSubnets_aNewWorkerGetsANeverUsedOne_aReturningOneGetsItsOwnBack()
            throws IOException {
        generate(List.of(W.auto(0), W.auto(1), W.auto(2)));
        assertEquals(Map.of("worker-0", "10.200.0.0/24", "worker-1", "10.200.1.0/24", "worker-2", "10.200.2.0/24"),
                ClusterState.parse(Files.readString(stateFile()), "state").podCidrs());

        GenerationResult removed = generate(List.of(W.auto(0), W.auto(2)));
        // in list order worker-2 would have moved to 10.200.1.0/24
        assertEquals(Map.of("worker-0", "10.200.0.0/24", "worker-2", "10.200.2.0/24"), subnets(removed));
        String routes = new String(removed.rendered().bundle("worker-0").files().stream()
                .filter(f -> f.path().equals("/etc/hardway/pod-routes")).findFirst().orElseThrow().content());
        assertTrue(routes.contains("10.200.2.0/24") && !routes.contains("10.200.1.0/24"), routes);
        assertTrue(Files.readString(stateFile()).contains("\nreleased worker-1 10.200.1.0/24\n"));

        GenerationResult added = generate(List.of(W.auto(0), W.auto(2), W.auto(3)));
        assertEquals("10.200.3.0/24", subnets(added).get("worker-3"), "the released subnet is not handed out");

        GenerationResult back = generate(List.of(W.auto(0), W.auto(1), W.auto(2), W.auto(3)));
        assertEquals(Map.of("worker-0", "10.200.0.0/24", "worker-1", "10.200.1.0/24", "worker-2", "10.200.2.0/24",
                "worker-3", "10.200.3.0/24"), subnets(back));
        assertFalse(Files.readString(stateFile()).contains("\nreleased "), Files.readString(stateFile()));
    }

    @Test
    void workerRemovedAndAnotherAddedInOneRun_theNewOneDoesNotGetTheDepartedSubnet() {
        generate(List.of(W.auto(0), W.auto(1), W.auto(2)));

        GenerationResult swapped = generate(List.of(W.auto(0), W.auto(2), W.auto(3)));

        assertEquals(Map.of("worker-0", "10.200.0.0/24", "worker-2", "10.200.2.0/24", "worker-3", "10.200.3.0/24"),
                subnets(swapped), "worker-1's host may still run until it is shut down: its subnet waits");
    }

    @Test
    void workersReordered_keepTheirSubnets() {
        generate(List.of(W.auto(0), W.auto(1), W.auto(2)));

        GenerationResult reordered = generate(List.of(W.auto(2), W.auto(0), W.auto(1)));

        assertEquals(Map.of("worker-0", "10.200.0.0/24", "worker-1", "10.200.1.0/24", "worker-2", "10.200.2.0/24"),
                subnets(reordered));
    }

    @Test
    void rerunWithTheSameSpec_leavesTheStateFileUntouched() throws IOException {
        generate(List.of(W.auto(0), W.auto(1)));
        byte[] bytes = Files.readAllBytes(stateFile());
        FileTime mtime = Files.getLastModifiedTime(stateFile());

        generate(List.of(W.auto(0), W.auto(1)));

        assertArrayEquals(bytes, Files.readAllBytes(stateFile()));
        assertEquals(mtime, Files.getLastModifiedTime(stateFile()));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(stateFile())));
    }

    @Test
    void explicitSubnetChanged_movesThatWorkerOnly_andRemovingItKeepsTheRecordedOne() {
        generate(List.of(W.auto(0), new W("worker-1", "10.240.0.21", "10.200.8.0/24"), W.auto(2)));

        GenerationResult changed = generate(List.of(W.auto(0), new W("worker-1", "10.240.0.21", "10.200.9.0/24"),
                W.auto(2)));
        assertEquals(Map.of("worker-0", "10.200.0.0/24", "worker-1", "10.200.9.0/24", "worker-2", "10.200.1.0/24"),
                subnets(changed));

        // the explicit podCidr taken out of the spec: the worker keeps the subnet it has
        GenerationResult dropped = generate(List.of(W.auto(0), W.auto(1), W.auto(2)));
        assertEquals("10.200.9.0/24", subnets(dropped).get("worker-1"));
    }

    @Test
    void explicitSubnetOfAnotherWorkersRecordedOne_isAnErrorWithLine_andNothingIsWritten() throws IOException {
        generate(List.of(W.auto(0), W.auto(1)));
        byte[] before = Files.readAllBytes(stateFile());

        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> generate(List.of(W.auto(0), W.auto(1), new W("worker-2", "10.240.0.22", "10.200.1.0/24"))));

        assertEquals(1, e.problems().size(), e.getMessage());
        String m = e.getMessage();
        assertTrue(m.contains("cluster.yaml:20:5: workers[2].podCidr: 10.200.1.0/24 overlaps 10.200.1.0/24, the "
                + "podCidr workers[1] (worker-1) was given when the cluster was generated before (recorded in "
                + stateFile() + "); a node's subnet never moves: pick another"), m);
        assertArrayEquals(before, Files.readAllBytes(stateFile()));
    }

    @Test
    void rangeExhausted_reusesTheLowestReleasedSubnet() {
        // a /22 holds four /24s
        ClusterState state = ClusterState.NONE;
        state = state.after(load(state, List.of(W.auto(0), W.auto(1), W.auto(2), W.auto(3))));
        state = state.after(load(state, List.of(W.auto(0), W.auto(2), W.auto(3))));
        assertEquals(Map.of("worker-1", "10.200.1.0/24"), state.released());

        ResolvedCluster full = load(state, List.of(W.auto(0), W.auto(2), W.auto(3), W.auto(4)));

        assertEquals("10.200.1.0/24", full.workers().get(3).podCidr());
        assertEquals(Map.of(), state.after(full).released());
    }

    @Test
    void pkiDirectoryWithoutAState_keepsTheListOrderSubnets_andRecordsThem() throws IOException {
        List<W> workers = List.of(new W("worker-0", "10.240.0.20", "10.200.1.0/24"), W.auto(1), W.auto(2));
        GenerationResult first = generate(workers);
        byte[] recorded = Files.readAllBytes(stateFile());
        Files.delete(stateFile()); // as a PKI directory from before the state file existed

        GenerationResult again = generate(workers);

        assertEquals(Map.of("worker-0", "10.200.1.0/24", "worker-1", "10.200.0.0/24", "worker-2", "10.200.2.0/24"),
                subnets(first));
        assertEquals(subnets(first), subnets(again));
        assertArrayEquals(recorded, Files.readAllBytes(stateFile()));
    }

    private static ResolvedCluster load(ClusterState state, List<W> workers) {
        String yaml = ClusterSpecs.yaml("1.33.2", workers).replace("clusterCidr: 10.200.0.0/16",
                "clusterCidr: 10.200.0.0/22");
        return new SpecLoader(state.history("state")).load(yaml, "cluster.yaml");
    }
}
