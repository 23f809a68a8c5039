package dev.hardway.artifacts;

import dev.hardway.bundle.HostFile;

/**
 * Where things live on a node. Binaries follow the upstream release tarballs' habits (Kubernetes binaries and
 * containerd in /usr/local/bin, runc in /usr/local/sbin, CNI plugins in /opt/cni/bin).
 */
public final class HostPaths {
    private HostPaths() {
    }

    public static final String BIN_DIR = "/usr/local/bin";
    public static final String RUNC = "/usr/local/sbin/runc";
    public static final String CNI_BIN_DIR = "/opt/cni/bin";
    public static final String CNI_CONF_DIR = "/etc/cni/net.d";
    public static final String SYSTEMD_DIR = HostFile.UNIT_DIR;

    public static final String KUBELET_DIR = "/var/lib/kubelet";
    public static final String KUBE_PROXY_DIR = "/var/lib/kube-proxy";
    public static final String CONTAINERD_CONFIG = "/etc/containerd/config.toml";
    public static final String CONTAINERD_SOCKET = "unix:///run/containerd/containerd.sock";

    public static final String MODULES_FILE = "/etc/modules-load.d/kubernetes.conf";
    public static final String SYSCTL_FILE = "/etc/sysctl.d/99-kubernetes.conf";

    public static String bin(String name) {
        return BIN_DIR + "/" + name;
    }

    public static String unit(String service) {
        return HostFile.unitOf(service);
    }
}
