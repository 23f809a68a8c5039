package dev.hardway.state;

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
        StringBuilder s = new StringBuilder("""
                name: demo
                kubernetesVersion: %s
                apiServer:
                  endpoint: https://server.kubernetes.local:6443
                network:
                  clusterCidr: 10.200.0.0/16
                  serviceCidr: 10.32.0.0/24
                  clusterDns: 10.32.0.10
                  clusterDomain: cluster.local
                controllers:
                  - name: controller-0
                    internalIp: 10.240.0.10
                workers:
                """.formatted(version));
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
