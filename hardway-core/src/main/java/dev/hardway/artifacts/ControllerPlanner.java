package dev.hardway.artifacts;

import dev.hardway.bundle.HostFile;
import dev.hardway.bundle.NodeBundle;
import dev.hardway.bundle.ShellWords;
import dev.hardway.model.ResolvedCluster;
import dev.hardway.pki.CertificateAuthority;
import dev.hardway.pki.IssuedCertificate;
import dev.hardway.pki.Pem;
import dev.hardway.pki.PkiSecret;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.hardway.artifacts.ControlPlanePaths.*;

/**
 * A controller's files: an etcd member, kube-apiserver, kube-controller-manager and kube-scheduler, with their
 * certificates, configuration and units; on the first controller also the cluster add-ons and the admin
 * kubeconfig that applies them.
 *
 * <p>The unit templates spell out every flag, so an operator reads in one file what a component starts with; the
 * values that depend on the cluster are computed here.
 */
public final class ControllerPlanner {
    static final String ETCD = "etcd";
    /** Removes departed etcd members, moves readdressed ones; run again whenever the list of members changes. */
    static final String ETCD_MEMBERS = "hardway-etcd-members";
    static final String ETCDCTL = "etcdctl";
    /** Every controller's list of the etcd members the cluster should have: the same file on each. */
    static final String ETCD_MEMBERS_FILE = "/etc/hardway/etcd-members";
    static final String ETCD_MEMBERSHIP = "/usr/local/lib/hardway/etcd-membership.sh";
    /** Written by the membership script before etcd starts; in etcd.service's RuntimeDirectory. */
    static final String ETCD_BOOTSTRAP_ENV = "/run/etcd/bootstrap.env";
    static final String KUBE_APISERVER = "kube-apiserver";
    static final String KUBE_CONTROLLER_MANAGER = "kube-controller-manager";
    static final String KUBE_SCHEDULER = "kube-scheduler";

    /** The components on a controller reach their own API server, whatever the endpoint (a load balancer) is. */
    static final String LOCAL_API_SERVER = "https://127.0.0.1:" + APISERVER_PORT;

    /** The unit that labels a controller's Node node-role.kubernetes.io/control-plane after registration. */
    static final String NODE_ROLE = "hardway-node-role";

    private final GenerationContext ctx;
    private final PodRoutes routes;
    private final WorkerPlanner nodes;

    /**
     * @param routes the cluster's pod routes, rendered once for every node
     * @param nodes  the Node parts (containerd, CNI, kubelet, kube-proxy) of controllers that are also Nodes
     */
    public ControllerPlanner(GenerationContext ctx, PodRoutes routes, WorkerPlanner nodes) {
        this.ctx = ctx;
        this.routes = routes;
        this.nodes = nodes;
    }

    public NodeBundle plan(ResolvedCluster.Node controller) {
        ResolvedCluster cluster = ctx.cluster();
        String node = controller.name();
        boolean first = cluster.controllers().get(0).equals(controller);

        List<HostFile> files = new ArrayList<>(HostSettings.files(ctx));
        files.addAll(routes.files());
        files.addAll(etcd(controller));
        files.addAll(apiServer(controller));
        files.addAll(controllerManager(node));
        files.addAll(scheduler(node));

        List<String> services = new ArrayList<>(routes.services());
        services.addAll(List.of(ETCD, ETCD_MEMBERS, KUBE_APISERVER, KUBE_CONTROLLER_MANAGER, KUBE_SCHEDULER));
        List<String> binaries = new ArrayList<>(List.of(HostPaths.bin(ETCD), HostPaths.bin(ETCDCTL),
                HostPaths.bin(KUBE_APISERVER),
                HostPaths.bin(KUBE_CONTROLLER_MANAGER), HostPaths.bin(KUBE_SCHEDULER)));
        binaries.addAll(routes.binaries());
        Map<String, Integer> directoryModes = new java.util.TreeMap<>(Map.of(ETCD_DATA_DIR, 0700, AUDIT_LOG_DIR, 0700));
        List<String> hostTools = new ArrayList<>();
        if (controller.isKubeletNode()) {
            // kubeadm's stacked control plane: the control plane first, then what makes the host a Node
            WorkerPlanner.NodeParts parts = nodes.node(controller.kubelet());
            files.addAll(parts.files());
            binaries.addAll(parts.binaries());
            services.addAll(parts.services());
            hostTools.addAll(parts.hostTools());
            directoryModes.putAll(parts.directoryModes());
            files.addAll(nodeRole(controller, first));
            services.add(NODE_ROLE);
            if (!first) {
                binaries.add(HostPaths.bin("kubectl"));
            }
        }

        if (!first) {
            return new NodeBundle(node, "controller", files, directoryModes, services, binaries, hostTools);
        }
        ClusterAddons addons = new ClusterAddons(ctx);
        files.addAll(addons.manifests(node));
        files.add(Kubeconfigs.kubeconfig(ctx, node, "admin", LOCAL_API_SERVER,
                ctx.pki().certificate(ClusterCertificates.admin()), ADMIN_KUBECONFIG));
        files.add(Kubeconfigs.kubeconfig(ctx, node, "super-admin", LOCAL_API_SERVER,
                ctx.pki().certificate(ClusterCertificates.superAdmin()), SUPER_ADMIN_KUBECONFIG));
        binaries.add(HostPaths.bin("kubectl"));
        // the admin kubeconfig's rights come from an add-on, so the add-ons go in with the break-glass one
        return new NodeBundle(node, "controller", files, directoryModes, services, binaries, hostTools,
                addons.apply(SUPER_ADMIN_KUBECONFIG));
    }

