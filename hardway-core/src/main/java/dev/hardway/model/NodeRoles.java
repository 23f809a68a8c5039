package dev.hardway.model;

import java.util.List;
import java.util.Set;

/**
 * The label rules of node registration. The kubelet refuses to start with a {@code --node-labels} key in the
 * {@code kubernetes.io} or {@code k8s.io} namespaces unless it is one of its own
 * ({@code ValidateKubeletFlags} in cmd/kubelet/app/options), and the NodeRestriction admission plugin refuses the
 * kubelet the same keys on its Node: so {@code node-role.kubernetes.io/control-plane} is applied by an
 * administrator after registration, as kubeadm's mark-control-plane phase does.
 */
public final class NodeRoles {
    /** The role label and taint key kubeadm gives control-plane nodes. */
    public static final String CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane";

    /** Prefixes of the kubernetes.io namespace the kubelet may set itself (kubeletapis.KubeletLabelNamespaces). */
    static final List<String> KUBELET_LABEL_NAMESPACES = List.of("kubelet.kubernetes.io", "node.kubernetes.io");

    /** The kubernetes.io labels the kubelet may set itself (kubeletapis.KubeletLabels). */
    static final Set<String> KUBELET_LABELS = Set.of("kubernetes.io/hostname", "kubernetes.io/arch", "kubernetes.io/os",
            "beta.kubernetes.io/arch", "beta.kubernetes.io/os", "beta.kubernetes.io/instance-type",
            "node.kubernetes.io/instance-type", "failure-domain.beta.kubernetes.io/region",
            "failure-domain.beta.kubernetes.io/zone", "topology.kubernetes.io/region", "topology.kubernetes.io/zone");

    private NodeRoles() {
    }

    /** Whether the kubelet accepts {@code key} in --node-labels (and NodeRestriction lets it keep it). */
    static boolean kubeletMaySet(String key) {
        int slash = key.indexOf('/');
        String namespace = slash < 0 ? "" : key.substring(0, slash);
        boolean reserved = namespace.equals("kubernetes.io") || namespace.endsWith(".kubernetes.io")
                || namespace.equals("k8s.io") || namespace.endsWith(".k8s.io");
        if (!reserved) {
            return true;
        }
        return KUBELET_LABELS.contains(key) || KUBELET_LABEL_NAMESPACES.stream()
                .anyMatch(n -> namespace.equals(n) || namespace.endsWith("." + n));
    }
}
