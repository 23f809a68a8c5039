package dev.hardway.model;

/**
 * Container runtime settings.
 *
 * @param version containerd release installed on the nodes, e.g. {@code 2.1.4}; decides the config format
 *                (version 3 for containerd 2.x, version 2 for 1.7). Defaulted per Kubernetes minor.
 */
public record ContainerdSpec(
        @SpecField(description = "The containerd release on the nodes; 2.x gets config format 3, 1.7.x "
                + "(Kubernetes 1.35 and older) format 2.", example = "2.2.7",
                defaultRule = "per Kubernetes minor: 2.1.9 for 1.32 to 1.34, 2.2.7 for 1.35 and 1.36",
                format = ValueFormat.RELEASE)
        String version) {
}