    private List<HostFile> etcd(ResolvedCluster.Node controller) {
        ResolvedCluster cluster = ctx.cluster();
        CertificateAuthority etcdCa = ctx.pki().authority(ClusterCertificates.ETCD_CA);
        IssuedCertificate server = ctx.pki().certificate(ClusterCertificates.etcdServer(controller));
        IssuedCertificate peer = ctx.pki().certificate(ClusterCertificates.etcdPeer(controller));

        Map<String, Object> model = ctx.model(controller.name());
        model.put("binary", HostPaths.bin(ETCD));
        model.put("paths", ControlPlanePaths.asModel());
        model.put("clientUrl", url(controller.internalIp(), ETCD_CLIENT_PORT));
        model.put("peerUrl", url(controller.internalIp(), ETCD_PEER_PORT));
        model.put("membership", ETCD_MEMBERSHIP);
        model.put("membersFile", ETCD_MEMBERS_FILE);
        model.put("envFile", ETCD_BOOTSTRAP_ENV);
        model.put("initialClusterToken", "etcd-" + cluster.name());
        model.put("etcdVersion", cluster.release().etcdVersion());
        // etcd 3.6 turned the experimental flags kubeadm sets into a feature gate and a graduated flag
        model.put("etcdFeatureGates", !cluster.release().etcdVersion().startsWith("3.5."));
        return List.of(
                ctx.render("etcd/etcd.service.ftl", model, HostPaths.unit(ETCD), 0644, ETCD),
                // membership changes restart no etcd: etcd reads these only into an empty data directory, and the
                // reconciling unit talks to the running member
                ctx.render("etcd/etcd-members.ftl", etcdMembers(controller.name()), ETCD_MEMBERS_FILE, 0644,
                        ETCD_MEMBERS),
                ctx.render("etcd/etcd-membership.sh.ftl", etcdMembership(), ETCD_MEMBERSHIP, 0755, ETCD_MEMBERS),
                ctx.render("etcd/hardway-etcd-members.service.ftl", etcdMembers(controller.name()),
                        HostPaths.unit(ETCD_MEMBERS), 0644, ETCD_MEMBERS),
                // kube-apiserver verifies the members' serving certificates with the same CA
                HostFile.certificate(ETCD_CA_CERT, etcdCa.asIssued().certificatePem(), ETCD, KUBE_APISERVER),
                HostFile.certificate(ETCD_SERVER_CERT, server.certificatePem(), ETCD),
                secret(ETCD_SERVER_KEY, server.keyPem(), ETCD),
                HostFile.certificate(ETCD_PEER_CERT, peer.certificatePem(), ETCD),
                secret(ETCD_PEER_KEY, peer.keyPem(), ETCD));
    }

    /** One line of the members file. */
    public record EtcdMember(String name, String peerUrl, String clientUrl) {
    }

    private Map<String, Object> etcdMembers(String node) {
        Map<String, Object> model = ctx.model(node);
        model.put("members", ctx.cluster().controllers().stream().map(c -> new EtcdMember(c.name(),
                url(c.internalIp(), ETCD_PEER_PORT), url(c.internalIp(), ETCD_CLIENT_PORT))).toList());
        model.put("script", ETCD_MEMBERSHIP);
        model.put("membersFile", ETCD_MEMBERS_FILE);
        return model;
    }

    /** The membership script is the same on every controller: the member's name comes from its unit. */
    private Map<String, Object> etcdMembership() {
        Map<String, Object> model = ctx.model("");
        model.put("members", ShellWords.quote(ETCD_MEMBERS_FILE));
        model.put("dataDir", ShellWords.quote(ETCD_DATA_DIR));
        model.put("etcdctl", ShellWords.quote(HostPaths.bin(ETCDCTL)));
        model.put("caCert", ShellWords.quote(ETCD_CA_CERT));
        // the member's serving certificate carries client usage too, as kubeadm issues it
        model.put("cert", ShellWords.quote(ETCD_SERVER_CERT));
        model.put("key", ShellWords.quote(ETCD_SERVER_KEY));
        model.put("dialTimeout", "2s");
        model.put("commandTimeout", "5s");
        model.put("attempts", 6);
        model.put("retrySeconds", 3);
        return model;
    }

