package dev.hardway.model;

/**
 * Whether the controllers are also Nodes, cluster-wide; each controller may override it. Every field is optional.
 *
 * @param enableWorker                   every controller also runs containerd, the CNI, the kubelet and kube-proxy
 *                                       and registers as a Node, as kubeadm's stacked control plane does (k0s calls
 *                                       it {@code --enable-worker}); {@code false} by default
 * @param allowSchedulingOnControlPlanes Talos' name: ordinary pods may run on the controllers, which then register
 *                                       without the {@code node-role.kubernetes.io/control-plane:NoSchedule} taint
 */
public record ControlPlaneSpec(
        @SpecField(description = "Every controller is also a Node: it runs containerd, the CNI plugins, the kubelet "
                + "and kube-proxy, gets a podCidr and registers labelled node-role.kubernetes.io/control-plane, as "
                + "kubeadm's stacked control plane (k0s: --enable-worker). controllers[].enableWorker overrides it "
                + "per controller.", example = "true", defaultValue = "false")
        Boolean enableWorker,
        @SpecField(description = "Ordinary pods may be scheduled on the controllers that are Nodes: they register "
                + "without kubeadm's node-role.kubernetes.io/control-plane:NoSchedule taint (Talos' "
                + "allowSchedulingOnControlPlanes). controllers[].taints overrides the taints per controller.",
                example = "true", defaultRule = "true when the cluster has no workers, false otherwise")
        Boolean allowSchedulingOnControlPlanes) {
}
