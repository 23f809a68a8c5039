package dev.hardway.artifacts;

import dev.hardway.model.ResolvedCluster;
import dev.hardway.pki.CertificateRequest;
import dev.hardway.pki.CertificateRequest.Usage;

import java.util.Set;

/**
 * The certificates of a cluster and what each must say: the identities Kubernetes' authorizers expect
 * (Node authorizer, RBAC default bindings), following kubeadm's certificate set.
 */
public final class ClusterCertificates {
    /** The cluster CA: it signs every component certificate and is the trust root of every client. */
    public static final String CA = "ca";
    public static final String CA_COMMON_NAME = "kubernetes";

    private ClusterCertificates() {
    }

    /**
     * The kubelet's certificate, both for its client connection (the Node authorizer and NodeRestriction admit
     * it as {@code system:node:<name>} in {@code system:nodes}) and for its own HTTPS server on port 10250.
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
}
