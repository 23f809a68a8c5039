package dev.hardway.approvals;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.hardway.api.GenerationRequest;
import dev.hardway.api.Golden;
import dev.hardway.api.Hardway;
import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * The golden snapshot's before -> after diff of day-2 operations, approved as one reviewable file each under
 * {@code src/test/approved/day2/}: what a pull request making that change shows, and proof that only the files
 * that must change do. Files added or removed are named; changed ones get a unified diff.
 */
class Day2DiffApprovalTest {
    @TempDir
    Path tmp;

    @Test
    void upgrade133To134_diff() throws IOException {
        String ha = Files.readString(TestClusters.sample("ha"));
        String before = ha.replaceFirst("kubernetesVersion: \\S+", "kubernetesVersion: 1.33.2");
        String after = ha.replaceFirst("kubernetesVersion: \\S+", "kubernetesVersion: 1.34.1");

        SnapshotApprovals.verify("day2/upgrade-1.33-to-1.34", Map.of("golden.diff", diff(before, after)));
    }

    @Test
    void removeMiddleWorker_diff() throws IOException {
        String ha = Files.readString(TestClusters.sample("ha"));
        // samples/ha: worker-0 and worker-1 with explicit subnets, worker-2 allocated (10.200.2.0/24). Without the
        // recorded allocation, removing worker-1 would move worker-2 to 10.200.1.0/24 on every node
        String before = ha;
        String after = ha.replaceFirst("(?s)  - name: worker-1\\n.*?(?=  - name: worker-2)", "");

        SnapshotApprovals.verify("day2/remove-middle-worker", Map.of("golden.diff", diff(before, after)));
    }

    /** Generates {@code before} into a fresh PKI, then renders {@code after} against it; diffs the snapshots. */
    private String diff(String before, String after) throws IOException {
        Path pki = tmp.resolve("pki");
        Path spec = tmp.resolve("cluster.yaml");
        Files.writeString(spec, before);
        Hardway.generate(request(spec, pki).outputDirectory(tmp.resolve("out")).build());
        SortedMap<String, String> a = Golden.snapshot(Hardway.render(request(spec, pki).build()));
        Files.writeString(spec, after);
        SortedMap<String, String> b = Golden.snapshot(Hardway.render(request(spec, pki).build()));
        StringBuilder out = new StringBuilder();
        TreeSet<String> paths = new TreeSet<>(a.keySet());
        paths.addAll(b.keySet());
        for (String path : paths) {
            if (!b.containsKey(path)) {
                out.append("removed ").append(path).append('\n');
            } else if (!a.containsKey(path)) {
                out.append("added ").append(path).append('\n');
            } else if (!a.get(path).equals(b.get(path))) {
                List<String> x = a.get(path).lines().toList();
                List<String> y = b.get(path).lines().toList();
                UnifiedDiffUtils.generateUnifiedDiff("a/" + path, "b/" + path, x, DiffUtils.diff(x, y), 1)
                        .forEach(l -> out.append(l).append('\n'));
            }
        }
        return out.toString();
    }

    private static GenerationRequest.Builder request(Path spec, Path pki) {
        return TestClusters.request(spec, pki).random(TestClusters.repeatableRandom("day2"));
    }
}
