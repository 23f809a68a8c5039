package dev.hardway.model;

/**
 * A control-plane host: etcd member, kube-apiserver, kube-controller-manager and kube-scheduler.
 *
 * @param name       host name, a DNS-1123 label; also the bundle's name
 * @param internalIp the address other nodes reach it on
 */
public record ControllerSpec(
        @SpecField(description = "Host name, unique among all nodes; also the bundle's name (<name>.tar.gz).",
                example = "controller-0", required = true, format = ValueFormat.DNS_LABEL)
        String name,
        @SpecField(description = "The address other nodes reach this host on; not loopback, link-local, "
                + "multicast or unspecified, outside clusterCidr and serviceCidr.", example = "10.240.0.10",
                required = true, format = ValueFormat.IP)
        String internalIp) implements NodeSpec {

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link ControllerSpec} field by field. */
    public static final class Builder {
        private String name;
        private String internalIp;

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

        public ControllerSpec build() {
            return new ControllerSpec(name, internalIp);
        }
    }
}
