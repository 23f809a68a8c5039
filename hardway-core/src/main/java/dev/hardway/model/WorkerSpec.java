package dev.hardway.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A host that runs pods: containerd, kubelet and kube-proxy.
 *
 * @param name       host name, a DNS-1123 label; also the node's name in the API and the bundle's name
 * @param internalIp the address the kubelet advertises
 * @param podCidr    the worker's pod subnet inside {@code network.clusterCidr}; allocated when {@code null}
 * @param labels     labels the Node registers with
 * @param taints     taints the Node registers with
 */
public record WorkerSpec(
        @SpecField(description = "Host name, unique among all nodes; also the Node's name in the API "
                + "(certificate CN system:node:<name>) and the bundle's name.", example = "worker-0",
                required = true, format = ValueFormat.DNS_LABEL)
        String name,
        @SpecField(description = "The address the kubelet advertises; not loopback, link-local, multicast or "
                + "unspecified, outside clusterCidr and serviceCidr.", example = "10.240.0.20", required = true,
                format = ValueFormat.IP)
        String internalIp,
        @SpecField(description = "This worker's pod subnet, inside network.clusterCidr and disjoint from every "
                + "other node's.", example = "10.200.0.0/24",
                defaultRule = "the subnet the cluster state records for this worker's name, wherever it is in the "
                        + "list; for a new worker the lowest free network.podCidrPrefixLength subnet of "
                        + "clusterCidr, a removed node's only when no never-used one is left",
                format = ValueFormat.CIDR)
        String podCidr,
        @SpecField(description = "Labels the Node registers with (kubelet --node-labels). Keys in the "
                + "kubernetes.io and k8s.io namespaces only where the kubelet may set them itself "
                + "(kubelet.kubernetes.io/, node.kubernetes.io/, topology.kubernetes.io/zone, ...): NodeRestriction "
                + "keeps node-role.kubernetes.io/ from kubelets, so label those with kubectl.",
                example = "{example.com/pool: blue}", defaultValue = "{}", format = ValueFormat.LABEL_VALUE)
        Map<String, String> labels,
        @SpecField(description = "Taints the Node registers with (kubelet registerWithTaints).",
                example = "[{key: dedicated, value: gpu, effect: NoSchedule}]", defaultRule = "none")
        List<TaintSpec> taints) implements NodeSpec {

    public WorkerSpec {
        labels = labels == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        taints = SpecLists.copyOf("WorkerSpec", "taints", taints);
    }

    public WorkerSpec(String name, String internalIp, String podCidr) {
        this(name, internalIp, podCidr, null, null);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link WorkerSpec} field by field. */
    public static final class Builder {
        private String name;
        private String internalIp;
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

        public Builder taints(TaintSpec... taints) {
            this.taints = new ArrayList<>(List.of(taints));
            return this;
        }

        public WorkerSpec build() {
            return new WorkerSpec(name, internalIp, podCidr, labels, taints);
        }
    }
}