    private List<HostFile> apiServer(ResolvedCluster.Node controller) {
        ResolvedCluster cluster = ctx.cluster();
        CertificateAuthority ca = ctx.pki().authority(ClusterCertificates.CA);
        CertificateAuthority frontProxyCa = ctx.pki().authority(ClusterCertificates.FRONT_PROXY_CA);
        IssuedCertificate serving = ctx.pki().certificate(ClusterCertificates.apiServer(cluster));
        IssuedCertificate kubeletClient = ctx.pki().certificate(ClusterCertificates.apiServerKubeletClient());
        IssuedCertificate etcdClient = ctx.pki().certificate(ClusterCertificates.apiServerEtcdClient());
        IssuedCertificate frontProxyClient = ctx.pki().certificate(ClusterCertificates.frontProxyClient());
        KeyPair serviceAccount = ctx.pki().keyPair(ClusterCertificates.SERVICE_ACCOUNT_KEY_PAIR);
        PkiSecret encryptionKey = ctx.pki().secret(ClusterCertificates.ENCRYPTION_KEY);

        String node = controller.name();
        Map<String, Object> unit = ctx.model(node);
        unit.put("binary", HostPaths.bin(KUBE_APISERVER));
        unit.put("paths", ControlPlanePaths.asModel());
        unit.put("advertiseAddress", controller.internalIp());
        unit.put("etcdServers", url(controller.internalIp(), ETCD_CLIENT_PORT));
        unit.put("frontProxyClientName", ClusterCertificates.FRONT_PROXY_CLIENT_COMMON_NAME);
        unit.put("securePort", APISERVER_PORT);
        unit.put("serviceAccountIssuer", serviceAccountIssuer(cluster));
        unit.put("serviceCidr", cluster.serviceCidr());
        unit.put("kubernetesServiceIp", cluster.kubernetesServiceIp());
        WorkerPlanner.putExtraArgs(cluster, unit, dev.hardway.model.ComponentFlags.KUBE_APISERVER);

        Map<String, Object> encryption = ctx.model(node);
        // etcd stores the key's name in front of every value it encrypts: a fingerprint names it without revealing it
        encryption.put("keyName", "hardway-" + encryptionKey.shortFingerprint());
        encryption.put("keyBase64", Base64.getEncoder().encodeToString(encryptionKey.bytes()));
        HostFile encryptionConfig = ctx.render("kube-apiserver/encryption-config.yaml.ftl", encryption,
                ENCRYPTION_CONFIG, 0600, KUBE_APISERVER);

        return List.of(
                ctx.render("kube-apiserver/kube-apiserver.service.ftl", unit, HostPaths.unit(KUBE_APISERVER), 0644,
                        KUBE_APISERVER),
                ctx.render("kube-apiserver/audit-policy.yaml.ftl", ctx.model(node), AUDIT_POLICY, 0644,
                        KUBE_APISERVER),
                new HostFile(encryptionConfig.path(), encryptionConfig.content(), 0600, encryptionConfig.restarts(),
                        HostFile.Kind.SECRET),
                HostFile.certificate(CA_CERT, ca.asIssued().certificatePem(), KUBE_APISERVER,
                        KUBE_CONTROLLER_MANAGER),
                // kube-apiserver watches its serving pair and reloads it (k8s.io/apiserver's dynamic serving
                // content): a renewal, or a controller added to the SANs, restarts nothing
                HostFile.certificate(APISERVER_CERT, serving.certificatePem()),
                secret(APISERVER_KEY, serving.keyPem()),
                HostFile.certificate(APISERVER_KUBELET_CLIENT_CERT, kubeletClient.certificatePem(), KUBE_APISERVER),
                secret(APISERVER_KUBELET_CLIENT_KEY, kubeletClient.keyPem(), KUBE_APISERVER),
                HostFile.certificate(APISERVER_ETCD_CLIENT_CERT, etcdClient.certificatePem(), KUBE_APISERVER),
                secret(APISERVER_ETCD_CLIENT_KEY, etcdClient.keyPem(), KUBE_APISERVER),
                HostFile.certificate(FRONT_PROXY_CA_CERT, frontProxyCa.asIssued().certificatePem(), KUBE_APISERVER,
                        KUBE_CONTROLLER_MANAGER),
                HostFile.certificate(FRONT_PROXY_CLIENT_CERT, frontProxyClient.certificatePem(), KUBE_APISERVER),
                secret(FRONT_PROXY_CLIENT_KEY, frontProxyClient.keyPem(), KUBE_APISERVER),
                // the public half verifies tokens (kube-apiserver); the private half signs them (both)
                HostFile.text(SA_PUB, Pem.encode(serviceAccount.getPublic()), 0644, KUBE_APISERVER),
                secret(SA_KEY, Pem.encode(serviceAccount.getPrivate()), KUBE_APISERVER, KUBE_CONTROLLER_MANAGER));
    }

