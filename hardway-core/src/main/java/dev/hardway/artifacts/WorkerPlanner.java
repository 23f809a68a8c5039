package dev.hardway.artifacts;

import dev.hardway.bundle.HostFile;
import dev.hardway.bundle.NodeBundle;
import dev.hardway.model.ResolvedCluster;
import dev.hardway.pki.CertificateAuthority;
import dev.hardway.pki.IssuedCertificate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A worker's files: containerd, CNI, kubelet and kube-proxy, with their certificates and units. */
public final class WorkerPlanner {
    static final String CONTAINERD = "containerd";
    static final String KUBELET = "kubelet";
    static final String KUBE_PROXY = "kube-proxy";

    /**
     * kube-proxy's iptables mode programs service rules with iptables (ip6tables for IPv6). Not needed: conntrack
     * (kube-proxy 1.32+ clears stale UDP entries over netlink, kubernetes#126847), ipset (ipvs mode only), socat
     * (containerd's CRI does port-forward itself).
     */
    static final String IPTABLES = "/usr/sbin/iptables";
    static final String IP6TABLES = "/usr/sbin/ip6tables";
    static final String POD_MASQUERADE = "hardway-pod-masquerade";
    /** One file that containerd's CRI loads (it takes the first in name order and sets up lo by itself). */
    static final String CNI_CONFLIST = HostPaths.CNI_CONF_DIR + "/10-hardway.conflist";

    private final GenerationContext ctx;
    private final PodRoutes routes;

    /** @param routes the cluster's pod routes, rendered once for every node */
    public WorkerPlanner(GenerationContext ctx, PodRoutes routes) {
        this.ctx = ctx;
        this.routes = routes;
    }

    public NodeBundle plan(ResolvedCluster.Worker worker) {
        NodeParts parts = node(worker);
        List<HostFile> files = new ArrayList<>(HostSettings.files(ctx));
        files.addAll(routes.files());
        files.addAll(parts.files());
        List<String> binaries = new ArrayList<>(parts.binaries());
        binaries.addAll(routes.binaries());
        List<String> services = new ArrayList<>(routes.services());
        services.addAll(parts.services());
        return new NodeBundle(worker.name(), "worker", files, parts.directoryModes(), services, binaries,
                parts.hostTools());
    }

    /**
     * What makes a host a Node, worker or controller alike: containerd, the CNI, the kubelet and kube-proxy.
     *
     * @param services in start order
     * @param hostTools commands the components look up on PATH
     */
    public record NodeParts(List<HostFile> files, List<String> binaries, List<String> services,
                            List<String> hostTools, Map<String, Integer> directoryModes) {
    }

    /** The Node's own files; a controller that is also a Node adds them to its control plane. */
    public NodeParts node(ResolvedCluster.Worker worker) {
        CertificateAuthority ca = ctx.pki().authority(ClusterCertificates.CA);
        IssuedCertificate kubeletCert = ctx.pki().certificate(ClusterCertificates.kubelet(worker));
        IssuedCertificate proxyCert = ctx.pki().certificate(ClusterCertificates.kubeProxy());
        String node = worker.name();

        List<HostFile> files = new ArrayList<>();
        files.addAll(containerd());
        files.addAll(cni(worker));
        files.addAll(kubelet(worker, ca, kubeletCert));
        files.addAll(kubeProxy(node, proxyCert));

        List<String> binaries = new ArrayList<>(List.of(HostPaths.bin("containerd"),
                HostPaths.bin("containerd-shim-runc-v2"), HostPaths.RUNC, HostPaths.bin("kubelet"),
                HostPaths.bin("kube-proxy"), HostPaths.CNI_BIN_DIR + "/bridge", HostPaths.CNI_BIN_DIR + "/host-local",
                HostPaths.CNI_BIN_DIR + "/portmap", HostPaths.CNI_BIN_DIR + "/loopback", iptables(worker)));
        if (!proxyModules().isEmpty()) {
            binaries.add(MODPROBE);
        }
        List<String> hostTools = new ArrayList<>(List.of(iptables(worker).substring(iptables(worker)
                .lastIndexOf('/') + 1), KubeletVersionCheck.TOOL));
        hostTools.addAll(proxyTools());
        return new NodeParts(files, binaries, List.of(POD_MASQUERADE, CONTAINERD, KUBELET, KUBE_PROXY), hostTools,
                Map.of(HostPaths.KUBELET_DIR, 0700));
    }

