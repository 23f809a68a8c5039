package dev.hardway.api;

import dev.hardway.golden.GoldenDirectory;
import dev.hardway.golden.GoldenSnapshot;
import dev.hardway.model.PkiChange;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What generating now would change on each host, compared with the committed golden snapshot, like
 * {@code terraform plan}: per node the unified diff of every changed file, the files added and removed, the
 * modes that change, and the services {@code install.sh} would restart (read from the nodes' {@code FILES}
 * manifests). Made in memory; nothing is written, not even PKI files, and private keys are optional.
 *
 * @param golden     the golden directory compared with
 * @param nodes      the nodes that change, in {@link NaturalOrder}; entries outside any node (admin.kubeconfig,
 *                   the PKI fingerprints) come last, under the name {@value #CLUSTER}
 * @param unchanged  the nodes that would not change, in {@link NaturalOrder}
 * @param pkiChanges what generating would issue or re-issue (reused entries left out)
 */
public record ClusterPlan(Path golden, List<NodePlan> nodes, List<String> unchanged, List<PkiChange> pkiChanges) {

    /** The pseudo node of files that belong to no host. */
    public static final String CLUSTER = NodeChanges.CLUSTER;

    public ClusterPlan {
        nodes = List.copyOf(nodes);
        unchanged = List.copyOf(unchanged);
        pkiChanges = List.copyOf(pkiChanges);
    }

    /**
     * What changes on one node.
     *
     * @param node        the node's name
     * @param changed     host path to the unified diff of its content ({@code a/} committed, {@code b/} new)
     * @param added       host paths of files the node gains
     * @param removed     host paths of files it loses
     * @param modeChanges {@code 0644 -> 0600 /path} for each file whose mode changes
     * @param restarts    services install.sh restarts on the node for this change
     * @param kind        whether the node joins the cluster, changes in it or leaves it
     */
    public record NodePlan(String node, Map<String, String> changed, List<String> added, List<String> removed,
                           List<String> modeChanges, SortedSet<String> restarts, Kind kind) {
        /** A node the committed snapshot lacks, one it has in both, or one the new cluster lacks. */
        public enum Kind { NEW, CHANGED, LEAVING }

        public NodePlan {
            java.util.Objects.requireNonNull(kind, "kind");
            changed = Collections.unmodifiableMap(new LinkedHashMap<>(changed));
            added = List.copyOf(added);
            removed = List.copyOf(removed);
            modeChanges = List.copyOf(modeChanges);
            restarts = Collections.unmodifiableSortedSet(new TreeSet<>(restarts));
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
        SortedMap<String, String> after = Golden.snapshot(rendered);
        GoldenDirectory dir = new GoldenDirectory(goldenDirectory);
        SortedMap<String, String> before = dir.read();
        List<NodePlan> nodes = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        for (NodeChanges.Node n : NodeChanges.between(before, after)) {
            if (n.changes()) {
                // every node has its own FILES, wherever its installer is kept
                String manifest = n.node() + "/" + GoldenSnapshot.MANIFEST;
                NodePlan.Kind kind = n.node().equals(CLUSTER) || before.containsKey(manifest) == after.containsKey(
                        manifest) ? NodePlan.Kind.CHANGED
                        : before.containsKey(manifest) ? NodePlan.Kind.LEAVING : NodePlan.Kind.NEW;
                nodes.add(new NodePlan(n.node(), n.changed(), new ArrayList<>(n.added()), new ArrayList<>(n.removed()),
                        n.modeChanges(), n.restarts(), kind));
            } else {
                unchanged.add(n.node());
            }
        }
        List<PkiChange> pki = rendered.pkiChanges().stream().filter(c -> c.action() != PkiChange.Action.REUSED)
                .sorted((a, b) -> NaturalOrder.INSTANCE.compare(a.id(), b.id())).toList();
        return new ClusterPlan(dir.root(), nodes, unchanged, pki);
    }

    /** Whether generating would change nothing on any host. */
    public boolean isEmpty() {
        return nodes.isEmpty();
    }

    /**
     * The plan as the lines a reviewer reads: per node a summary, the files added, removed and changing mode, and
     * the diff of each changed file; a diff already shown for an earlier node (a file shared by every worker) is
     * named, not repeated. Last the PKI changes and a summary line.
     */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        Map<String, String> shownOn = new HashMap<>();
        for (NodePlan n : nodes) {
            out.add(n.node() + switch (n.kind()) {
                case NEW -> " (joins the cluster): ";
                case LEAVING -> " (leaves the cluster): ";
                case CHANGED -> ": ";
            } + n.summary());
            n.added().forEach(p -> out.add("  + " + p));
            n.removed().forEach(p -> out.add("  - " + p));
            n.modeChanges().forEach(m -> out.add("  mode " + m));
            n.changed().forEach((path, diff) -> {
                String body = withoutHeader(diff);
                String first = shownOn.putIfAbsent(path + "\n" + body, n.node());
                if (first != null) {
                    out.add("  " + path + ": the same change as on " + first);
                } else {
                    diff.lines().forEach(l -> out.add("  " + l));
                }
            });
        }
        pkiChanges.forEach(c -> out.add("PKI: would " + switch (c.action()) {
            case CREATED -> "issue";
            case REISSUED -> "reissue";
            case REMOVED -> "remove";
            case REUSED -> "reuse";
        } + " " + c.id() + (c.reason().isEmpty() ? "" : " (" + c.reason() + ")")));
        out.add(summary());
        return out;
    }

    /** "2 of 5 nodes change (1 joins), 3 unchanged; 1 leaves the cluster" or "No node changes: ...". */
    public String summary() {
        List<NodePlan> hosts = nodes.stream().filter(n -> !n.node().equals(CLUSTER)).toList();
        long leaving = hosts.stream().filter(n -> n.kind() == NodePlan.Kind.LEAVING).count();
        long joining = hosts.stream().filter(n -> n.kind() == NodePlan.Kind.NEW).count();
        long changing = hosts.size() - leaving;
        long total = changing + unchanged.stream().filter(n -> !n.equals(CLUSTER)).count();
        if (nodes.isEmpty()) {
            return "No node changes: the golden snapshot matches (" + total + " nodes)";
        }
        return changing + " of " + total + " nodes change"
                + (joining == 0 ? "" : " (" + joining + (joining == 1 ? " joins)" : " join)"))
                + ", " + (total - changing) + " unchanged"
                + (leaving == 0 ? "" : "; " + leaving + (leaving == 1 ? " leaves" : " leave") + " the cluster");
    }

    /** A diff without its {@code ---}/{@code +++} lines, which name the node. */
    private static String withoutHeader(String diff) {
        int hunk = diff.indexOf("\n@@");
        return hunk < 0 ? diff : diff.substring(hunk);
    }
}
