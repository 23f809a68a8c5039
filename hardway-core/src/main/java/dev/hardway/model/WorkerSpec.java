package dev.hardway.model;

/**
 * A host that runs pods: containerd, kubelet and kube-proxy.
 *
 * @param name       host name, a DNS-1123 label; also the node's name in the API and the bundle's name
 * @param internalIp the address the kubelet advertises
 * @param podCidr    the worker's pod subnet inside {@code network.clusterCidr}; allocated when {@code null}
 */
public record WorkerSpec(String name, String internalIp, String podCidr) implements NodeSpec {
}
