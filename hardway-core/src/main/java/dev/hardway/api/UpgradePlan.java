package dev.hardway.api;

import dev.hardway.artifacts.KubeletVersionCheck;
import dev.hardway.model.KubernetesRelease;
import dev.hardway.model.ResolvedCluster;
import dev.hardway.model.Version;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The order to install the bundles of a {@code kubernetesVersion} change in, as the Kubernetes version skew policy
 * requires (https://kubernetes.io/releases/version-skew-policy/): etcd first, with etcd's own minimum versions;
 * then the controllers one at a time (kube-apiserver instances may differ by one minor while they roll, and
 * kube-controller-manager and kube-scheduler must not be newer than the API servers they talk to); then the
 * workers (a kubelet or kube-proxy must never be newer than the API server). Generation only writes the bundles;
 * the operator installs them in this order. A value: computing it reads and writes nothing.
 *
 * @param from  the release the cluster was last generated for
 * @param to    the release generated now
 * @param steps what to do, in order
 */
public record UpgradePlan(Version from, Version to, List<Step> steps) {

    /**
     * etcd minor upgrades that need a minimum patch release of the minor before: the 3.5 to 3.6 upgrade needs
     * every member on 3.5.26 or later (3.5.20 fixed members reverting to learners, 3.5.26 repairs the membership
     * data that otherwise brings removed "zombie" members back; https://etcd.io/docs/v3.6/upgrades/upgrade_3_6/).
     */
    private static final Map<String, String> ETCD_MINIMUM_BEFORE = Map.of("3.6", "3.5.26");
    private static final String ETCD_UPGRADE_GUIDE = "https://etcd.io/docs/v3.6/upgrades/upgrade_3_6/";
    /** Names a plan line spells out before it says "and N more" (every name is in the step's nodes). */
    private static final int NAMES_SHOWN = 5;

    public UpgradePlan {
        steps = List.copyOf(steps);
    }

    /**
     * One step: what to upgrade, on which nodes, and how.
     *
     * @param title   what the step upgrades
     * @param nodes   the nodes it touches, in the order to do them
     * @param actions what to do, in order
     */
    public record Step(String title, List<String> nodes, List<String> actions) {
        public Step {
            nodes = List.copyOf(nodes);
            actions = List.copyOf(actions);
        }
    }

    /** The plan from {@code last} (the release recorded at the last generation) to {@code cluster}'s release. */
    public static Optional<UpgradePlan> of(Optional<Version> last, ResolvedCluster cluster) {
        if (last.isEmpty() || last.get().equals(cluster.kubernetesVersion())) {
            return Optional.empty();
        }
        Version from = last.get();
        Version to = cluster.kubernetesVersion();
        List<String> controllers = cluster.controllers().stream().map(ResolvedCluster.Node::name).toList();
        List<String> workers = cluster.workers().stream().map(ResolvedCluster.Worker::name).toList();
        List<Step> steps = new ArrayList<>();
        steps.add(etcd(from, cluster, controllers));
        boolean sameMinor = from.minorLine().equals(to.minorLine());
        steps.add(new Step("controllers, one at a time", controllers, List.of(
                "install each controller's bundle with its " + to + " executables (`install.sh --binaries DIR`, "
                        + "or put them in place first: install.sh refuses other versions), then wait until "
                        + "`etcdctl endpoint health --cluster` is healthy and the API server answers /readyz before "
                        + "the next: install.sh restarts every service there whose executable changed since it "
                        + "last ran (kube-apiserver, kube-controller-manager and kube-scheduler) or whose files "
                        + "changed",
                sameMinor
                        ? "while they roll, the API servers differ only in the patch release (" + from + " and " + to
                        + "), which the version skew policy allows"
                        : "while they roll, the API servers differ by one minor (" + from.minorLine() + " and "
                        + to.minorLine() + "), which the version skew policy allows")));
        steps.add(new Step("workers, once every controller runs " + to.minorLine(), workers, List.of(
                "for each worker (or a few at a time): `kubectl drain NODE --ignore-daemonsets`, install its "
                        + "bundle with its " + to + " executables (install.sh restarts the kubelet and kube-proxy "
                        + "for them), `kubectl uncordon NODE`",
                "a kubelet refuses to start while the API server it points at is older "
                        + "(ExecStartPre: " + KubeletVersionCheck.PATH + ")")));
        return Optional.of(new UpgradePlan(from, to, steps));
    }

    private static Step etcd(Version from, ResolvedCluster cluster, List<String> controllers) {
        Optional<String> before = KubernetesRelease.of(from).map(KubernetesRelease::etcdVersion);
        String after = cluster.release().etcdVersion();
        List<String> actions = new ArrayList<>();
        actions.add("take a snapshot first: `etcdctl snapshot save` on one member");
        if (before.isPresent() && before.get().equals(after)) {
            actions.add("etcd stays " + after + ": keep its executable; install.sh restarts a member only where "
                    + "its controller's bundle changes etcd's files");
            return new Step("etcd " + after + " (unchanged)", controllers, actions);
        }
        String afterMinor = minorOf(after);
        String beforeText = before.orElse("the running release");
        String minimum = ETCD_MINIMUM_BEFORE.get(afterMinor);
        if (minimum != null && before.map(b -> !minorOf(b).equals(afterMinor)).orElse(true)) {
            boolean pairedTooOld = before.map(b -> Version.parse(b).orElseThrow()
                    .compareTo(Version.parse(minimum).orElseThrow()) < 0).orElse(true);
            actions.add("before any member runs " + afterMinor + ", every member must run " + minimum + " or later ("
                    + ETCD_UPGRADE_GUIDE + ")" + (pairedTooOld ? ": replace the etcd executable with " + minimum
                    + " or a later " + minorOf(minimum) + " release on each controller, one at a time (`systemctl "
                    + "restart etcd`, then wait until `etcdctl endpoint health --cluster` is healthy), still with "
                    + "the " + from.minorLine() + " bundles" : ""));
        }
        actions.add("etcd moves to " + after + " as each controller's bundle is installed in the next step, one "
                + "member at a time, so a quorum stays up");
        return new Step("etcd " + beforeText + " -> " + after, controllers, actions);
    }

    private static String minorOf(String version) {
        return version.replaceFirst("^(\\d+\\.\\d+).*", "$1");
    }

    /** The plan as log lines: a header, then each step with its nodes and actions. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add((to.compareTo(from) < 0 ? "Downgrade " : "Upgrade ") + from + " -> " + to
                + (from.minorLine().equals(to.minorLine()) ? " (a patch release)" : "")
                + ": install the bundles in this order (the version skew policy)");
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            out.add("  " + (i + 1) + ". " + s.title() + ": " + names(s.nodes()));
            s.actions().forEach(a -> out.add("     - " + a));
        }
        return out;
    }

    private static String names(List<String> nodes) {
        if (nodes.size() <= NAMES_SHOWN) {
            return String.join(", ", nodes);
        }
        return String.join(", ", nodes.subList(0, NAMES_SHOWN)) + " and " + (nodes.size() - NAMES_SHOWN) + " more";
    }
}
