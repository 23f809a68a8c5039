package dev.hardway.bundle;

import dev.hardway.model.BinariesSpec;
import dev.hardway.model.ResolvedCluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The executables a node's units run, with where each comes from upstream: name, version, architecture and the
 * download URL (text only: hardway never fetches anything). Kubernetes' binaries from dl.k8s.io (each with a
 * {@code .sha256} beside it); etcd, containerd, runc and the CNI plugins from their GitHub releases, some inside a
 * release archive. {@code /sbin/ip} and {@code /usr/sbin/iptables} come from the distribution's packages.
 */
public final class HostBinaries {
    /**
     * runc: the release containerd's latest 2.1 and 2.2 patches are built and tested with
     * ({@code script/setup/runc-version}), 1.3.3 and later fixing CVE-2025-31133, -52565 and -52881. The CNI
     * plugins: pinned by no Kubernetes or containerd release, the version hardway was tested with.
     */
    static final String RUNC_VERSION = "1.3.6";
    static final String CNI_PLUGINS_VERSION = "1.7.1";
    static final String DEFAULT_ARCH = "amd64";

    private HostBinaries() {
    }

    /**
     * One executable.
     *
     * @param target   where it is installed, e.g. {@code /usr/local/bin/kubelet}
     * @param file     the file name {@code install.sh --binaries DIR} takes from DIR
     * @param version  its version
     * @param url      what to download; for an archive, {@code file} is inside it
     * @param inside   the member of the archive at {@code url}, or empty when {@code url} is the executable itself
     * @param sha256   the checksum the spec pins, or empty
     * @param services services restarted when it changes
     * @param mainOf   the service whose main process runs it (its unit's ExecStart), or empty: install.sh compares
     *                 that process's executable with this file while it has no record of the file
     */
    public record Binary(String target, String file, String version, String url, String inside, String sha256,
                         List<String> services, String mainOf) {
    }

    public static String arch(ResolvedCluster cluster) {
        BinariesSpec b = cluster.spec().binaries();
        return b == null || b.arch() == null ? DEFAULT_ARCH : b.arch();
    }

    /** The bundle's executables that come from upstream releases, in the bundle's order. */
    public static List<Binary> of(NodeBundle bundle, ResolvedCluster cluster) {
        String arch = arch(cluster);
        Map<String, String> pins = cluster.spec().binaries() == null ? Map.of() : cluster.spec().binaries().sha256();
        String k8s = cluster.kubernetesVersion().toString();
        String etcd = cluster.release().etcdVersion();
        String containerd = cluster.containerdVersion().toString();
        List<Binary> out = new ArrayList<>();
        java.util.function.BiFunction<String, String, String> mainOf = (service, target) ->
                runsDirectly(bundle, service, target) ? service : "";
        for (String target : bundle.binaries()) {
            String name = target.substring(target.lastIndexOf('/') + 1);
            String pin = pins.getOrDefault(name, "");
            switch (name) {
                case "kubelet", "kube-proxy", "kube-apiserver", "kube-controller-manager", "kube-scheduler" ->
                        out.add(new Binary(target, name, k8s, "https://dl.k8s.io/release/v" + k8s + "/bin/linux/"
                                + arch + "/" + name, "", pin, List.of(name), mainOf.apply(name, target)));
                case "kubectl" -> out.add(new Binary(target, name, k8s, "https://dl.k8s.io/release/v" + k8s
                        + "/bin/linux/" + arch + "/" + name, "", pin, List.of(), ""));
                case "etcd" -> out.add(new Binary(target, name, etcd, "https://github.com/etcd-io/etcd/releases/"
                        + "download/v" + etcd + "/etcd-v" + etcd + "-linux-" + arch + ".tar.gz",
                        "etcd-v" + etcd + "-linux-" + arch + "/etcd", pin, List.of("etcd"),
                        mainOf.apply("etcd", target)));
                // the membership script's client, from the same release archive; a change restarts nothing
                case "etcdctl" -> out.add(new Binary(target, name, etcd, "https://github.com/etcd-io/etcd/releases/"
                        + "download/v" + etcd + "/etcd-v" + etcd + "-linux-" + arch + ".tar.gz",
                        "etcd-v" + etcd + "-linux-" + arch + "/etcdctl", pin, List.of(), ""));
                // the shim is no service's main process: containerd starts one per pod
                case "containerd", "containerd-shim-runc-v2" -> out.add(new Binary(target, name, containerd,
                        "https://github.com/containerd/containerd/releases/download/v" + containerd + "/containerd-"
                                + containerd + "-linux-" + arch + ".tar.gz", "bin/" + name, pin,
                        List.of("containerd"), name.equals("containerd") ? mainOf.apply("containerd", target) : ""));
                case "runc" -> out.add(new Binary(target, name, RUNC_VERSION, "https://github.com/opencontainers/"
                        + "runc/releases/download/v" + RUNC_VERSION + "/runc." + arch, "", pin, List.of("containerd"),
                        ""));
                case "bridge", "host-local", "portmap", "loopback" -> out.add(new Binary(target, name,
                        CNI_PLUGINS_VERSION, "https://github.com/containernetworking/plugins/releases/download/v"
                        + CNI_PLUGINS_VERSION + "/cni-plugins-linux-" + arch + "-v" + CNI_PLUGINS_VERSION + ".tgz",
                        "./" + name, pin, List.of(), ""));
                default -> {
                    // /sbin/ip, /usr/sbin/iptables: the distribution's iproute2 and iptables packages
                }
            }
        }
        return out;
    }

    /**
     * Whether {@code service}'s unit in the bundle starts {@code target} itself: then its main process runs that
     * file, which install.sh can compare with the one on disk. A template override that starts it through a
     * wrapper (/bin/sh -c ...) has a main process running something else, which would look replaced every time.
     */
    private static boolean runsDirectly(NodeBundle bundle, String service, String target) {
        String unit = HostFile.unitOf(service);
        return bundle.files().stream().filter(f -> f.path().equals(unit)).findFirst().map(f -> {
            for (String line : f.text().split("\n")) {
                String setting = line.strip();
                if (setting.startsWith("ExecStart=")) {
                    String command = setting.substring("ExecStart=".length()).strip().replaceFirst("^[-@:+!]+", "");
                    return command.equals(target) || command.startsWith(target + " ")
                            || command.startsWith(target + "\t") || command.startsWith(target + "\\");
                }
            }
            return false;
        }).orElse(false);
    }
}
