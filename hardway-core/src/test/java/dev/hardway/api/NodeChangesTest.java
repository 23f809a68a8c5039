package dev.hardway.api;

import dev.hardway.golden.GoldenSnapshot;
import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each node's installer as the snapshot keeps it: once for every worker, and still every worker's own. */
class NodeChangesTest {
    @TempDir
    Path tmp;

    private SortedMap<String, String> ha() {
        return new TreeMap<>(Golden.snapshot(Hardway.render(TestClusters.request(TestClusters.sample("ha"),
                tmp.resolve("pki")).build())));
    }

    @Test
    void workersInstallManifest_isKeptOnce_andReadAsEachWorkersOwn() {
        SortedMap<String, String> snapshot = ha();

        String shared = snapshot.get("_every-worker/install.manifest");
        assertTrue(shared != null && shared.contains("add_binary /usr/local/bin/kubelet"), snapshot.keySet().toString());
        assertNull(snapshot.get("worker-1/install.manifest"));
        assertEquals(shared, GoldenSnapshot.installManifestOf(snapshot, "worker-1"));
        // controllers differ (controller-0 applies the add-ons), so each keeps its own
        assertTrue(snapshot.containsKey("controller-1/install.manifest"));
        assertEquals(snapshot.get("controller-1/install.manifest"),
                GoldenSnapshot.installManifestOf(snapshot, "controller-1"));
        assertNull(GoldenSnapshot.installManifestOf(snapshot, "worker-9"), "no such node, no installer");
    }

    @Test
    void aChangeOfTheSharedManifest_isAChangeOfEveryWorkersInstaller_andOfNoController() {
        SortedMap<String, String> before = ha();
        SortedMap<String, String> after = new TreeMap<>(before);
        after.put("_every-worker/install.manifest", before.get("_every-worker/install.manifest")
                .replace("runc 1.3.6", "runc 1.3.7"));

        List<NodeChanges.Node> nodes = NodeChanges.between(before, after);

        for (NodeChanges.Node n : nodes) {
            boolean worker = n.node().startsWith("worker-");
            assertEquals(worker, n.changed().containsKey(NodeChanges.INSTALLER), n.node() + ": " + n.changed());
            if (worker) {
                assertTrue(n.changed().get(NodeChanges.INSTALLER).contains("+add_binary /usr/local/sbin/runc runc "
                        + "1.3.7"), n.changed().toString());
            }
        }
        assertEquals(3, nodes.stream().filter(NodeChanges.Node::changes).count(), nodes.toString());
        assertFalse(nodes.stream().anyMatch(n -> n.node().equals(NodeChanges.CLUSTER)), nodes.toString());
    }
}
