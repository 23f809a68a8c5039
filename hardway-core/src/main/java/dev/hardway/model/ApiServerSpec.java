package dev.hardway.model;

import java.util.List;

/**
 * How clients reach the Kubernetes API.
 *
 * @param endpoint  the URL every kubeconfig points at, e.g. {@code https://server.kubernetes.local:6443}
 * @param extraSans additional DNS names or IPs for the serving certificate (optional)
 * @param address   optional: the IP address the endpoint's host name stands for. When set, every node's install.sh
 *                  keeps a marked {@code /etc/hosts} block mapping the name to it, for clusters without DNS for the
 *                  endpoint; when absent, the name must resolve on the workers already (install.sh checks)
 */
public record ApiServerSpec(String endpoint, List<String> extraSans, String address) {
    public ApiServerSpec {
        extraSans = extraSans == null ? List.of() : List.copyOf(extraSans);
    }

    public ApiServerSpec(String endpoint, List<String> extraSans) {
        this(endpoint, extraSans, null);
    }
}
