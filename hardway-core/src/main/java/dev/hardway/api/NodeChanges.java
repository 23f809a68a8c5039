package dev.hardway.api;

import dev.hardway.golden.GoldenSnapshot;
import dev.hardway.golden.UnifiedDiff;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What changes on each host between two golden snapshots (the committed one and a new one), by content at each
 * host path. A snapshot keeps a file shared by a group of nodes once ({@code _every-worker/...}) and each node's
 * {@code FILES} manifest says where its copy is shown; this class rebuilds each node's own view from the
 * manifests first, so a file that only moves between a node's directory and a shared one is no change, and a
 * change to a shared file is a change on every node that receives it. Private keys are not in a snapshot: a
 * secret counts as added or removed from the manifests, never as changed.
 */
final class NodeChanges {
    /** The pseudo node of snapshot entries that belong to no host ({@code admin.kubeconfig}, {@code PKI}). */
    static final String CLUSTER = "(cluster)";
    /** A node's installer, shown under this name in its file lists. */
    static final String INSTALLER = "install.sh";

    /**
     * One node's change.
     *
     * @param changed     host path to its unified diff ({@code a/<node><path>} committed, {@code b/} new)
     * @param unchanged   host paths whose text stays
     * @param added       host paths the node gains
     * @param removed     host paths it loses
     * @param modeChanges {@code 0644 -> 0600 /path}
     * @param restarts    services install.sh restarts for this change, from the new manifest
     */
    record Node(String node, SortedMap<String, String> changed, SortedSet<String> unchanged, SortedSet<String> added,
                SortedSet<String> removed, List<String> modeChanges, SortedSet<String> restarts) {
        boolean changes() {
            return !changed.isEmpty() || !added.isEmpty() || !removed.isEmpty() || !modeChanges.isEmpty();
        }

        List<String> written() {
            List<String> out = new ArrayList<>(changed.keySet());
            out.addAll(added);
            out.sort(null);
            return out;
        }
    }

    private NodeChanges() {
    }

    /** Every node of either snapshot, in {@link NaturalOrder}, then {@value #CLUSTER} when its entries differ. */
    static List<Node> between(SortedMap<String, String> before, SortedMap<String, String> after) {
        SortedSet<String> nodes = new TreeSet<>(NaturalOrder.INSTANCE);
        nodes.addAll(manifestOwners(before));
        nodes.addAll(manifestOwners(after));
        // each node on its own, on every core: a thousand nodes' views, manifests and diffs
        List<Node> out = new ArrayList<>(List.copyOf(nodes).parallelStream().map(node -> {
            Map<String, Manifest.Entry> manifestBefore = Manifest.of(before, node);
            Map<String, Manifest.Entry> manifestAfter = Manifest.of(after, node);
            return compare(node, view(before, node, manifestBefore), view(after, node, manifestAfter),
                    manifestBefore, manifestAfter);
        }).toList());
        Map<String, String> clusterBefore = clusterEntries(before);
        Map<String, String> clusterAfter = clusterEntries(after);
        Node cluster = compare(CLUSTER, clusterBefore, clusterAfter, Map.of(), Map.of());
        if (cluster.changes()) {
            out.add(cluster);
        }
        return out;
    }

    private static Node compare(String node, Map<String, String> before, Map<String, String> after,
                                Map<String, Manifest.Entry> manifestBefore, Map<String, Manifest.Entry> manifestAfter) {
        SortedMap<String, String> changed = new TreeMap<>();
        SortedSet<String> unchanged = new TreeSet<>();
        SortedSet<String> added = new TreeSet<>();
        SortedSet<String> removed = new TreeSet<>();
        List<String> modeChanges = new ArrayList<>();
        String label = node.equals(CLUSTER) ? "" : node + (node.isEmpty() ? "" : "/");
        after.forEach((path, text) -> {
            String old = before.get(path);
            if (old == null) {
                added.add(path);
            } else if (!old.equals(text)) {
                changed.put(path, UnifiedDiff.of(label + strip(path), old, text));
            } else {
                unchanged.add(path);
            }
        });
        before.keySet().stream().filter(p -> !after.containsKey(p)).forEach(removed::add);
        manifestAfter.forEach((path, entry) -> {
            Manifest.Entry old = manifestBefore.get(path);
            if (entry.secret() && old == null) {
                added.add(path);
            } else if (old != null && !old.mode().equals(entry.mode())) {
                modeChanges.add(old.mode() + " -> " + entry.mode() + " " + path);
            }
        });
        manifestBefore.forEach((path, entry) -> {
            if (entry.secret() && !manifestAfter.containsKey(path)) {
                removed.add(path);
            }
        });
        SortedSet<String> restarts = new TreeSet<>();
        List<String> touched = new ArrayList<>(changed.keySet());
        touched.addAll(added);
        modeChanges.forEach(m -> touched.add(m.substring(m.lastIndexOf(' ') + 1)));
        touched.forEach(p -> restarts.addAll(manifestAfter.getOrDefault(p, Manifest.Entry.NONE).restarts()));
        return new Node(node, changed, unchanged, added, removed, modeChanges, restarts);
    }

