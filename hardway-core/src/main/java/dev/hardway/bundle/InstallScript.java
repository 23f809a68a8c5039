package dev.hardway.bundle;

import dev.hardway.model.ResolvedCluster;
import dev.hardway.render.TemplateEngine;
import inet.ipaddr.IPAddressString;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Renders a bundle's installer: {@code install.sh}, one program the same on every node, and the node's
 * {@code install.manifest} it reads, which says what this node installs. Every value the manifest holds
 * (directories in creation order, files with their modes and the services they restart, the checks its host
 * must pass) is computed here, so its template only loops. Being the same everywhere, install.sh is reviewed
 * once and kept once in the golden snapshot; adding a node adds only that node's manifest.
 */
public final class InstallScript {
    public static final String TEMPLATE = "bundle/install.sh.ftl";
    public static final String MANIFEST_TEMPLATE = "bundle/install.manifest.ftl";
    /** The installer's per-node data file, beside install.sh in the bundle. */
    public static final String MANIFEST = "install.manifest";
    /** Where a target file sits inside the bundle directory, next to install.sh. */
    public static final String FILES_DIR = "files";
    /** Where install.sh remembers the restarts it owes until they happened. */
    public static final String STATE_DIR = "/var/lib/hardway";
    public static final String PENDING_RESTARTS = STATE_DIR + "/pending-restarts";
    /**
     * Where install.sh keeps the sha256 of each upstream executable as its last run left it: one replaced since,
     * by {@code --binaries} or by hand, restarts the services the manifest lists for it.
     */
    public static final String BINARIES_RECORD = STATE_DIR + "/binaries.sha256";
    /** The kubelet configuration whose resolvConf install.sh chooses per host, unless the spec fixes it. */
    public static final String KUBELET_CONFIG = "/var/lib/kubelet/kubelet-config.yaml";
    /** What kubeadm picks where systemd-resolved is active. */
    public static final String RESOLVED_RESOLV_CONF = "/run/systemd/resolve/resolv.conf";
    /** kubelet refuses cgroup v1 by default from this minor on (KEP-5573, failCgroupV1). */
    static final int FIRST_MINOR_REQUIRING_CGROUP_V2 = 35;
    static final String CNI_CONF_DIR = "/etc/cni/net.d";
    /** CNI files of earlier hardway versions, removed where found: containerd would load the first of them. */
    static final List<String> RETIRED_CNI_FILES = List.of(CNI_CONF_DIR + "/10-bridge.conf",
            CNI_CONF_DIR + "/99-loopback.conf");
    /**
     * Services earlier hardway versions enabled (WantedBy=multi-user.target) that must not start at boot any more:
     * the etcd membership reconciler would act on a members file that may be stale by then. Their unit files no
     * longer have an [Install] section, but the symlink {@code systemctl enable} made stays until it is removed.
     */
    static final List<String> NO_LONGER_STARTED_AT_BOOT = List.of("hardway-etcd-members");
    static final String BOOT_WANTS_DIR = HostFile.UNIT_DIR + "/multi-user.target.wants";

    private final TemplateEngine templates;
    private volatile String script;

    public InstallScript(TemplateEngine templates) {
        this.templates = templates;
    }

    /** {@code install.sh}: it depends on no node, so it is rendered once. */
    public String script() {
        String s = script;
        if (s == null) {
            s = templates.render(TEMPLATE, Map.of());
            script = s;
        }
        return s;
    }

