package dev.hardway.state;

import dev.hardway.testing.TestClusters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** cluster.yaml texts for the state tests: one controller, the given workers, ECDSA keys (fast to generate). */
final class ClusterSpecs {
    /** A worker line: its name, its address and an explicit podCidr or {@code null}. */
    record W(String name, String ip, String podCidr) {
        static W auto(int i) {
            return new W("worker-" + i, "10.240.0." + (20 + i), null);
        }
    }

    private ClusterSpecs() {
    }

    static String yaml(String version, List<W> workers) {
        StringBuilder s = new StringBuilder(TestClusters.yamlUpToControllers("demo", version)
                + "  - name: controller-0\n    internalIp: 10.240.0.10\nworkers:\n");
        for (W w : workers) {
            s.append("  - name: ").append(w.name()).append('\n');
            s.append("    internalIp: ").append(w.ip()).append('\n');
            if (w.podCidr() != null) {
                s.append("    podCidr: ").append(w.podCidr()).append('\n');
            }
        }
        return s.append("pki:\n  keyAlgorithm: ECDSA\n").toString();
    }

    static Path write(Path file, String version, List<W> workers) {
        try {
            Files.writeString(file, yaml(version, workers));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