    /**
     * The unit that labels this controller's Node as a control-plane node once it registered, with the admin
     * credential kubeadm also keeps on every control-plane node (admin.conf); the first controller has it already.
     */
    private List<HostFile> nodeRole(ResolvedCluster.Node controller, boolean first) {
        Map<String, Object> model = ctx.model(controller.name());
        model.put("kubectl", HostPaths.bin("kubectl"));
        model.put("kubeconfig", ADMIN_KUBECONFIG);
        model.put("label", dev.hardway.model.NodeRoles.CONTROL_PLANE_LABEL);
        List<HostFile> out = new ArrayList<>();
        out.add(ctx.render("kubelet/hardway-node-role.service.ftl", model, HostPaths.unit(NODE_ROLE), 0644,
                NODE_ROLE));
        if (!first) {
            out.add(Kubeconfigs.kubeconfig(ctx, controller.name(), "admin", LOCAL_API_SERVER,
                    ctx.pki().certificate(ClusterCertificates.admin()), ADMIN_KUBECONFIG, NODE_ROLE));
        }
        return out;
    }

    /** kubeadm's default issuer: stable across endpoint changes, so issued tokens stay valid. */
    static String serviceAccountIssuer(ResolvedCluster cluster) {
        return "https://kubernetes.default.svc." + cluster.clusterDomain();
    }

    private List<HostFile> controllerManager(String node) {
        ResolvedCluster cluster = ctx.cluster();
        CertificateAuthority ca = ctx.pki().authority(ClusterCertificates.CA);
        IssuedCertificate cert = ctx.pki().certificate(ClusterCertificates.controllerManager());
        Map<String, Object> unit = ctx.model(node);
        unit.put("binary", HostPaths.bin(KUBE_CONTROLLER_MANAGER));
        unit.put("paths", ControlPlanePaths.asModel());
        unit.put("clusterCidr", cluster.clusterCidr());
        unit.put("serviceCidr", cluster.serviceCidr());
        WorkerPlanner.putExtraArgs(cluster, unit, dev.hardway.model.ComponentFlags.KUBE_CONTROLLER_MANAGER);
        return List.of(
                ctx.render("kube-controller-manager/kube-controller-manager.service.ftl", unit,
                        HostPaths.unit(KUBE_CONTROLLER_MANAGER), 0644, KUBE_CONTROLLER_MANAGER),
                Kubeconfigs.kubeconfig(ctx, node, "system:kube-controller-manager", LOCAL_API_SERVER, cert,
                        CONTROLLER_MANAGER_KUBECONFIG, KUBE_CONTROLLER_MANAGER),
                // the CSR signer issues kubelet and client certificates with the cluster CA
                secret(CA_KEY, ca.asIssued().keyPem(), KUBE_CONTROLLER_MANAGER));
    }

    private List<HostFile> scheduler(String node) {
        IssuedCertificate cert = ctx.pki().certificate(ClusterCertificates.scheduler());
        Map<String, Object> config = ctx.model(node);
        config.put("kubeconfig", SCHEDULER_KUBECONFIG);
        Map<String, Object> unit = ctx.model(node);
        unit.put("binary", HostPaths.bin(KUBE_SCHEDULER));
        unit.put("paths", ControlPlanePaths.asModel());
        WorkerPlanner.putExtraArgs(ctx.cluster(), unit, dev.hardway.model.ComponentFlags.KUBE_SCHEDULER);
        return List.of(
                ctx.render("kube-scheduler/kube-scheduler.yaml.ftl", config, SCHEDULER_CONFIG, 0644, KUBE_SCHEDULER),
                ctx.render("kube-scheduler/kube-scheduler.service.ftl", unit, HostPaths.unit(KUBE_SCHEDULER), 0644,
                        KUBE_SCHEDULER),
                Kubeconfigs.kubeconfig(ctx, node, "system:kube-scheduler", LOCAL_API_SERVER, cert,
                        SCHEDULER_KUBECONFIG, KUBE_SCHEDULER));
    }

    /** {@code https://ip:port}, with an IPv6 address in brackets. */
    static String url(String ip, int port) {
        return "https://" + (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    }

    private static HostFile secret(String path, String pem, String... restarts) {
        return HostFile.secret(path, pem.getBytes(StandardCharsets.UTF_8), restarts);
    }
}
