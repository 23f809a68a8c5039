package dev.hardway.model;

/**
 * Cluster addressing.
 *
 * @param clusterCidr       the pod range of the whole cluster
 * @param serviceCidr       the service range; its first address becomes the {@code kubernetes} service
 * @param clusterDns        the cluster DNS service address, inside {@code serviceCidr}
 * @param clusterDomain     the cluster DNS domain, usually {@code cluster.local}
 * @param podCidrPrefixLength size of the per-worker pod subnet allocated when a worker has no {@code podCidr}
 *                          (optional, 24 by default as for kube-controller-manager's {@code --node-cidr-mask-size})
 */
public record NetworkSpec(
        @SpecField(description = "The pod range of the whole cluster; every worker's podCidr lies inside it.",
                example = "10.200.0.0/16", required = true, format = ValueFormat.CIDR)
        String clusterCidr,
        @SpecField(description = "The service range, disjoint from clusterCidr; its first address is the "
                + "kubernetes service.", example = "10.32.0.0/24", required = true, format = ValueFormat.CIDR)
        String serviceCidr,
        @SpecField(description = "The cluster DNS (CoreDNS) service address: inside serviceCidr, not its network, "
                + "first or broadcast address.", example = "10.32.0.10", required = true, format = ValueFormat.IP)
        String clusterDns,
        @SpecField(description = "The cluster's DNS domain.", example = "cluster.local", required = true,
                format = ValueFormat.DNS_SUBDOMAIN)
        String clusterDomain,
        @SpecField(description = "Prefix length of the pod subnet allocated to a worker without podCidr; each "
                + "subnet must hold kubelet.maxPods addresses.", example = "24", defaultValue = "24",
                defaultRule = "24 for IPv4, 64 for IPv6, never shorter than clusterCidr's", minimum = 1,
                maximum = 126)
        Integer podCidrPrefixLength) {

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link NetworkSpec} field by field. */
    public static final class Builder {
        private String clusterCidr;
        private String serviceCidr;
        private String clusterDns;
        private String clusterDomain;
        private Integer podCidrPrefixLength;

        private Builder() {
        }

        public Builder clusterCidr(String cidr) {
            this.clusterCidr = cidr;
            return this;
        }

        public Builder serviceCidr(String cidr) {
            this.serviceCidr = cidr;
            return this;
        }

        public Builder clusterDns(String address) {
            this.clusterDns = address;
            return this;
        }

        public Builder clusterDomain(String domain) {
            this.clusterDomain = domain;
            return this;
        }

        public Builder podCidrPrefixLength(Integer prefixLength) {
            this.podCidrPrefixLength = prefixLength;
            return this;
        }

        public NetworkSpec build() {
            return new NetworkSpec(clusterCidr, serviceCidr, clusterDns, clusterDomain, podCidrPrefixLength);
        }
    }
}
