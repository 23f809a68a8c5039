package dev.hardway.model;

/**
 * Container runtime settings.
 *
 * @param version containerd release installed on the nodes, e.g. {@code 2.1.4}; decides the config format
 *                (version 3 for containerd 2.x, version 2 for 1.7). Defaulted per Kubernetes minor.
 */
public record ContainerdSpec(String version) {
}
