package dev.hardway.api;

import dev.hardway.bundle.NodeBundle;
import dev.hardway.model.ResolvedCluster;
import dev.hardway.pki.Pki;
import dev.hardway.pki.PkiChange;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A whole cluster rendered in memory: every node's bundle, the packed tarballs and {@code admin.kubeconfig}.
 * Nothing has been written yet, neither outputs nor PKI; {@link Hardway#generate} writes both.
 *
 * @param cluster        the resolved spec
 * @param bundles        every node's files, controllers first
 * @param installScripts each node's install.sh, by node name
 * @param outputs        output files by name ({@code admin.kubeconfig}, {@code <node>.tar.gz})
 * @param secretOutputs  names of outputs that hold private keys
 */
public record RenderedCluster(ResolvedCluster cluster, List<NodeBundle> bundles, Map<String, String> installScripts,
                              Map<String, byte[]> outputs, Set<String> secretOutputs, Pki pki) {

    public static final String ADMIN_KUBECONFIG = "admin.kubeconfig";

    public RenderedCluster {
        bundles = List.copyOf(bundles);
        installScripts = Collections.unmodifiableMap(new TreeMap<>(installScripts));
        outputs = Collections.unmodifiableMap(new TreeMap<>(outputs));
        secretOutputs = Set.copyOf(secretOutputs);
    }

    public NodeBundle bundle(String node) {
        return bundles.stream().filter(b -> b.node().equals(node)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + node));
    }

    /** What generation would do, or did, to each PKI entry. */
    public List<PkiChange> pkiChanges() {
        return pki.changes();
    }

    public List<String> warnings() {
        return pki.warnings();
    }
}
