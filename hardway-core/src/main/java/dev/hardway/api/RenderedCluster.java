package dev.hardway.api;

import dev.hardway.bundle.NodeBundle;
import dev.hardway.model.PkiChange;
import dev.hardway.model.ResolvedCluster;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A whole cluster rendered in memory: every node's bundle, the packed tarballs and {@code admin.kubeconfig}, and
 * what issuing did to the PKI. A value: nothing has been written, nothing here can write, and two renderings of
 * the same inputs (spec, PKI, clock and random source) are equal.
 *
 * @param cluster          the resolved spec
 * @param bundles          every node's files, controllers first
 * @param installScripts   each node's install.sh, by node name (one program, the same on every node)
 * @param installManifests each node's install.manifest, by node name: what its install.sh installs there
 * @param secretOutputs    names of outputs that hold private keys
 * @param pkiChanges       what generating would do, or did, to each PKI entry
 * @param warnings         things to act on soon, such as a CA nearing expiry
 * @param pkiFingerprints  SHA-256 of each long-lived secret (the encryption key, the service-account key), by id:
 *                         a review sees when one changes without seeing it
 * @param renewalDue       the earliest instant at which generating again would renew a certificate or warn that a
 *                         CA nears its end; before it, the same inputs render the same cluster
 */
public record RenderedCluster(ResolvedCluster cluster, List<RenderedBundle> bundles, Map<String, String> installScripts,
                              Map<String, String> installManifests, Map<String, byte[]> outputs,
                              Set<String> secretOutputs, List<PkiChange> pkiChanges,
                              List<String> warnings, SortedMap<String, String> pkiFingerprints,
                              Instant renewalDue) {

    public static final String ADMIN_KUBECONFIG = "admin.kubeconfig";

    public RenderedCluster {
        bundles = List.copyOf(bundles);
        installScripts = Collections.unmodifiableMap(new TreeMap<>(installScripts));
        installManifests = Collections.unmodifiableMap(new TreeMap<>(installManifests));
        if (!(outputs instanceof HandedOver)) {
            Map<String, byte[]> copies = new TreeMap<>();
            outputs.forEach((name, bytes) -> copies.put(name, bytes.clone()));
            outputs = copies;
        }
        outputs = Collections.unmodifiableMap(outputs);
        secretOutputs = Set.copyOf(secretOutputs);
        pkiChanges = List.copyOf(pkiChanges);
        warnings = List.copyOf(warnings);
        pkiFingerprints = Collections.unmodifiableSortedMap(new TreeMap<>(pkiFingerprints));
        Objects.requireNonNull(renewalDue, "renewalDue");
    }

    /**
     * Outputs that their maker in this package hands over and never touches again: kept without copying them (at
     * 3000 nodes the tarballs are some 150 MB). Nobody outside can make one, and nothing here hands its arrays out
     * but as copies, so the record stays a value.
     */
    static final class HandedOver extends TreeMap<String, byte[]> {
    }

    /** Output files by name ({@code admin.kubeconfig}, {@code <node>.tar.gz}); each array is a copy. */
    @Override
    public Map<String, byte[]> outputs() {
        Map<String, byte[]> copies = new LinkedHashMap<>();
        outputs.forEach((name, bytes) -> copies.put(name, bytes.clone()));
        return Collections.unmodifiableMap(copies);
    }

    /** One output's bytes (a copy). */
    public byte[] output(String name) {
        byte[] bytes = outputs.get(name);
        if (bytes == null) {
            throw new IllegalArgumentException("no output " + name);
        }
        return bytes.clone();
    }

    /** The internal bundles, for the snapshot and reports of this package. */
    List<NodeBundle> nodeBundles() {
        return bundles.stream().map(RenderedBundle::internal).toList();
    }

    /** The outputs without copying, for the writer in this package. */
    SortedMap<String, byte[]> outputsForWriting() {
        return new TreeMap<>(outputs);
    }

    /** Equal when every component is, the outputs by their bytes: two renderings of the same inputs are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof RenderedCluster r && cluster.equals(r.cluster) && bundles.equals(r.bundles)
                && installScripts.equals(r.installScripts) && installManifests.equals(r.installManifests)
                && sameBytes(outputs, r.outputs) && secretOutputs.equals(r.secretOutputs)
                && pkiChanges.equals(r.pkiChanges) && warnings.equals(r.warnings)
                && pkiFingerprints.equals(r.pkiFingerprints) && renewalDue.equals(r.renewalDue);
    }

    private static boolean sameBytes(Map<String, byte[]> a, Map<String, byte[]> b) {
        return a.keySet().equals(b.keySet()) && a.entrySet().stream()
                .allMatch(e -> java.util.Arrays.equals(e.getValue(), b.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(cluster, bundles, pkiFingerprints, renewalDue);
        for (Map.Entry<String, byte[]> e : outputs.entrySet()) {
            h = 31 * h + e.getKey().hashCode() * 17 + java.util.Arrays.hashCode(e.getValue());
        }
        return h;
    }

    /** A summary: the arrays and the cluster's thousands of files are too much for a log line. */
    @Override
    public String toString() {
        return "RenderedCluster[" + cluster.name() + ", " + bundles.size() + " nodes, outputs " + outputs.keySet()
                + ", " + pkiChanges.size() + " PKI entries]";
    }

    /** The bundle of {@code node}. */
    public RenderedBundle bundle(String node) {
        return bundles.stream().filter(b -> b.node().equals(node)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + node));
    }
}
