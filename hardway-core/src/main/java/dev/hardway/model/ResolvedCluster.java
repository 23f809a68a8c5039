package dev.hardway.model;

import java.util.List;
import java.util.stream.Stream;

/**
 * A validated cluster with every default applied and every pod subnet allocated: what generation works from.
 * Addresses are in canonical text form, ready for configuration files.
 *
 * @param spec                the spec this was resolved from
 * @param kubernetesVersion   the targeted release
 * @param release             what that release pins (CoreDNS, etcd, pause image, default containerd)
 * @param apiEndpoint         the URL kubeconfigs point at
 * @param apiEndpointHost     the host part of {@code apiEndpoint}
 * @param apiEndpointPort     the port of {@code apiEndpoint}, 443 when the URL names none
 * @param extraSans           extra names and addresses for the API server certificate
 * @param clusterCidr         the pod range of the whole cluster
 * @param serviceCidr         the service range
 * @param kubernetesServiceIp the first address of {@code serviceCidr}, the {@code kubernetes} service
 * @param clusterDns          the cluster DNS service address
 * @param clusterDomain       the cluster DNS domain
 * @param controllers         control-plane hosts, in spec order
 * @param workers             worker hosts with their pod subnets, in spec order
 * @param keyAlgorithm        key type of newly generated keys
 * @param caValidityDays      validity of new CAs
 * @param validityDays        validity of new leaf certificates
 * @param renewBeforeDays     leaf certificates expiring within this window are re-issued
 * @param containerdVersion   the containerd release on the nodes
 * @param resolvConf          the resolver file the kubelet hands to pods
 * @param maxPods             pods per node
 * @param podCidrPrefixLength the size of allocated pod subnets
 */
public record ResolvedCluster(
        ClusterSpec spec,
        String name,
        Version kubernetesVersion,
        KubernetesRelease release,
        String apiEndpoint,
        String apiEndpointHost,
        int apiEndpointPort,
        List<String> extraSans,
        String clusterCidr,
        String serviceCidr,
        String kubernetesServiceIp,
        String clusterDns,
        String clusterDomain,
        List<Node> controllers,
        List<Worker> workers,
        KeyAlgorithm keyAlgorithm,
        int caValidityDays,
        int validityDays,
        int renewBeforeDays,
        Version containerdVersion,
        String resolvConf,
        int maxPods,
        int podCidrPrefixLength) {

    public ResolvedCluster {
        extraSans = List.copyOf(extraSans);
        controllers = List.copyOf(controllers);
        workers = List.copyOf(workers);
    }

    /** Validates {@code spec} and resolves it, or throws with every problem found. */
    public static ResolvedCluster resolve(ClusterSpec spec) {
        return new SpecValidator().resolve(spec, null);
    }

    /** A control-plane host. */
    public record Node(String name, String internalIp) {
    }

    /** A worker host and its pod subnet. */
    public record Worker(String name, String internalIp, String podCidr) {
    }

    /** Controllers first, then workers: the order bundles are produced in. */
    public Stream<String> nodeNames() {
        return Stream.concat(controllers.stream().map(Node::name), workers.stream().map(Worker::name));
    }

    /**
     * The spec with every default written out and every pod subnet allocated: what {@code hardway:explain} shows.
     * Loading it gives this cluster again.
     */
    public ClusterSpec explicitSpec() {
        ClusterSpec.Builder b = ClusterSpec.builder()
                .name(name)
                .kubernetesVersion(kubernetesVersion.toString())
                .apiServer(a -> a.endpoint(apiEndpoint).extraSans(extraSans.toArray(String[]::new)))
                .network(n -> n.clusterCidr(clusterCidr).serviceCidr(serviceCidr).clusterDns(clusterDns)
                        .clusterDomain(clusterDomain).podCidrPrefixLength(podCidrPrefixLength));
        controllers.forEach(c -> b.controller(k -> k.name(c.name()).internalIp(c.internalIp())));
        workers.forEach(w -> b.worker(k -> k.name(w.name()).internalIp(w.internalIp()).podCidr(w.podCidr())));
        return b.pki(p -> p.keyAlgorithm(keyAlgorithm).caValidityDays(caValidityDays).validityDays(validityDays)
                        .renewBeforeDays(renewBeforeDays))
                .containerdVersion(containerdVersion.toString())
                .kubelet(k -> k.resolvConf(resolvConf).maxPods(maxPods))
                .build();
    }

    public boolean containerdUsesConfigV3() {
        return containerdVersion.major() >= 2;
    }
}
