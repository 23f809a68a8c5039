package dev.hardway.model;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What earlier generations of a cluster decided that this one must keep: each node's pod subnet, and the
 * Kubernetes release the bundles were last generated for. The validator takes a node's recorded subnet before it
 * allocates a new one, so removing a worker from the middle of the list moves no other worker's subnet, and it
 * refuses a {@code kubernetesVersion} that skips or goes back a minor release.
 *
 * @param source            where this was read from, for messages; {@code null} when there is no record yet
 * @param kubernetesVersion the release last generated; {@code null} when none was recorded
 * @param podCidrs          node name to the subnet it held at the last generation
 * @param released          subnets of nodes that have left the cluster, by their former node's name: handed to a
 *                          new node only when no never-used subnet is left (see {@code PodCidrAllocator})
 * @param network           the cluster's address plan at the last generation, by {@code network.} field name
 *                          ({@code clusterCidr}, {@code serviceCidr}, {@code clusterDns}); empty when not recorded.
 *                          A running cluster cannot simply move to another, so a change is warned of
 */
public record ClusterHistory(String source, Version kubernetesVersion, Map<String, String> podCidrs,
                             Map<String, String> released, Map<String, String> network) {

    /** A cluster generated for the first time. */
    public static final ClusterHistory NONE = new ClusterHistory(null, null, Map.of(), Map.of(), Map.of());

    public ClusterHistory {
        podCidrs = Collections.unmodifiableMap(new TreeMap<>(podCidrs));
        released = Collections.unmodifiableMap(new TreeMap<>(released));
        network = Collections.unmodifiableMap(new TreeMap<>(network));
    }

    public Optional<Version> lastVersion() {
        return Optional.ofNullable(kubernetesVersion);
    }

    /** The subnet recorded for {@code node}, whether it was a member at the last generation or had left. */
    Optional<String> podCidrOf(String node) {
        String held = podCidrs.get(node);
        return Optional.ofNullable(held != null ? held : released.get(node));
    }
}
