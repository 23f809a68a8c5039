package dev.hardway.artifacts;

import dev.hardway.bundle.AddonApply;
import dev.hardway.bundle.HostFile;
import dev.hardway.model.ResolvedCluster;

import java.util.List;
import java.util.Map;

/**
 * What a cluster needs in the API before it is usable, as plain manifests: the binding that makes the admin
 * kubeconfig's group cluster-admin, the RBAC that lets kube-apiserver use the kubelet API (logs, exec,
 * port-forward) and CoreDNS. The first controller's install.sh applies them; anyone
 * may apply them again by hand, since {@code kubectl apply} is idempotent.
 */
public final class ClusterAddons {
    public static final String CLUSTER_ADMINS = ControlPlanePaths.ADDONS_DIR + "/cluster-admins.yaml";
    public static final String KUBELET_API_ACCESS = ControlPlanePaths.ADDONS_DIR + "/kube-apiserver-to-kubelet.yaml";
    public static final String COREDNS = ControlPlanePaths.ADDONS_DIR + "/coredns.yaml";

    /** The ClusterRole granting the kubelet API, and its binding; hardway's own names, outside {@code system:}. */
    public static final String KUBELET_API_ROLE = "hardway:kube-apiserver-to-kubelet";

    /** 60 tries 2 s apart: a freshly started API server with a reachable etcd answers well within two minutes. */
    static final int READY_ATTEMPTS = 60;
    static final int READY_INTERVAL_SECONDS = 2;

    private final GenerationContext ctx;

    public ClusterAddons(GenerationContext ctx) {
        this.ctx = ctx;
    }

    /** The manifests, rendered and parsed back. */
    public List<HostFile> manifests(String node) {
        ResolvedCluster cluster = ctx.cluster();
        Map<String, Object> rbac = ctx.model(node);
        rbac.put("roleName", KUBELET_API_ROLE);
        rbac.put("user", ClusterCertificates.KUBE_APISERVER_KUBELET_CLIENT);

        Map<String, Object> dns = ctx.model(node);
        dns.put("image", "registry.k8s.io/coredns/coredns:v" + cluster.release().coreDnsVersion());
        dns.put("clusterDns", cluster.clusterDns());
        dns.put("clusterDomain", cluster.clusterDomain());
        // the PTR zones CoreDNS answers for: what kubeadm's Corefile lists
        dns.put("reverseZones", "in-addr.arpa ip6.arpa");
        Map<String, Object> admins = ctx.model(node);
        admins.put("group", ClusterCertificates.CLUSTER_ADMINS_GROUP);
        return List.of(
                ctx.render("addons/cluster-admins.yaml.ftl", admins, CLUSTER_ADMINS, 0644),
                ctx.render("addons/kube-apiserver-to-kubelet.yaml.ftl", rbac, KUBELET_API_ACCESS, 0644),
                ctx.render("addons/coredns.yaml.ftl", dns, COREDNS, 0644));
    }

    /** How install.sh applies {@link #manifests} with {@code kubeconfig}. */
    public AddonApply apply(String kubeconfig) {
        return new AddonApply(HostPaths.bin("kubectl"), kubeconfig, List.of(CLUSTER_ADMINS, KUBELET_API_ACCESS, COREDNS),
                READY_ATTEMPTS, READY_INTERVAL_SECONDS);
    }
}
