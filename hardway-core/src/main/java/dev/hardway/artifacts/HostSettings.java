package dev.hardway.artifacts;

import dev.hardway.bundle.HostFile;

import java.util.List;
import java.util.Map;

/** Kernel modules and sysctls every Kubernetes node needs, as files that keep them across reboots. */
public final class HostSettings {
    /**
     * overlay for containerd's snapshotter; br_netfilter so bridged pod traffic meets iptables; nf_conntrack, which
     * kube-proxy's NAT rules and its conntrack sysctls need before it starts.
     */
    public static final List<String> MODULES = List.of("overlay", "br_netfilter", "nf_conntrack");

    private HostSettings() {
    }

    /** The same on every node. */
    public static List<HostFile> files(GenerationContext ctx) {
        Map<String, Object> model = ctx.clusterModel();
        model.put("modules", MODULES);
        model.put("ipv6", ctx.cluster().clusterCidr().contains(":"));
        return List.of(
                ctx.renderShared("host/modules-load.d/kubernetes.conf.ftl", model, HostPaths.MODULES_FILE, 0644),
                ctx.renderShared("host/sysctl.d/99-kubernetes.conf.ftl", model, HostPaths.SYSCTL_FILE, 0644));
    }
}
