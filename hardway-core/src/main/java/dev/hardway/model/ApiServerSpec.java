package dev.hardway.model;

import java.util.ArrayList;
import java.util.List;

/**
 * How clients reach the Kubernetes API.
 *
 * @param endpoint  the URL every kubeconfig points at, e.g. {@code https://server.kubernetes.local:6443}
 * @param extraSans additional DNS names or IPs for the serving certificate (optional)
 */
public record ApiServerSpec(
        @SpecField(description = "The URL every kubeconfig points at: https, a host (DNS name or IP address) and "
                + "an optional port (443 when absent); no credentials, path, query or fragment.",
                example = "https://server.kubernetes.local:6443", required = true, format = ValueFormat.HTTPS_URL)
        String endpoint,
        @SpecField(description = "Additional DNS names and IP addresses for the API server's serving certificate, "
                + "e.g. a load balancer's. A DNS name may start with '*.'.",
                example = "[k8s.example.com, 203.0.113.10]", defaultValue = "[]", format = ValueFormat.SAN)
        List<String> extraSans) {

    public ApiServerSpec {
        extraSans = extraSans == null ? List.of() : List.copyOf(extraSans);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link ApiServerSpec} field by field. */
    public static final class Builder {
        private String endpoint;
        private final List<String> extraSans = new ArrayList<>();

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

        public ApiServerSpec build() {
            return new ApiServerSpec(endpoint, extraSans);
        }
    }
}