    /** kmod's modprobe, for the kernel modules the ipvs proxier needs. */
    static final String MODPROBE = "/sbin/modprobe";

    /**
     * The kernel modules kube-proxy's mode needs loaded: ipvs needs the IPVS core and the schedulers kube-proxy
     * offers by default (rr) and commonly (wrr, sh), as kubeadm's ipvs guide lists them; iptables and nftables
     * load theirs on first use.
     */
    List<String> proxyModules() {
        return ctx.cluster().kubeProxyMode().equals("ipvs") ? List.of("ip_vs", "ip_vs_rr", "ip_vs_wrr", "ip_vs_sh")
                : List.of();
    }

    /**
     * The programs kube-proxy's mode runs: nftables drives the {@code nft} command (knftables); ipvs keeps its
     * address sets with {@code ipset} (and still writes iptables rules).
     */
    List<String> proxyTools() {
        return switch (ctx.cluster().kubeProxyMode()) {
            case "nftables" -> List.of("nft");
            case "ipvs" -> List.of("ipset");
            default -> List.of();
        };
    }

    private List<HostFile> containerd() {
        ResolvedCluster cluster = ctx.cluster();
        Map<String, Object> model = ctx.clusterModel();
        model.put("containerdVersion", cluster.containerdVersion().toString());
        model.put("sandboxImage", cluster.release().pauseImage());
        model.put("runcBinary", HostPaths.RUNC);
        model.put("cniBinDir", HostPaths.CNI_BIN_DIR);
        model.put("cniConfDir", HostPaths.CNI_CONF_DIR);
        // bin_dirs replaced bin_dir in containerd 2.1; 2.0 knows only bin_dir
        model.put("cniBinDirs", cluster.containerdVersion().compareTo(new dev.hardway.model.Version(2, 1, 0)) >= 0);
        model.put("binary", HostPaths.bin("containerd"));
        model.put("configFile", HostPaths.CONTAINERD_CONFIG);
        String config = cluster.containerdUsesConfigV3() ? "containerd/config-v3.toml.ftl"
                : "containerd/config-v2.toml.ftl";
        return List.of(
                ctx.renderShared(config, model, HostPaths.CONTAINERD_CONFIG, 0644, CONTAINERD),
                ctx.renderShared("containerd/containerd.service.ftl", model, HostPaths.unit(CONTAINERD), 0644,
                        CONTAINERD));
    }

    private List<HostFile> cni(ResolvedCluster.Worker worker) {
        Map<String, Object> model = ctx.model(worker.name());
        model.put("podCidr", worker.podCidr());
        model.put("defaultRoute", worker.podCidr().contains(":") ? "::/0" : "0.0.0.0/0");
        Map<String, Object> unit = ctx.model(worker.name());
        unit.put("podCidr", worker.podCidr());
        unit.put("clusterCidr", ctx.cluster().clusterCidr());
        unit.put("iptables", iptables(worker));
        unit.put("chain", "HARDWAY-POD-EGRESS");
        unit.put("comment", "hardway-pod-egress");
        // containerd reads CNI configuration on every pod start: no restart needed
        return List.of(
                ctx.render("cni/10-hardway.conflist.ftl", model, CNI_CONFLIST, 0644),
                ctx.render("cni/hardway-pod-masquerade.service.ftl", unit, HostPaths.unit(POD_MASQUERADE), 0644,
                        POD_MASQUERADE));
    }

    private static String iptables(ResolvedCluster.Worker worker) {
        return worker.podCidr().contains(":") ? IP6TABLES : IPTABLES;
    }

