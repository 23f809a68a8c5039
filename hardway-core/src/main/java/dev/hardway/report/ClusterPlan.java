package dev.hardway.report;

import dev.hardway.api.GenerationRequest;
import dev.hardway.api.Golden;
import dev.hardway.api.Hardway;
import dev.hardway.api.RenderedCluster;
import dev.hardway.golden.GoldenComparison;
import dev.hardway.golden.GoldenDirectory;
import dev.hardway.golden.GoldenSnapshot;
import dev.hardway.pki.PkiChange;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What generating now would change on each host, compared with the committed golden snapshot, like
 * {@code terraform plan}: per node the unified diff of every changed file, the files added and removed, the
 * modes that change, and the services {@code install.sh} would restart (read from the nodes' {@code FILES}
 * manifests). Made in memory; nothing is written, not even PKI files, and private keys are optional.
 *
 * @param golden     the golden directory compared with
 * @param nodes      the nodes that change, in {@link NaturalOrder}; files outside any node (admin.kubeconfig) come
 *                   under the name {@value #CLUSTER}
 * @param unchanged  the nodes that would not change, in {@link NaturalOrder}
 * @param pkiChanges what generating would issue or re-issue (reused entries left out)
 */
public record ClusterPlan(Path golden, List<NodePlan> nodes, List<String> unchanged, List<PkiChange> pkiChanges) {

    /** The pseudo node of files that belong to no host. */
    public static final String CLUSTER = "(cluster)";

    public ClusterPlan {
        nodes = List.copyOf(nodes);
        unchanged = List.copyOf(unchanged);
        pkiChanges = List.copyOf(pkiChanges);
    }

    /**
     * What changes on one node.
     *
     * @param node        the node's name
     * @param changed     diffs of files whose content changes, by host path ({@code a/} committed, {@code b/} new)
     * @param added       host paths of files the node gains
     * @param removed     host paths of files it loses
     * @param modeChanges "0644 -> 0600 /path" for each file whose mode changes
     * @param restarts    services install.sh restarts on the node for this change
     */
    public record NodePlan(String node, Map<String, String> changed, List<String> added, List<String> removed,
                           List<String> modeChanges, SortedSet<String> restarts) {
        public NodePlan {
            changed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(changed));
            added = List.copyOf(added);
            removed = List.copyOf(removed);
            modeChanges = List.copyOf(modeChanges);
            restarts = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(restarts));
        }

        /** "2 files changed, 1 added, 0 removed; restarts kubelet, kube-proxy". */
        public String summary() {
            return changed.size() + (changed.size() == 1 ? " file changed, " : " files changed, ") + added.size()
                    + " added, " + removed.size() + " removed"
                    + (modeChanges.isEmpty() ? "" : ", " + modeChanges.size() + " mode changes")
                    + (restarts.isEmpty() ? "; restarts nothing" : "; restarts " + String.join(", ", restarts));
        }
    }

    /** Renders the request's cluster in memory and compares it with {@code goldenDirectory}. */
    public static ClusterPlan of(GenerationRequest request, Path goldenDirectory) {
        RenderedCluster rendered = Hardway.render(request.withCertificatesOnly());
        SortedMap<String, String> snapshot = Golden.snapshot(rendered);
        GoldenDirectory dir = new GoldenDirectory(goldenDirectory);
        SortedMap<String, String> committed = dir.read();
        GoldenComparison comparison = dir.compare(snapshot);

        Map<String, Builder> byNode = new TreeMap<>(NaturalOrder.INSTANCE);
        for (GoldenComparison.FileDifference d : comparison.changed()) {
            if (!isManifest(d.path())) {
                node(byNode, d.path()).changed.put(hostPath(d.path()), d.diff());
            }
        }
        comparison.missing().stream().filter(p -> !isManifest(p))
                .forEach(p -> node(byNode, p).added.add(hostPath(p)));
        comparison.extra().stream().filter(p -> !isManifest(p))
                .forEach(p -> node(byNode, p).removed.add(hostPath(p)));

        // the manifests: mode changes, secret files (absent from the snapshot) added or removed, and restarts
        TreeSet<String> nodeNames = new TreeSet<>(NaturalOrder.INSTANCE);
        rendered.bundles().forEach(b -> nodeNames.add(b.node()));
        committed.keySet().stream().filter(ClusterPlan::isManifest).forEach(p -> nodeNames.add(nodeOf(p)));
        for (String node : nodeNames) {
            Map<String, Manifest.Entry> before = Manifest.parse(committed.get(node + "/" + GoldenSnapshot.MANIFEST));
            Map<String, Manifest.Entry> after = Manifest.parse(snapshot.get(node + "/" + GoldenSnapshot.MANIFEST));
            for (Map.Entry<String, Manifest.Entry> e : after.entrySet()) {
                Manifest.Entry old = before.get(e.getKey());
                if (old == null && e.getValue().secret()) {
                    builder(byNode, node).added.add(e.getKey());
                } else if (old != null && !old.mode().equals(e.getValue().mode())) {
                    builder(byNode, node).modeChanges.add(old.mode() + " -> " + e.getValue().mode() + " " + e.getKey());
                }
            }
            before.forEach((path, entry) -> {
                if (entry.secret() && !after.containsKey(path)) {
                    builder(byNode, node).removed.add(path);
                }
            });
            Builder b = byNode.get(node);
            if (b != null) {
                List<String> touched = new ArrayList<>(b.changed.keySet());
                touched.addAll(b.added);
                b.modeChanges.forEach(m -> touched.add(m.substring(m.lastIndexOf(' ') + 1)));
                touched.forEach(p -> b.restarts.addAll(after.getOrDefault(p, Manifest.Entry.NONE).restarts()));
            }
        }

        List<NodePlan> nodes = byNode.values().stream().map(Builder::build).toList();
        List<String> unchanged = rendered.bundles().stream().map(b -> b.node())
                .filter(n -> !byNode.containsKey(n)).sorted(NaturalOrder.INSTANCE).toList();
        List<PkiChange> pki = rendered.pkiChanges().stream().filter(c -> c.action() != PkiChange.Action.REUSED)
                .sorted((a, b) -> NaturalOrder.INSTANCE.compare(a.id(), b.id())).toList();
        return new ClusterPlan(dir.root(), nodes, unchanged, pki);
    }

    /** Whether generating would change nothing on any host. */
    public boolean isEmpty() {
        return nodes.isEmpty();
    }

    /** The plan as the lines a reviewer reads: per node a summary, then its diffs; a last summary line. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        for (NodePlan n : nodes) {
            out.add(n.node() + ": " + n.summary());
            n.added().forEach(p -> out.add("  + " + p));
            n.removed().forEach(p -> out.add("  - " + p));
            n.modeChanges().forEach(m -> out.add("  mode " + m));
            n.changed().values().forEach(diff -> diff.lines().forEach(l -> out.add("  " + l)));
        }
        pkiChanges.forEach(c -> out.add("PKI: would " + c));
        out.add(summary());
        return out;
    }

    /** "2 of 5 nodes change, 3 unchanged" or "No node changes". */
    public String summary() {
        long hosts = nodes.stream().filter(n -> !n.node().equals(CLUSTER)).count();
        int total = (int) hosts + unchanged.size();
        return hosts == 0 && nodes.isEmpty() ? "No node changes: the golden snapshot matches (" + total + " nodes)"
                : hosts + " of " + total + " nodes change, " + unchanged.size() + " unchanged";
    }

    private static boolean isManifest(String snapshotPath) {
        return snapshotPath.endsWith("/" + GoldenSnapshot.MANIFEST) && snapshotPath.indexOf('/')
                == snapshotPath.length() - GoldenSnapshot.MANIFEST.length() - 1;
    }

    private static String nodeOf(String snapshotPath) {
        int slash = snapshotPath.indexOf('/');
        return slash < 0 ? CLUSTER : snapshotPath.substring(0, slash);
    }

    private static String hostPath(String snapshotPath) {
        int slash = snapshotPath.indexOf('/');
        return slash < 0 ? snapshotPath : snapshotPath.substring(slash);
    }

    private static Builder node(Map<String, Builder> byNode, String snapshotPath) {
        return builder(byNode, nodeOf(snapshotPath));
    }

    private static Builder builder(Map<String, Builder> byNode, String node) {
        return byNode.computeIfAbsent(node, Builder::new);
    }

    private static final class Builder {
        final String node;
        final Map<String, String> changed = new TreeMap<>();
        final SortedSet<String> added = new TreeSet<>();
        final SortedSet<String> removed = new TreeSet<>();
        final List<String> modeChanges = new ArrayList<>();
        final SortedSet<String> restarts = new TreeSet<>();

        Builder(String node) {
            this.node = Objects.requireNonNull(node);
        }

        NodePlan build() {
            return new NodePlan(node, changed, new ArrayList<>(added), new ArrayList<>(removed), modeChanges,
                    restarts);
        }
    }

    /** A node's {@code FILES} manifest as the golden snapshot writes it: {@code 0644 /path  -> a, b  (secret...)}. */
    static final class Manifest {
        record Entry(String mode, List<String> restarts, boolean secret) {
            static final Entry NONE = new Entry("", List.of(), false);
        }

        private Manifest() {
        }

        static Map<String, Entry> parse(String text) {
            Map<String, Entry> out = new TreeMap<>();
            if (text == null) {
                return out;
            }
            for (String line : text.lines().toList()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\\s+", 3);
                if (parts.length < 2) {
                    continue;
                }
                String rest = parts.length == 3 ? parts[2] : "";
                boolean secret = rest.contains("(secret, not shown)");
                List<String> restarts = List.of();
                int arrow = rest.indexOf("-> ");
                if (arrow >= 0) {
                    String services = rest.substring(arrow + 3).replace("(secret, not shown)", "").strip();
                    restarts = List.of(services.split(",\\s*"));
                }
                out.put(parts[1], new Entry(parts[0], restarts, secret));
            }
            return out;
        }
    }
}
