package dev.hardway.model;

/**
 * A host that runs pods: containerd, kubelet and kube-proxy.
 *
 * @param name       host name, a DNS-1123 label; also the node's name in the API and the bundle's name
 * @param internalIp the address the kubelet advertises
 * @param podCidr    the worker's pod subnet inside {@code network.clusterCidr}; allocated when {@code null}
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
                + "other worker's.", example = "10.200.0.0/24",
                defaultRule = "the lowest free network.podCidrPrefixLength subnet of clusterCidr that no earlier "
                        + "worker holds", format = ValueFormat.CIDR)
        String podCidr) implements NodeSpec {

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link WorkerSpec} field by field. */
    public static final class Builder {
        private String name;
        private String internalIp;
        private String podCidr;

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

        public WorkerSpec build() {
            return new WorkerSpec(name, internalIp, podCidr);
        }
    }
}
