package dev.hardway.artifacts;

import dev.hardway.model.ResolvedCluster;
import dev.hardway.pki.CertificateRequest;
import dev.hardway.pki.PkiPlan;
import dev.hardway.pki.CertificateRequest.Usage;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The certificates of a cluster and what each must say: the identities Kubernetes' authorizers expect
 * (Node authorizer, RBAC default bindings), following kubeadm's certificate set: a cluster CA, a separate etcd CA
 * and a front-proxy CA, each signing only what its trust domain needs.
 */
public final class ClusterCertificates {
    /** The cluster CA: it signs every component certificate and is the trust root of every client. */
    public static final String CA = "ca";
    public static final String CA_COMMON_NAME = "kubernetes";

    /**
     * etcd's own CA, as kubeadm keeps it: a certificate from the cluster CA (a kubelet's, say) must not open etcd,
     * which holds every secret of the cluster.
     */
    public static final String ETCD_CA = "etcd-ca";
    public static final String ETCD_CA_COMMON_NAME = "etcd-ca";

    /**
     * The aggregation layer's CA: kube-apiserver trusts request headers (X-Remote-User) only from clients this CA
     * signed, so it must not be the cluster CA that every kubelet certificate comes from.
     */
    public static final String FRONT_PROXY_CA = "front-proxy-ca";
    public static final String FRONT_PROXY_CA_COMMON_NAME = "front-proxy-ca";
    /** The only CN kube-apiserver accepts request headers from (--requestheader-allowed-names). */
    public static final String FRONT_PROXY_CLIENT_COMMON_NAME = "front-proxy-client";

    /**
     * The user kube-apiserver is to the kubelets. No group: {@code system:masters} would bypass RBAC and make the
     * shipped ClusterRole decorative, and kubeadm's {@code kubeadm:cluster-admins} group only exists where kubeadm
     * created its binding. Kubernetes 1.37's kubeadm drops the group for the same reason (kubernetes#138957).
     */
    public static final String KUBE_APISERVER_KUBELET_CLIENT = "kube-apiserver-kubelet-client";

    /** The service-account token signing key pair, {@code sa.key} / {@code sa.pub} as kubeadm names them. */
    public static final String SERVICE_ACCOUNT_KEY_PAIR = "sa";

    /** The key that encrypts Secrets in etcd; 32 bytes is what the secretbox provider takes. */
    public static final String ENCRYPTION_KEY = "encryption-key";
    public static final int ENCRYPTION_KEY_BYTES = 32;

    private ClusterCertificates() {
    }

    /** Every CA, certificate, key pair and secret {@code cluster} needs, before any of them is issued. */
    public static PkiPlan plan(ResolvedCluster cluster) {
        PkiPlan.Builder plan = PkiPlan.builder()
                .authority(CA, CA_COMMON_NAME)
                .authority(ETCD_CA, ETCD_CA_COMMON_NAME)
                .authority(FRONT_PROXY_CA, FRONT_PROXY_CA_COMMON_NAME)
                .certificate(admin())
                .certificate(superAdmin())
                .certificate(apiServer(cluster))
                .certificate(apiServerKubeletClient())
                .certificate(apiServerEtcdClient())
                .certificate(controllerManager())
                .certificate(scheduler())
                .certificate(frontProxyClient())
                .certificate(kubeProxy())
                .keyPair(SERVICE_ACCOUNT_KEY_PAIR)
                .secret(ENCRYPTION_KEY, ENCRYPTION_KEY_BYTES);
        for (ResolvedCluster.Node c : cluster.controllers()) {
            plan.certificate(etcdServer(c)).certificate(etcdPeer(c));
        }
        // every Node's kubelet, the controllers that are Nodes included
        cluster.kubeletNodes().forEach(w -> plan.certificate(kubelet(w)));
        return plan.build();
    }

    /**
     * The kubelet's certificate, both for its client connection (the Node authorizer and NodeRestriction admit
     * it as {@code system:node:<name>} in {@code system:nodes}) and for its own HTTPS server on port 10250. A
     * controller that is also a Node gets the same certificate under the same id, so turning it into a Node or
     * back issues or drops only this one.
     */
    public static CertificateRequest kubelet(ResolvedCluster.Worker worker) {
        return new CertificateRequest("kubelet-" + worker.name(), CA, "system:node:" + worker.name(),
                java.util.List.of("system:nodes"), Set.of(worker.name()), Set.of(worker.internalIp()),
                Set.of(Usage.CLIENT_AUTH, Usage.SERVER_AUTH));
    }

    /** kube-proxy's client certificate; the default {@code system:node-proxier} binding names this user. */
    public static CertificateRequest kubeProxy() {
        return CertificateRequest.client("kube-proxy", CA, "system:kube-proxy", "system:node-proxier");
    }

    /** The everyday administrators' group, bound to cluster-admin by the {@code cluster-admins} add-on. */
    public static final String CLUSTER_ADMINS_GROUP = "kubeadm:cluster-admins";