    private static String strip(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }

    /** The nodes a snapshot has a manifest for. */
    private static List<String> manifestOwners(SortedMap<String, String> snapshot) {
        String suffix = "/" + GoldenSnapshot.MANIFEST;
        return snapshot.keySet().stream()
                .filter(k -> k.endsWith(suffix) && k.indexOf('/') == k.length() - suffix.length())
                .map(k -> k.substring(0, k.length() - suffix.length()))
                .filter(n -> !n.startsWith("_"))
                .toList();
    }

    /** Snapshot entries outside every node directory and shared directory. */
    private static Map<String, String> clusterEntries(SortedMap<String, String> snapshot) {
        Map<String, String> out = new TreeMap<>();
        snapshot.forEach((k, v) -> {
            if (k.indexOf('/') < 0) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** One node's files, host path to text, wherever the snapshot shows them; its installer as {@value #INSTALLER}. */
    private static Map<String, String> view(SortedMap<String, String> snapshot, String node,
                                            Map<String, Manifest.Entry> manifest) {
        Map<String, String> out = new LinkedHashMap<>();
        manifest.forEach((path, entry) -> {
            String text = snapshot.get((entry.shownIn() == null ? node : entry.shownIn()) + path);
            if (text != null) {
                out.put(path, text);
            }
        });
        // the installer is install.sh (kept once, in _every-node, when every node has the same) and the node's
        // install.manifest: a change to either is a change of the node's installer
        String data = GoldenSnapshot.installManifestOf(snapshot, node);
        // the shared copy is this node's only when the snapshot has the node: a node added or removed has no
        // installer on the side it is missing from, not the others'
        String script = snapshot.getOrDefault(node + "/" + GoldenSnapshot.INSTALLER, data == null ? null
                : snapshot.get(GoldenSnapshot.EVERY_NODE + "/" + GoldenSnapshot.INSTALLER));
        if (script != null || data != null) {
            out.put(INSTALLER, (script == null ? "" : script) + (data == null ? "" : data));
        }
        return out;
    }

    /** A node's {@code FILES} manifest: {@code 0644 /path  -> a, b  (shown in _every-worker)}. */
    static final class Manifest {
        private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");
        private static final java.util.regex.Pattern COMMA = java.util.regex.Pattern.compile(",\\s*");

        record Entry(String mode, List<String> restarts, boolean secret, String shownIn) {
            static final Entry NONE = new Entry("", List.of(), false, null);
        }

        private Manifest() {
        }

        static Map<String, Entry> of(SortedMap<String, String> snapshot, String node) {
            return parse(snapshot.get(node + "/" + GoldenSnapshot.MANIFEST));
        }

        static Map<String, Entry> parse(String text) {
            Map<String, Entry> out = new TreeMap<>();
            if (text == null) {
                return out;
            }
            for (String line : (Iterable<String>) text.lines()::iterator) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = WHITESPACE.split(line, 3);
                if (parts.length < 2) {
                    continue;
                }
                String rest = parts.length == 3 ? parts[2] : "";
                boolean secret = rest.contains("(secret, not shown)");
                String shownIn = null;
                int shown = rest.indexOf("(shown in ");
                if (shown >= 0) {
                    shownIn = rest.substring(shown + "(shown in ".length(), rest.indexOf(')', shown));
                }
                List<String> restarts = List.of();
                int arrow = rest.indexOf("-> ");
                if (arrow >= 0) {
                    String services = rest.substring(arrow + 3);
                    int note = services.indexOf("  (");
                    services = (note >= 0 ? services.substring(0, note) : services).strip();
                    restarts = List.of(COMMA.split(services));
                }
                out.put(parts[1], new Entry(parts[0], restarts, secret, shownIn));
            }
            return out;
        }
    }
}
