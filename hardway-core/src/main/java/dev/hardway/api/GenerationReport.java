package dev.hardway.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hardway.bundle.NodeBundle;
import dev.hardway.model.PkiChange;
import dev.hardway.model.ResolvedCluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What {@code generate} did, as JSON ({@code report.json} beside the bundles), for CI annotations and rollout
 * tooling. The schema is stable within a {@value #SCHEMA_VERSION}: fields may be added, none is renamed or removed
 * without raising it.
 *
 * <pre>{@code
 * {
 *   "schemaVersion": 1,
 *   "kind": "hardway-generate",
 *   "cluster": {"name": "demo", "kubernetesVersion": "1.32.3", "controllers": 1, "workers": 1},
 *   "summary": {"nodes": 2, "bundlesWritten": 2, "bundlesUnchanged": 0, "filesWritten": 41, ...},
 *   "nodes": [{"name": "controller-0", "role": "controller", "bundle": "controller-0.tar.gz",
 *              "bundleStatus": "written", "files": {"written": ["/etc/..."], "unchanged": [], "removed": []},
 *              "restarts": ["etcd", "kube-apiserver"]}],
 *   "pki": [{"id": "ca", "action": "issued", "reason": ""}, {"id": "kubelet-worker-0", "action": "reissued",
 *            "reason": "expires within 30 days"}],
 *   "outputs": {"written": ["admin.kubeconfig"], "unchanged": [], "removed": []},
 *   "warnings": [],
 *   "upgrade": null
 * }
 * }</pre>
 *
 * <p>{@code upgrade} is set when {@code kubernetesVersion} moved from the release the PKI directory recorded:
 * {@code {"from": "1.33.2", "to": "1.34.1", "steps": [{"title": ..., "nodes": [...], "actions": [...]}]}}, the steps
 * in the order the version-skew policy asks for (etcd, then the controllers one by one, then the workers).
 *
 * <p>Nodes come in {@link NaturalOrder}, files by host path ({@code install.sh} is the node's installer). A node's
 * files are compared by content with the committed golden snapshot as it was before the run, so {@code written}
 * lists what a PR changes on that host (everything, on a first run) and {@code restarts} the services
 * {@code install.sh} restarts for it. Private keys are not in the snapshot; a renewed key shows through its
 * certificate. {@code action} is {@code issued} (new), {@code reissued}
 * (with the reason) or {@code reused}.
 */
public final class GenerationReport {
    /** Raised on any incompatible change of the JSON's shape. */
    public static final int SCHEMA_VERSION = 1;
    /** The file {@code generate} writes in its output directory. */
    public static final String FILE_NAME = "report.json";

    private GenerationReport() {
    }

    /**
     * The report of {@code result} as JSON text (UTF-8, LF, final newline).
     *
     * @param goldenBefore the golden snapshot before the run: a node's files are written when they differ from it
     */
    static String json(GenerationResult result, SortedMap<String, String> goldenBefore) {
        ResolvedCluster cluster = result.rendered().cluster();
        Map<String, NodeChanges.Node> changes = new HashMap<>();
        NodeChanges.between(goldenBefore, Golden.snapshot(result.rendered())).forEach(n -> changes.put(n.node(), n));

        ObjectNode root = Json.object();
        root.put("schemaVersion", SCHEMA_VERSION);
        root.put("kind", "hardway-generate");
        ObjectNode c = root.putObject("cluster");
        c.put("name", cluster.name());
        c.put("kubernetesVersion", cluster.kubernetesVersion().toString());
        c.put("controllers", cluster.controllers().size());
        c.put("workers", cluster.workers().size());

        List<NodeBundle> bundles = new ArrayList<>(result.rendered().nodeBundles());
        bundles.sort((a, b) -> NaturalOrder.INSTANCE.compare(a.node(), b.node()));
        Set<String> writtenOutputs = names(result.written());
        ObjectNode summary = root.putObject("summary");
        ArrayNode nodes = root.putArray("nodes");
        int bundlesWritten = 0;
        int filesWritten = 0;
        int filesUnchanged = 0;
        int nodesRestarting = 0;
        for (NodeBundle bundle : bundles) {
            NodeChanges.Node change = changes.get(bundle.node());
            List<String> written = change == null ? List.of() : change.written();
            List<String> unchanged = change == null ? List.of() : List.copyOf(change.unchanged());
            List<String> removed = change == null ? List.of() : List.copyOf(change.removed());
            SortedSet<String> restarts = change == null ? new TreeSet<>() : change.restarts();
            String archive = bundle.node() + ".tar.gz";
            boolean bundleWritten = writtenOutputs.contains(archive);
            ObjectNode n = nodes.addObject();
            n.put("name", bundle.node());
            n.put("role", bundle.role());
            n.put("bundle", archive);
            n.put("bundleStatus", bundleWritten ? "written" : "unchanged");
            ObjectNode files = n.putObject("files");
            strings(files.putArray("written"), written);
            strings(files.putArray("unchanged"), unchanged);
            strings(files.putArray("removed"), removed);
            strings(n.putArray("restarts"), restarts);
            bundlesWritten += bundleWritten ? 1 : 0;
            filesWritten += written.size();
            filesUnchanged += unchanged.size();
            nodesRestarting += restarts.isEmpty() ? 0 : 1;
        }
        summary.put("nodes", bundles.size());
        summary.put("bundlesWritten", bundlesWritten);
        summary.put("bundlesUnchanged", bundles.size() - bundlesWritten);
        summary.put("bundlesRemoved", result.removed().size());
        summary.put("filesWritten", filesWritten);
        summary.put("filesUnchanged", filesUnchanged);
        summary.put("nodesWithRestarts", nodesRestarting);
        for (PkiChange.Action action : PkiChange.Action.values()) {
            summary.put("pki" + capitalized(action(action)),
                    result.pkiChanges().stream().filter(p -> p.action() == action).count());
        }

        ArrayNode pki = root.putArray("pki");
        result.pkiChanges().stream()
                .sorted((a, b) -> NaturalOrder.INSTANCE.compare(a.id(), b.id()))
                .forEach(p -> pki.addObject().put("id", p.id()).put("action", action(p.action()))
                        .put("reason", p.reason()));

        ObjectNode outputs = root.putObject("outputs");
        strings(outputs.putArray("written"), sortedNames(result.written()));
        strings(outputs.putArray("unchanged"), sortedNames(result.unchanged()));
        strings(outputs.putArray("removed"), sortedNames(result.removed()));
        strings(root.putArray("warnings"), result.warnings());
        // an upgrade's steps in the skew-policy order, for rollout tooling; null when the release did not change
        result.upgrade().ifPresentOrElse(plan -> {
            ObjectNode u = root.putObject("upgrade");
            u.put("from", plan.from().toString());
            u.put("to", plan.to().toString());
            ArrayNode steps = u.putArray("steps");
            plan.steps().forEach(step -> {
                ObjectNode o = steps.addObject();
                o.put("title", step.title());
                strings(o.putArray("nodes"), step.nodes());
                strings(o.putArray("actions"), step.actions());
            });
        }, () -> root.putNull("upgrade"));
        return Json.write(root);
    }

    /** The report's word for a PKI action: {@code issued}, {@code reissued}, {@code reused}, {@code removed}. */
    public static String action(PkiChange.Action action) {
        return action == PkiChange.Action.CREATED ? "issued" : action.name().toLowerCase(Locale.ROOT);
    }

    private static String capitalized(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    private static Set<String> names(List<Path> paths) {
        Set<String> out = new TreeSet<>();
        paths.forEach(p -> out.add(p.getFileName().toString()));
        return out;
    }

    private static List<String> sortedNames(List<Path> paths) {
        return paths.stream().map(p -> p.getFileName().toString()).sorted(NaturalOrder.INSTANCE).toList();
    }

    private static void strings(ArrayNode array, Collection<String> values) {
        values.forEach(array::add);
    }
}
