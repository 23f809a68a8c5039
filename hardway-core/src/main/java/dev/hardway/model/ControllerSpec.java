package dev.hardway.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A control-plane host: etcd member, kube-apiserver, kube-controller-manager and kube-scheduler; with
 * {@code enableWorker} also a Node (containerd, CNI, kubelet, kube-proxy), as in kubeadm's stacked control plane.
 *
 * @param name         host name, a DNS-1123 label; also the bundle's name
 * @param internalIp   the address other nodes reach it on
 * @param enableWorker whether it is also a Node; {@code null} takes {@code controlPlane.enableWorker}
 * @param podCidr      its pod subnet when it is a Node; allocated when {@code null}
 * @param labels       labels it registers with when it is a Node
 * @param taints       taints it registers with when it is a Node; {@code null} for the control-plane taint
 */
public record ControllerSpec(
        @SpecField(description = "Host name, unique among all nodes; also the bundle's name (<name>.tar.gz) and, "
                + "when it is a Node, the Node's name (certificate CN system:node:<name>).",
                example = "controller-0", required = true, format = ValueFormat.DNS_LABEL)
        String name,
        @SpecField(description = "The address other nodes reach this host on; not loopback, link-local, "
                + "multicast or unspecified, outside clusterCidr and serviceCidr.", example = "10.240.0.10",
                required = true, format = ValueFormat.IP)
        String internalIp,
        @SpecField(description = "Whether this controller is also a Node (containerd, CNI, kubelet, kube-proxy); "
                + "overrides controlPlane.enableWorker for this controller.", example = "true",
                defaultRule = "controlPlane.enableWorker")
        Boolean enableWorker,
        @SpecField(description = "This controller's pod subnet when it is a Node, inside network.clusterCidr and "
                + "disjoint from every other node's.", example = "10.200.10.0/24",
                defaultRule = "when it is a Node, the subnet the cluster state records for this controller's name; "
                        + "for a new one the lowest free network.podCidrPrefixLength subnet of clusterCidr, a "
                        + "removed node's only when no never-used one is left; new controllers are allocated "
                        + "before new workers",
                format = ValueFormat.CIDR)
        String podCidr,
        @SpecField(description = "Labels the Node registers with (kubelet --node-labels), when it is a Node. Keys "
                + "in the kubernetes.io and k8s.io namespaces only where the kubelet may set them itself "
                + "(kubelet.kubernetes.io/, node.kubernetes.io/, topology.kubernetes.io/zone, ...); hardway adds "
                + "node-role.kubernetes.io/control-plane after registration, as kubeadm does.",
                example = "{example.com/rack: r1}", defaultValue = "{}", format = ValueFormat.LABEL_VALUE)
        Map<String, String> labels,
        @SpecField(description = "Taints the Node registers with (kubelet registerWithTaints), when it is a Node; "
                + "they replace the default, as kubeadm's nodeRegistration.taints: [] registers none.",
                example = "[{key: dedicated, value: infra, effect: NoSchedule}]",
                defaultRule = "[{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}], or none with "
                        + "allowSchedulingOnControlPlanes")
        List<TaintSpec> taints) implements NodeSpec {

    public ControllerSpec {
        labels = labels == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        taints = SpecLists.copyOf("ControllerSpec", "taints", taints);
    }

    public ControllerSpec(String name, String internalIp) {
        this(name, internalIp, null, null, null, null);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link ControllerSpec} field by field. */
    public static final class Builder {
        private String name;
        private String internalIp;
        private Boolean enableWorker;
        private String podCidr;
        private Map<String, String> labels;
        private List<TaintSpec> taints;

        private Builder() {
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder internalIp(String address) {
            this.internalIp = address;
            return this;
        }

        /** Makes this controller a Node too, or not, whatever {@code controlPlane.enableWorker} says. */
        public Builder enableWorker(Boolean enable) {
            this.enableWorker = enable;
            return this;
        }

        public Builder podCidr(String cidr) {
            this.podCidr = cidr;
            return this;
        }

        public Builder label(String key, String value) {
            if (labels == null) {
                labels = new LinkedHashMap<>();
            }
            labels.put(key, value);
            return this;
        }

        /** Replaces the default taints; call with no taint to register none. */
        public Builder taints(TaintSpec... taints) {
            this.taints = new ArrayList<>(List.of(taints));
            return this;
        }

        public ControllerSpec build() {
            return new ControllerSpec(name, internalIp, enableWorker, podCidr, labels, taints);
        }
    }
}
