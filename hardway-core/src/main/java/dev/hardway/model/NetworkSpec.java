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
public record NetworkSpec(String clusterCidr, String serviceCidr, String clusterDns, String clusterDomain,
                          Integer podCidrPrefixLength) {
}
