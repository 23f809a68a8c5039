package dev.hardway.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The cluster description as the user wrote it: {@code cluster.yaml}, or built in Java with {@link #builder()}.
 *
 * <p>Values are kept as written (strings for addresses and versions) so that validation can report them back
 * verbatim; {@link ResolvedCluster} holds the parsed, defaulted and allocated form that generation uses.
 * Optional sections may be {@code null}. Each component's {@link SpecField} is the field's documentation, its
 * JSON Schema and the loader's knowledge of it.
 *
 * @param name              cluster name, a DNS-1123 label
 * @param kubernetesVersion targeted Kubernetes release, e.g. {@code 1.32.3}
 * @param apiServer         how clients reach the API server
 * @param network           pod, service and DNS addressing
 * @param controlPlane      whether controllers are also Nodes, and schedulable (optional)
 * @param controllers       control-plane hosts (etcd members); an odd number keeps quorum meaningful
 * @param workers           hosts that run pods; none when the controllers are the Nodes
 * @param pki               key algorithm and validity periods (optional)
 * @param containerd        container runtime version (optional, defaulted per Kubernetes minor)
 * @param kubelet           kubelet host settings (optional)
 * @param kubeProxy         kube-proxy mode and flags (optional)
 * @param controllerManager kube-controller-manager flags (optional)
 * @param scheduler         kube-scheduler flags (optional)
 * @param binaries          the nodes' architecture and pinned checksums of their executables (optional)
 */
public record ClusterSpec(
        @SpecField(description = "The cluster's name: the kubeconfig cluster and context name.",
                example = "demo", required = true, format = ValueFormat.DNS_LABEL)
        String name,
        @SpecField(description = "The Kubernetes release the files are generated for; decides which flags and "
                + "fields are emitted. Supported minors: 1.32 through 1.36.", example = "1.32.3", required = true,
                format = ValueFormat.RELEASE)
        String kubernetesVersion,
        @SpecField(description = "How clients reach the Kubernetes API.",
                example = "{endpoint: 'https://server.kubernetes.local:6443'}", required = true)
        ApiServerSpec apiServer,
        @SpecField(description = "Pod, service and DNS addressing; one address family (IPv4 or IPv6) for all of "
                + "it and for the nodes.", example = "{clusterCidr: 10.200.0.0/16, serviceCidr: 10.32.0.0/24, "
                + "clusterDns: 10.32.0.10, clusterDomain: cluster.local}", required = true)
        NetworkSpec network,
        @SpecField(description = "Whether the controllers are also Nodes (kubeadm's stacked control plane) and "
                + "whether ordinary pods may run on them.", example = "{enableWorker: true}", defaultValue = "{}")
        ControlPlaneSpec controlPlane,
        @SpecField(description = "Control-plane hosts, each an etcd member: an odd number from 1 to 7, so that "
                + "etcd keeps quorum when the fewest hosts fail (etcd advises against more than 7 members).",
                example = "[{name: controller-0, internalIp: 10.240.0.10}]", required = true, minimum = 1,
                maximum = 7)
        List<ControllerSpec> controllers,
        @SpecField(description = "Hosts that run pods. May be empty, or absent, when controllers are Nodes "
                + "(controlPlane.enableWorker): one controller and no workers is a single-node cluster.",
                example = "[{name: worker-0, internalIp: 10.240.0.20}]", defaultRule = "none",
                maximum = 5000)
        List<WorkerSpec> workers,
        @SpecField(description = "Certificate settings.", example = "{keyAlgorithm: ECDSA}", defaultValue = "{}")
        PkiSpec pki,
        @SpecField(description = "Container runtime settings.", example = "{version: 2.2.7}", defaultValue = "{}")
        ContainerdSpec containerd,
        @SpecField(description = "Kubelet host settings.", example = "{maxPods: 110}", defaultValue = "{}")
        KubeletSpec kubelet,
        @SpecField(description = "kube-proxy settings.", example = "{mode: nftables}", defaultValue = "{}")
        KubeProxySpec kubeProxy,
        @SpecField(description = "kube-controller-manager settings.", example = "{extraArgs: [{name: v, value: 4}]}",
                defaultValue = "{}")
        ComponentSpec controllerManager,
        @SpecField(description = "kube-scheduler settings.", example = "{extraArgs: [{name: v, value: 4}]}",
                defaultValue = "{}")
        ComponentSpec scheduler,
        @SpecField(description = "The nodes' architecture and pinned SHA-256 checksums of their executables, for "
                + "install.sh --binaries.", example = "{arch: amd64}", defaultValue = "{}")
        BinariesSpec binaries) {

    public ClusterSpec {
        controllers = SpecLists.copyOf("ClusterSpec", "controllers", controllers);
        workers = SpecLists.copyOf("ClusterSpec", "workers", workers);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link ClusterSpec} in Java; {@link #build()} does not validate, {@code SpecValidator} does. */
    public static final class Builder {
        private String name;
        private String kubernetesVersion;
        private ApiServerSpec apiServer;
        private NetworkSpec network;
        private final List<ControllerSpec> controllers = new ArrayList<>();
        private final List<WorkerSpec> workers = new ArrayList<>();
        private PkiSpec pki;
        private ContainerdSpec containerd;
        private KubeletSpec kubelet;
        private ControlPlaneSpec controlPlane;
        private KubeProxySpec kubeProxy;
        private ComponentSpec controllerManager;
        private ComponentSpec scheduler;
        private BinariesSpec binaries;

        private Builder() {
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder kubernetesVersion(String version) {
            this.kubernetesVersion = version;
            return this;
        }

        public Builder apiServer(ApiServerSpec apiServer) {
            this.apiServer = apiServer;
            return this;
        }

        /** {@code .apiServer(a -> a.endpoint("https://server.kubernetes.local:6443").extraSans("k8s.example.com"))}. */
        public Builder apiServer(Consumer<ApiServerSpec.Builder> spec) {
            ApiServerSpec.Builder b = ApiServerSpec.builder();
            spec.accept(b);
            return apiServer(b.build());
        }

        public Builder network(NetworkSpec network) {
            this.network = network;
            return this;
        }

        /** {@code .network(n -> n.clusterCidr("10.200.0.0/16").serviceCidr("10.32.0.0/24")...)}. */
        public Builder network(Consumer<NetworkSpec.Builder> spec) {
            NetworkSpec.Builder b = NetworkSpec.builder();
            spec.accept(b);
            return network(b.build());
        }

        public Builder controller(ControllerSpec controller) {
            controllers.add(controller);
            return this;
        }

        /** {@code .controller(c -> c.name("controller-0").internalIp("10.240.0.10"))}. */
        public Builder controller(Consumer<ControllerSpec.Builder> spec) {
            ControllerSpec.Builder b = ControllerSpec.builder();
            spec.accept(b);
            return controller(b.build());
        }

        public Builder worker(WorkerSpec worker) {
            workers.add(worker);
            return this;
        }

        /** {@code .worker(w -> w.name("worker-0").internalIp("10.240.0.20").podCidr("10.200.0.0/24"))}. */
        public Builder worker(Consumer<WorkerSpec.Builder> spec) {
            WorkerSpec.Builder b = WorkerSpec.builder();
            spec.accept(b);
            return worker(b.build());
        }

        public Builder pki(PkiSpec pki) {
            this.pki = pki;
            return this;
        }

        /** {@code .pki(p -> p.keyAlgorithm(KeyAlgorithm.ECDSA_P256).validityDays(90))}. */
        public Builder pki(Consumer<PkiSpec.Builder> spec) {
            PkiSpec.Builder b = PkiSpec.builder();
            spec.accept(b);
            return pki(b.build());
        }

        public Builder containerd(ContainerdSpec containerd) {
            this.containerd = containerd;
            return this;
        }

        public Builder containerdVersion(String version) {
            return containerd(new ContainerdSpec(version));
        }

        public Builder kubelet(KubeletSpec kubelet) {
            this.kubelet = kubelet;
            return this;
        }

        /** {@code .kubelet(k -> k.maxPods(250))}. */
        public Builder kubelet(Consumer<KubeletSpec.Builder> spec) {
            KubeletSpec.Builder b = KubeletSpec.builder();
            spec.accept(b);
            return kubelet(b.build());
        }

        /** Whether the controllers are Nodes too, and schedulable. */
        public Builder controlPlane(ControlPlaneSpec controlPlane) {
            this.controlPlane = controlPlane;
            return this;
        }

        /** kube-proxy's mode and flags. */
        public Builder kubeProxy(KubeProxySpec kubeProxy) {
            this.kubeProxy = kubeProxy;
            return this;
        }

        public Builder controllerManager(ComponentSpec controllerManager) {
            this.controllerManager = controllerManager;
            return this;
        }

        public Builder scheduler(ComponentSpec scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /** The nodes' architecture and pinned checksums, for {@code install.sh --binaries}. */
        public Builder binaries(BinariesSpec binaries) {
            this.binaries = binaries;
            return this;
        }

        public ClusterSpec build() {
            return new ClusterSpec(name, kubernetesVersion, apiServer, network, controlPlane, controllers, workers,
                    pki, containerd, kubelet, kubeProxy, controllerManager, scheduler, binaries);
        }
    }

    @Override
    public String toString() {
        return "ClusterSpec[" + Objects.toString(name) + ", kubernetes " + kubernetesVersion + "]";
    }
}
