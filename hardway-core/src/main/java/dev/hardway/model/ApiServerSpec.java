package dev.hardway.model;

import java.util.ArrayList;
import java.util.List;

/**
 * How clients reach the Kubernetes API.
 *
 * @param endpoint  the URL every kubeconfig points at, e.g. {@code https://server.kubernetes.local:6443}
 * @param extraSans additional DNS names or IPs for the serving certificate (optional)
 * @param extraArgs flags added to kube-apiserver's command line
 * @param address   optional: the IP address the endpoint's host name stands for. When set, every node's install.sh
 *                  keeps a marked {@code /etc/hosts} block mapping the name to it, for clusters without DNS for the
 *                  endpoint; when absent, the name must resolve on the workers already (install.sh checks)
 */
public record ApiServerSpec(
        @SpecField(description = "The URL every kubeconfig points at: https, a host (DNS name or IP address) and "
                + "an optional port (443 when absent); no credentials, path, query or fragment.",
                example = "https://server.kubernetes.local:6443", required = true, format = ValueFormat.HTTPS_URL)
        String endpoint,
        @SpecField(description = "Additional DNS names and IP addresses for the API server's serving certificate, "
                + "e.g. a load balancer's. A DNS name may start with '*.'.",
                example = "[k8s.example.com, 203.0.113.10]", defaultValue = "[]", format = ValueFormat.SAN)
        List<String> extraSans,
        @SpecField(description = "The IP address the endpoint's host name stands for, for clusters without DNS "
                + "for it: every node's install.sh then keeps a marked /etc/hosts block mapping the name to it. "
                + "When absent, the name must already resolve on the workers (install.sh checks).",
                example = "10.240.0.10", defaultRule = "none: the endpoint's name resolves through DNS",
                format = ValueFormat.IP)
        String address,
        @SpecField(description = "Flags added to kube-apiserver's command line, kubeadm's apiServer.extraArgs: "
                + "each must exist in the targeted release and must not be one hardway sets itself.",
                example = "[{name: audit-log-maxage, value: 30}]", defaultRule = "none")
        List<ExtraArg> extraArgs) {

    public ApiServerSpec {
        extraSans = extraSans == null ? List.of() : SpecLists.copyOf("ApiServerSpec", "extraSans", extraSans);
        extraArgs = SpecLists.copyOf("ApiServerSpec", "extraArgs", extraArgs);
    }

    public ApiServerSpec(String endpoint, List<String> extraSans) {
        this(endpoint, extraSans, null, null);
    }

    public ApiServerSpec(String endpoint, List<String> extraSans, String address) {
        this(endpoint, extraSans, address, null);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link ApiServerSpec} field by field. */
    public static final class Builder {
        private String endpoint;
        private final List<String> extraSans = new ArrayList<>();
        private String address;
        private final List<ExtraArg> extraArgs = new ArrayList<>();

        private Builder() {
        }

        public Builder endpoint(String endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** Adds names or addresses to {@code extraSans}. */
        public Builder extraSans(String... sans) {
            extraSans.addAll(List.of(sans));
            return this;
        }

        /** The endpoint host's address, kept in every node's /etc/hosts. */
        public Builder address(String address) {
            this.address = address;
            return this;
        }

        /** Adds a flag to kube-apiserver's command line. */
        public Builder extraArg(String name, String value) {
            extraArgs.add(new ExtraArg(name, value));
            return this;
        }

        public ApiServerSpec build() {
            return new ApiServerSpec(endpoint, extraSans, address, extraArgs.isEmpty() ? null : extraArgs);
        }
    }
}
