package dev.hardway.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The cluster description as the user wrote it: {@code cluster.yaml}, or built in Java with {@link #builder()}.
 *
 * <p>Values are kept as written (strings for addresses and versions) so that validation can report them back
 * verbatim; {@link ResolvedCluster} holds the parsed, defaulted and allocated form that generation uses.
 * Optional sections may be {@code null}.
 *
 * @param name              cluster name, a DNS-1123 label
 * @param kubernetesVersion targeted Kubernetes release, e.g. {@code 1.32.3}
 * @param apiServer         how clients reach the API server
 * @param network           pod, service and DNS addressing
 * @param controllers       control-plane hosts (etcd members); an odd number keeps quorum meaningful
 * @param workers           hosts that run pods
 * @param pki               key algorithm and validity periods (optional)
 * @param containerd        container runtime version (optional, defaulted per Kubernetes minor)
 * @param kubelet           kubelet host settings (optional)
 * @param binaries          the nodes' architecture and pinned checksums of their executables (optional)
 */
public record ClusterSpec(
        String name,
        String kubernetesVersion,
        ApiServerSpec apiServer,
        NetworkSpec network,
        List<ControllerSpec> controllers,
        List<WorkerSpec> workers,
        PkiSpec pki,
        ContainerdSpec containerd,
        KubeletSpec kubelet,
        BinariesSpec binaries) {

    public ClusterSpec {
        controllers = controllers == null ? null : List.copyOf(controllers);
        workers = workers == null ? null : List.copyOf(workers);
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

        public Builder apiServer(String endpoint, String... extraSans) {
            this.apiServer = new ApiServerSpec(endpoint, List.of(extraSans));
            return this;
        }

        public Builder network(String clusterCidr, String serviceCidr, String clusterDns, String clusterDomain) {
            this.network = new NetworkSpec(clusterCidr, serviceCidr, clusterDns, clusterDomain, null);
            return this;
        }

        public Builder network(NetworkSpec network) {
            this.network = network;
            return this;
        }

        public Builder controller(String name, String internalIp) {
            controllers.add(new ControllerSpec(name, internalIp));
            return this;
        }

        public Builder worker(String name, String internalIp) {
            return worker(name, internalIp, null);
        }

        public Builder worker(String name, String internalIp, String podCidr) {
            workers.add(new WorkerSpec(name, internalIp, podCidr));
            return this;
        }

        public Builder pki(PkiSpec pki) {
            this.pki = pki;
            return this;
        }

        public Builder containerdVersion(String version) {
            this.containerd = new ContainerdSpec(version);
            return this;
        }

        private BinariesSpec binaries;

        public Builder kubelet(KubeletSpec kubelet) {
            this.kubelet = kubelet;
            return this;
        }

        public Builder binaries(BinariesSpec binaries) {
            this.binaries = binaries;
            return this;
        }

        public ClusterSpec build() {
            return new ClusterSpec(name, kubernetesVersion, apiServer, network, controllers, workers, pki,
                    containerd, kubelet, binaries);
        }
    }

    @Override
    public String toString() {
        return "ClusterSpec[" + Objects.toString(name) + ", kubernetes " + kubernetesVersion + "]";
    }
}