    /**
     * The node's {@code install.manifest}.
     *
     * @param modules    kernel modules to load on the host
     * @param sysctlFile the sysctl drop-in to apply on the host
     */
    public String manifest(NodeBundle bundle, ResolvedCluster cluster, List<String> modules, String sysctlFile) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("node", bundle.node());
        model.put("role", bundle.role());
        model.put("cluster", cluster.name());
        model.put("kubernetesVersion", cluster.kubernetesVersion().toString());
        model.put("kubernetesMinor", cluster.kubernetesVersion().minorLine());
        model.put("pendingFile", ShellWords.quote(PENDING_RESTARTS));
        model.put("binariesRecord", ShellWords.quote(BINARIES_RECORD));
        model.put("directories", directories(bundle,
                HostBinaries.of(bundle, cluster).stream().map(HostBinaries.Binary::target).toList()));
        model.put("files", files(bundle));
        model.put("services", bundle.services());
        model.put("binaries", bundle.binaries().stream().map(ShellWords::quote).toList());
        model.put("hostTools", bundle.hostTools().stream().map(ShellWords::quote).toList());
        model.put("modules", modules.stream().map(ShellWords::quote).toList());
        model.put("sysctlFile", ShellWords.quote(sysctlFile));
        model.put("versionChecks", versionChecks(bundle, cluster));
        model.put("arch", HostBinaries.arch(cluster));
        model.put("upstream", HostBinaries.of(bundle, cluster).stream().map(b -> new HostBinaries.Binary(
                ShellWords.quote(b.target()), ShellWords.quote(b.file()), ShellWords.quote(b.version()),
                ShellWords.quote(b.url()), ShellWords.quote(b.inside().isEmpty() ? "-" : b.inside()),
                b.sha256().isEmpty() ? "-" : b.sha256(), b.services(),
                b.mainOf().isEmpty() ? "-" : ShellWords.quote(b.mainOf()))).toList());
        boolean kubelet = bundle.services().contains("kubelet");
        model.put("cgroupV2", !kubelet ? "none"
                : cluster.kubernetesVersion().minor() >= FIRST_MINOR_REQUIRING_CGROUP_V2 ? "required" : "advisory");
        endpoint(bundle, cluster, kubelet, model);
        resolvConf(bundle, cluster, model);
        boolean cni = bundle.files().stream().anyMatch(f -> f.path().startsWith(CNI_CONF_DIR + "/"));
        model.put("retired", retired(bundle, cni).stream().map(ShellWords::quote).toList());
        addons(bundle, model);
        return templates.render(MANIFEST_TEMPLATE, model);
    }

    /** Files earlier hardway versions installed on this node that would now be wrong. */
    private static List<String> retired(NodeBundle bundle, boolean cni) {
        List<String> out = new ArrayList<>(cni ? RETIRED_CNI_FILES : List.of());
        NO_LONGER_STARTED_AT_BOOT.stream().filter(bundle.services()::contains)
                .forEach(s -> out.add(BOOT_WANTS_DIR + "/" + s + ".service"));
        return out;
    }

    /** The endpoint's name: kept in /etc/hosts when the spec gives its address, else checked to resolve. */
    private static void endpoint(NodeBundle bundle, ResolvedCluster cluster, boolean kubelet,
                                 Map<String, Object> model) {
        String host = cluster.apiEndpointHost();
        String address = cluster.spec().apiServer().address();
        if (address != null) {
            String begin = "# BEGIN hardway cluster " + cluster.name() + ": apiServer.endpoint";
            String end = "# END hardway cluster " + cluster.name();
            String ip = new IPAddressString(address).getAddress().withoutPrefixLength().toCanonicalString();
            model.put("hostsEntry", Map.of("name", ShellWords.quote(host), "begin", ShellWords.quote(begin),
                    "end", ShellWords.quote(end), "line", ShellWords.quote(ip + " " + host)));
        } else if (kubelet && !new IPAddressString(host).isIPAddress()) {
            model.put("resolveEndpoint", ShellWords.quote(host));
        }
    }

    private static void resolvConf(NodeBundle bundle, ResolvedCluster cluster, Map<String, Object> model) {
        boolean hasConfig = bundle.files().stream().anyMatch(f -> f.path().equals(KUBELET_CONFIG));
        model.put("resolvConf", Map.of("auto", hasConfig && cluster.resolvConfPerHost(), "resolved", ShellWords.quote(RESOLVED_RESOLV_CONF),
                "file", ShellWords.quote(KUBELET_CONFIG)));
    }

    /** One {@code version_is} line: a binary, the version it must report, and why. */
    public record VersionCheck(String binary, String want, String why) {
    }

    /**
     * Kubernetes binaries must be the bundle's release; etcd the minor its flags are written for; containerd the
     * major line its config format belongs to.
     */
    private static List<VersionCheck> versionChecks(NodeBundle bundle, ResolvedCluster cluster) {
        List<VersionCheck> out = new ArrayList<>();
        String k8s = cluster.kubernetesVersion().toString();
        String etcdMinor = cluster.release().etcdVersion().replaceFirst("^(\\d+\\.\\d+).*", "$1");
        String containerd = cluster.containerdUsesConfigV3() ? String.valueOf(cluster.containerdVersion().major())
                : cluster.containerdVersion().minorLine();
        for (String bin : bundle.binaries()) {
            String name = bin.substring(bin.lastIndexOf('/') + 1);
            switch (name) {
                case "kubelet", "kube-proxy", "kube-apiserver", "kube-controller-manager", "kube-scheduler" ->
                        out.add(check(bin, k8s, "kubernetesVersion " + k8s));
                case "etcd" -> out.add(check(bin, etcdMinor, "the etcd flags of Kubernetes "
                        + cluster.kubernetesVersion().minorLine() + ", etcd " + cluster.release().etcdVersion()));
                case "containerd" -> out.add(check(bin, containerd, "config.toml is written in version "
                        + (cluster.containerdUsesConfigV3() ? "3, for containerd 2" : "2, for containerd 1.7")));
                default -> {
                }
            }
        }
        return out;
    }

    private static VersionCheck check(String bin, String want, String why) {
        return new VersionCheck(ShellWords.quote(bin), ShellWords.quote(want), ShellWords.quote(why));
    }

    /** The add-on block's values; the template shows it only where {@code addons} is true. */
    private static void addons(NodeBundle bundle, Map<String, Object> model) {
        AddonApply a = bundle.addons();
        model.put("addons", a != null);
        model.put("addonsKubectl", a == null ? "" : ShellWords.quote(a.kubectl()));
        model.put("addonsKubeconfig", a == null ? "" : ShellWords.quote(a.kubeconfig()));
        model.put("addonsManifests", a == null ? List.of() : a.manifests().stream().map(ShellWords::quote).toList());
        model.put("addonsAttempts", a == null ? 0 : a.attempts());
        model.put("addonsIntervalSeconds", a == null ? 0 : a.intervalSeconds());
    }

    /** One {@code add_dir} line: the directory, its mode, and whether an existing one is forced to it. */
    public record Directory(String path, String mode, String enforce) {
    }

    /** One {@code add_file} line; {@code kind} decides what a dry run shows: text, kubeconfig or secret. */
    public record File(String source, String target, String mode, String kind, List<String> services) {
    }

    private static List<Directory> directories(NodeBundle bundle, List<String> upstreamTargets) {
        Map<String, Integer> modes = new LinkedHashMap<>(bundle.directoryModes());
        modes.putIfAbsent(STATE_DIR, 0700);
        TreeSet<String> all = new TreeSet<>(modes.keySet());
        bundle.files().forEach(f -> all.addAll(f.parents()));
        // where --binaries DIR installs the upstream executables (not /sbin or /usr/sbin: the distribution's)
        upstreamTargets.forEach(b -> all.addAll(HostFile.text(b, "", 0).parents()));
        modes.keySet().forEach(d -> all.addAll(HostFile.text(d + "/x", "", 0).parents()));
        List<Directory> out = new ArrayList<>();
        for (String dir : all) {
            Integer mode = modes.get(dir);
            out.add(new Directory(ShellWords.quote(dir), octal(mode == null ? 0755 : mode), mode == null ? "no" : "yes"));
        }
        return out;
    }

    private static List<File> files(NodeBundle bundle) {
        return bundle.files().stream()
                .map(f -> new File(ShellWords.quote(FILES_DIR + f.path()), ShellWords.quote(f.path()), octal(f.mode()),
                        switch (f.kind()) {
                            case SECRET -> "secret";
                            case KUBECONFIG -> "kubeconfig";
                            default -> "text";
                        }, List.copyOf(f.restarts())))
                .toList();
    }

    static String octal(int mode) {
        String digits = Integer.toOctalString(mode);
        return "0000".substring(Math.min(4, digits.length())) + digits;
    }
}