    /**
     * The operator's certificate, as kubeadm's admin.conf since 1.29: a group that RBAC binds to cluster-admin, so
     * that deleting the binding locks the credential out (no one can revoke {@code system:masters}).
     */
    public static CertificateRequest admin() {
        return CertificateRequest.client("admin", CA, "admin", CLUSTER_ADMINS_GROUP);
    }

    /**
     * The break-glass certificate, as kubeadm's super-admin.conf: {@code system:masters} bypasses authorization, so
     * it works before any RBAC exists (install.sh applies the add-ons with it) and when RBAC is broken.
     */
    public static CertificateRequest superAdmin() {
        return CertificateRequest.client("super-admin", CA, "super-admin", "system:masters");
    }

    /**
     * kube-apiserver's serving certificate, shared by every controller so that a load balancer may send a client
     * to any of them. The names are every way a client reaches the API: the {@code kubernetes} service by name
     * and by its cluster IP (pods), each controller by name and address, the endpoint kubeconfigs use, loopback
     * (the components on the controller itself) and the user's extra names.
     */
    public static CertificateRequest apiServer(ResolvedCluster cluster) {
        Set<String> dns = new TreeSet<>(List.of("kubernetes", "kubernetes.default", "kubernetes.default.svc",
                "kubernetes.default.svc." + cluster.clusterDomain(), "localhost"));
        Set<String> ips = new TreeSet<>(List.of(cluster.kubernetesServiceIp(), "127.0.0.1"));
        for (ResolvedCluster.Node c : cluster.controllers()) {
            dns.add(c.name());
            ips.add(c.internalIp());
        }
        addNameOrAddress(cluster.apiEndpointHost(), dns, ips);
        cluster.extraSans().forEach(san -> addNameOrAddress(san, dns, ips));
        return new CertificateRequest("apiserver", CA, "kube-apiserver", List.of(), dns, ips,
                Set.of(Usage.SERVER_AUTH));
    }

    /** kube-apiserver's client certificate towards the kubelets (logs, exec, port-forward, metrics). */
    public static CertificateRequest apiServerKubeletClient() {
        return CertificateRequest.client("apiserver-kubelet-client", CA, KUBE_APISERVER_KUBELET_CLIENT);
    }

    /** kube-controller-manager's identity; the default {@code system:kube-controller-manager} binding names it. */
    public static CertificateRequest controllerManager() {
        return CertificateRequest.client("kube-controller-manager", CA, "system:kube-controller-manager");
    }

    /**
     * kube-scheduler's identity. CN {@code system:kube-scheduler} and no group: the default binding names the
     * user, and an O of {@code system:system:kube-scheduler} (a known tutorial slip) grants nothing.
     */
    public static CertificateRequest scheduler() {
        return CertificateRequest.client("kube-scheduler", CA, "system:kube-scheduler");
    }

    /** The client certificate the aggregation layer presents to extension API servers. */
    public static CertificateRequest frontProxyClient() {
        return CertificateRequest.client("front-proxy-client", FRONT_PROXY_CA, FRONT_PROXY_CLIENT_COMMON_NAME);
    }

    /**
     * A controller's etcd serving certificate: clients reach a member by its address, and an operator on the
     * host by loopback. Client usage too, as kubeadm issues it, for etcd's own gRPC gateway.
     */
    public static CertificateRequest etcdServer(ResolvedCluster.Node controller) {
        return new CertificateRequest("etcd-server-" + controller.name(), ETCD_CA, controller.name(), List.of(),
                memberDns(controller), memberIps(controller), Set.of(Usage.SERVER_AUTH, Usage.CLIENT_AUTH));
    }

    /** A controller's etcd peer certificate: members authenticate each other with it in both directions. */
    public static CertificateRequest etcdPeer(ResolvedCluster.Node controller) {
        return new CertificateRequest("etcd-peer-" + controller.name(), ETCD_CA, controller.name(), List.of(),
                memberDns(controller), memberIps(controller), Set.of(Usage.SERVER_AUTH, Usage.CLIENT_AUTH));
    }

    /** kube-apiserver's client certificate towards etcd, from the etcd CA. */
    public static CertificateRequest apiServerEtcdClient() {
        return CertificateRequest.client("apiserver-etcd-client", ETCD_CA, "kube-apiserver-etcd-client");
    }

    private static Set<String> memberDns(ResolvedCluster.Node controller) {
        return Set.of(controller.name(), "localhost");
    }

    private static Set<String> memberIps(ResolvedCluster.Node controller) {
        return new TreeSet<>(List.of(controller.internalIp(), "127.0.0.1", "::1"));
    }

    /** Sorts a SAN into DNS names or IP addresses; addresses in canonical form, as certificates are read back. */
    private static void addNameOrAddress(String value, Set<String> dns, Set<String> ips) {
        IPAddress address = new IPAddressString(value).getAddress();
        if (address != null && !address.isPrefixed()) {
            ips.add(address.toCanonicalString());
        } else {
            dns.add(value);
        }
    }
}
