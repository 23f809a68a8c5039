package dev.hardway.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * @param resolvConf          the resolver file the kubelet hands to pods; where {@link #resolvConfPerHost()},
 *                            only the file for hosts running systemd-resolved (install.sh picks it per host)
 * @param maxPods             pods per node
 * @param podCidrPrefixLength the size of allocated pod subnets
 * @param kubeProxyMode       kube-proxy's mode: iptables, nftables or ipvs
 * @param extraArgs           per component (kube-apiserver, kube-controller-manager, kube-scheduler, kubelet,
 *                            kube-proxy), the flags the spec adds, validated against that component's flags
 * @param warnings            things the spec asks for that work but that the user should know about, such as a
 *                            deprecated kube-proxy mode
 * @param changeWarnings      those of {@code warnings} about a change from what the cluster state records (the
 *                            address plan): said by the run that makes the change, not by the runs after it
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
        int podCidrPrefixLength,
        String kubeProxyMode,
        Map<String, List<ExtraArg>> extraArgs,
        List<String> warnings,
        List<String> changeWarnings) {

    public ResolvedCluster {
        extraSans = List.copyOf(extraSans);
        controllers = List.copyOf(controllers);
        workers = List.copyOf(workers);
        extraArgs = Collections.unmodifiableMap(new TreeMap<>(extraArgs));
        warnings = List.copyOf(warnings);
        changeWarnings = List.copyOf(changeWarnings);
    }

    /** Validates {@code spec} and resolves it, or throws with every problem found. */
    public static ResolvedCluster resolve(ClusterSpec spec) {
        return new SpecValidator().resolve(spec, null);
    }

    /**
     * A control-plane host.
     *
     * @param kubelet how it registers as a Node, or {@code null} when it runs no kubelet
     */
    public record Node(String name, String internalIp, Worker kubelet) {
        public Node(String name, String internalIp) {
            this(name, internalIp, null);
        }

        /** Whether it is also a Node (kubeadm's stacked control plane). */
        public boolean isKubeletNode() {
            return kubelet != null;
        }
    }

    /**
     * A host that registers as a Node: a worker, or a controller that is also a Node.
     *
     * @param labels       labels the kubelet registers it with (--node-labels), sorted by key
     * @param taints       taints the kubelet registers it with (registerWithTaints)
     * @param controlPlane whether it is a controller: labelled node-role.kubernetes.io/control-plane after
     *                     registration
     */
    public record Worker(String name, String internalIp, String podCidr, Map<String, String> labels,
                         List<TaintSpec> taints, boolean controlPlane) {
        public Worker {
            labels = Collections.unmodifiableMap(new TreeMap<>(labels));
            taints = List.copyOf(taints);
        }

        public Worker(String name, String internalIp, String podCidr) {
            this(name, internalIp, podCidr, Map.of(), List.of(), false);
        }
    }

    /** Controllers first, then workers: the order bundles are produced in. */
    public Stream<String> nodeNames() {
        return Stream.concat(controllers.stream().map(Node::name), workers.stream().map(Worker::name));
    }

    /** Every host that registers as a Node: the controllers that are, then the workers, each in spec order. */
    public List<Worker> kubeletNodes() {
        return Stream.concat(controllers.stream().filter(Node::isKubeletNode).map(Node::kubelet), workers.stream())
                .toList();
    }

    /**
     * Whether install.sh picks the kubelet's resolver file per host (systemd-resolved's where it is active,
     * /etc/resolv.conf elsewhere, as kubeadm does): {@code kubelet.resolvConf} is absent from the spec. A path
     * written there fixes one file for every host instead, even when it names the per-host default.
     */
    public boolean resolvConfPerHost() {
        return spec.kubelet() == null || spec.kubelet().resolvConf() == null;
    }

    /** The flags the spec adds to {@code component} (kube-apiserver, kubelet, ...), in spec order. */
    public List<ExtraArg> extraArgs(String component) {
        return extraArgs.getOrDefault(component, List.of());
    }

    /**
     * The spec with every default written out and every pod subnet allocated: what {@code hardway:explain} shows.
     * Loading it gives this cluster again. The one default left out is {@code kubelet.resolvConf}'s, which is a
     * choice install.sh makes per host, not a value ({@link #resolvConfPerHost()}).
     */
    public ClusterSpec explicitSpec() {
        ApiServerSpec api = spec.apiServer();
        ClusterSpec.Builder b = ClusterSpec.builder()
                .name(name)
                .kubernetesVersion(kubernetesVersion.toString())
                .apiServer(new ApiServerSpec(apiEndpoint, extraSans, api.address(), nullIfEmpty(api.extraArgs())))
                .network(n -> n.clusterCidr(clusterCidr).serviceCidr(serviceCidr).clusterDns(clusterDns)
                        .clusterDomain(clusterDomain).podCidrPrefixLength(podCidrPrefixLength));
        boolean stacked = controllers.stream().anyMatch(Node::isKubeletNode);
        if (stacked) {
            ControlPlaneSpec cp = spec.controlPlane();
            b.controlPlane(new ControlPlaneSpec(cp != null && Boolean.TRUE.equals(cp.enableWorker()),
                    controllers.stream().filter(Node::isKubeletNode).allMatch(c -> c.kubelet().taints().isEmpty())));
        }
        for (Node c : controllers) {
            Worker k = c.kubelet();
            b.controller(k == null ? new ControllerSpec(c.name(), c.internalIp(), stacked ? false : null, null, null,
                    null) : new ControllerSpec(c.name(), c.internalIp(), true, k.podCidr(), nullIfEmpty(k.labels()),
                    k.taints()));
        }
        workers.forEach(w -> b.worker(new WorkerSpec(w.name(), w.internalIp(), w.podCidr(), nullIfEmpty(w.labels()),
                w.taints().isEmpty() ? null : w.taints())));
        KubeletSpec kubelet = spec.kubelet();
        KubeProxySpec proxy = spec.kubeProxy();
        return b.pki(p -> p.keyAlgorithm(keyAlgorithm).caValidityDays(caValidityDays).validityDays(validityDays)
                        .renewBeforeDays(renewBeforeDays))
                .containerdVersion(containerdVersion.toString())
                // no single path says "per host": written out, it would pin every host to the systemd-resolved file
                .kubelet(new KubeletSpec(resolvConfPerHost() ? null : resolvConf, maxPods,
                        kubelet == null ? null : nullIfEmpty(kubelet.extraArgs())))
                .kubeProxy(new KubeProxySpec(kubeProxyMode, proxy == null ? null : nullIfEmpty(proxy.extraArgs())))
                .controllerManager(withArgs(spec.controllerManager()))
                .scheduler(withArgs(spec.scheduler()))
                .build();
    }

    /** A component section only where it adds flags: {@code {}} and absent mean the same. */
    private static ComponentSpec withArgs(ComponentSpec c) {
        return c == null || c.extraArgs() == null || c.extraArgs().isEmpty() ? null : c;
    }

    private static <T> List<T> nullIfEmpty(List<T> list) {
        return list == null || list.isEmpty() ? null : list;
    }

    private static Map<String, String> nullIfEmpty(Map<String, String> map) {
        return map.isEmpty() ? null : map;
    }

    public boolean containerdUsesConfigV3() {
        return containerdVersion.major() >= 2;
    }
}
