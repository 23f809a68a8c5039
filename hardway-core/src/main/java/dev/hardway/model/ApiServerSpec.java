package dev.hardway.model;

import java.util.List;

/**
 * How clients reach the Kubernetes API.
 *
 * @param endpoint  the URL every kubeconfig points at, e.g. {@code https://server.kubernetes.local:6443}
 * @param extraSans additional DNS names or IPs for the serving certificate (optional)
 */
public record ApiServerSpec(String endpoint, List<String> extraSans) {
    public ApiServerSpec {
        extraSans = extraSans == null ? List.of() : List.copyOf(extraSans);
    }
}