    private List<HostFile> kubelet(ResolvedCluster.Worker worker, CertificateAuthority ca, IssuedCertificate cert) {
        ResolvedCluster cluster = ctx.cluster();
        String dir = HostPaths.KUBELET_DIR;
        // the configuration differs between workers only where their taints do
        Map<String, Object> config = ctx.clusterModel();
        config.put("caFile", dir + "/ca.crt");
        config.put("certFile", dir + "/kubelet.crt");
        config.put("keyFile", dir + "/kubelet.key");
        config.put("containerRuntimeEndpoint", HostPaths.CONTAINERD_SOCKET);
        config.put("clusterDomain", cluster.clusterDomain());
        config.put("clusterDns", cluster.clusterDns());
        config.put("resolvConf", cluster.resolvConf());
        // absent in cluster.yaml: install.sh picks the file per host (see the comment it renders)
        config.put("resolvConfPerHost", cluster.resolvConfPerHost());
        config.put("maxPods", cluster.maxPods());
        config.put("taints", worker.taints().stream().map(t -> Map.of("key", t.key(),
                "value", t.value() == null ? "" : t.value(), "effect", t.effect())).toList());
        Map<String, Object> unit = ctx.model(worker.name());
        unit.put("binary", HostPaths.bin(KUBELET));
        unit.put("configFile", dir + "/kubelet-config.yaml");
        unit.put("kubeconfigFile", dir + "/kubeconfig");
        unit.put("nodeIp", worker.internalIp());
        unit.put("nodeLabels", worker.labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(java.util.stream.Collectors.joining(",")));
        putExtraArgs(unit, dev.hardway.model.ComponentFlags.KUBELET);
        unit.put("versionCheck", KubeletVersionCheck.PATH);
        return List.of(
                KubeletVersionCheck.render(ctx, HostPaths.bin(KUBELET), dir + "/kubeconfig"),
                ctx.renderShared("kubelet/kubelet-config.yaml.ftl", config, dir + "/kubelet-config.yaml", 0644,
                        KUBELET),
                ctx.render("kubelet/kubelet.service.ftl", unit, HostPaths.unit(KUBELET), 0644, KUBELET),
                Kubeconfigs.kubeconfig(ctx, worker.name(), "system:node:" + worker.name(), cluster.apiEndpoint(),
                        cert, dir + "/kubeconfig", KUBELET),
                ctx.shared(HostFile.certificate(dir + "/ca.crt", ca.asIssued().certificatePem(), KUBELET)),
                HostFile.certificate(dir + "/kubelet.crt", cert.certificatePem(), KUBELET),
                HostFile.secret(dir + "/kubelet.key", cert.keyPem().getBytes(StandardCharsets.UTF_8), KUBELET));
    }

    private List<HostFile> kubeProxy(String node, IssuedCertificate cert) {
        ResolvedCluster cluster = ctx.cluster();
        String dir = HostPaths.KUBE_PROXY_DIR;
        // the configuration names the node (hostnameOverride); the unit and the kubeconfig are the same everywhere
        Map<String, Object> config = ctx.model(node);
        config.put("kubeconfigFile", dir + "/kubeconfig");
        config.put("mode", cluster.kubeProxyMode());
        config.put("clusterCidr", cluster.clusterCidr());
        Map<String, Object> unit = ctx.clusterModel();
        unit.put("mode", cluster.kubeProxyMode());
        unit.put("modules", proxyModules());
        unit.put("modprobe", MODPROBE);
        // hardway sets no --v for kube-proxy: every flag of the spec, v too, follows --config
        unit.put("extraArgs", cluster.extraArgs(dev.hardway.model.ComponentFlags.KUBE_PROXY).stream()
                .map(dev.hardway.model.ExtraArg::flag).toList());
        unit.put("binary", HostPaths.bin(KUBE_PROXY));
        unit.put("configFile", dir + "/kube-proxy-config.yaml");
        return List.of(
                ctx.render("kube-proxy/kube-proxy-config.yaml.ftl", config, dir + "/kube-proxy-config.yaml", 0644,
                        KUBE_PROXY),
                ctx.renderShared("kube-proxy/kube-proxy.service.ftl", unit, HostPaths.unit(KUBE_PROXY), 0644,
                        KUBE_PROXY),
                Kubeconfigs.sharedKubeconfig(ctx, "system:kube-proxy", cluster.apiEndpoint(), cert,
                        dir + "/kubeconfig", KUBE_PROXY));
    }

    /**
     * The spec's flags for {@code component} as {@code --name=value} words, and the verbosity: hardway starts
     * components with {@code --v=2}, and a spec's {@code v} replaces it rather than following it.
     */
    void putExtraArgs(Map<String, Object> model, String component) {
        putExtraArgs(ctx.cluster(), model, component);
    }

    static void putExtraArgs(ResolvedCluster cluster, Map<String, Object> model, String component) {
        List<dev.hardway.model.ExtraArg> args = cluster.extraArgs(component);
        model.put("verbosity", args.stream().filter(a -> a.name().equals("v")).map(dev.hardway.model.ExtraArg::value)
                .findFirst().orElse("2"));
        model.put("extraArgs", args.stream().filter(a -> !a.name().equals("v")).map(dev.hardway.model.ExtraArg::flag)
                .toList());
    }
}
