package dev.hardway.approvals;

import dev.hardway.api.Golden;
import dev.hardway.api.Hardway;
import dev.hardway.api.RenderedBundle;
import dev.hardway.api.RenderedCluster;
import dev.hardway.api.RenderedFile;
import dev.hardway.golden.UnifiedDiff;
import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * samples/ha grown from three controllers to five (the same PKI, as in an infra repo): the golden snapshot's
 * before → after diff, approved, and the rule behind it asserted. An old controller changes only where it must —
 * the members file (which restarts hardway-etcd-members, never etcd) and the API server's serving certificate
 * (which names every controller's address, and which kube-apiserver reloads without a restart); its
 * --etcd-servers names only its own member — and no worker changes at all.
 */
class ControllerGrowthApprovalTest {
    @Test
    void haSample_3To5Controllers_oldControllersChangeOnlyTheMembersFileAndServingCert_restartOnlyTheReconciler(
            @TempDir Path work) throws IOException {
        Path pki = work.resolve("pki");
        RenderedCluster three = Hardway.generate(TestClusters.request(TestClusters.sample("ha"), pki)
                .random(TestClusters.repeatableRandom("ha")).outputDirectory(work.resolve("out")).build()).rendered();
        String spec = Files.readString(TestClusters.sample("ha")).replace("""
                  - name: controller-2
                    internalIp: 10.240.0.12
                """, """
                  - name: controller-2
                    internalIp: 10.240.0.12
                  - name: controller-3
                    internalIp: 10.240.0.13
                  - name: controller-4
                    internalIp: 10.240.0.14
                """);
        Path fiveSpec = Files.writeString(work.resolve("cluster.yaml"), spec);
        RenderedCluster five = Hardway.render(TestClusters.request(fiveSpec, pki)
                .random(TestClusters.repeatableRandom("ha-5")).build());
        assertEquals(5, five.cluster().controllers().size());

        // what each existing node's install.sh would change and restart
        SortedMap<String, Set<String>> changedFiles = new TreeMap<>();
        SortedMap<String, Set<String>> restarts = new TreeMap<>();
        for (RenderedBundle before : three.bundles()) {
            RenderedBundle after = five.bundle(before.node());
            Set<String> changed = new TreeSet<>();
            Set<String> restarted = new TreeSet<>();
            for (RenderedFile f : after.files()) {
                if (before.files().stream().noneMatch(f::equals)) {
                    changed.add(f.path());
                    restarted.addAll(f.restarts());
                }
            }
            before.files().stream().map(RenderedFile::path)
                    .filter(p -> after.files().stream().noneMatch(f -> f.path().equals(p)))
                    .forEach(p -> changed.add(p + " (removed)"));
            changedFiles.put(before.node(), changed);
            restarts.put(before.node(), restarted);
            assertEquals(three.installScripts().get(before.node()), five.installScripts().get(before.node()),
                    before.node() + ": install.sh stays as it is");
        }
        for (String controller : new String[] {"controller-0", "controller-1", "controller-2"}) {
            // the API server's certificate names every controller's address
            assertEquals(Set.of("/etc/hardway/etcd-members", "/etc/kubernetes/pki/apiserver.crt"),
                    changedFiles.get(controller), controller + " changes only where it must");
            assertEquals(Set.of("hardway-etcd-members"), restarts.get(controller), controller);
            assertFalse(restarts.get(controller).contains("etcd"), controller + " must not restart etcd");
        }
        for (String worker : new String[] {"worker-0", "worker-1", "worker-2"}) {
            assertEquals(Set.of(), changedFiles.get(worker), worker + " changes nothing");
        }

        // the reviewer's view: the golden snapshot's diff, file by file
        SortedMap<String, String> a = Golden.snapshot(three);
        SortedMap<String, String> b = Golden.snapshot(five);
        StringBuilder diff = new StringBuilder("# samples/ha, 3 -> 5 controllers: the golden snapshot's changes\n");
        restarts.forEach((node, services) -> diff.append("# ").append(node).append(" restarts ")
                .append(services.isEmpty() ? "nothing" : String.join(" ", services)).append('\n'));
        Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String key : keys) {
            String old = a.get(key);
            String now = b.get(key);
            if (old == null) {
                diff.append("added ").append(key).append('\n');
            } else if (now == null) {
                diff.append("removed ").append(key).append('\n');
            } else if (!old.equals(now)) {
                diff.append(UnifiedDiff.of(key, old, now));
            }
        }
        SnapshotApprovals.verify("ha-3-to-5-controllers", Map.of("snapshot.diff", diff.toString()));
    }
}
