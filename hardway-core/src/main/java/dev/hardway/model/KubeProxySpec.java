package dev.hardway.model;

import java.util.List;

/**
 * kube-proxy settings; every field is optional.
 *
 * @param mode      how Services are programmed: {@code iptables} (default), {@code nftables} (GA in Kubernetes 1.33)
 *                  or {@code ipvs} (deprecated since 1.35)
 * @param extraArgs flags added to kube-proxy's command line
 */
public record KubeProxySpec(
        @SpecField(description = "How kube-proxy programs Services: iptables; nftables (GA since Kubernetes 1.33, "
                + "accepted from 1.33 on; needs the nft tool on the nodes); ipvs (deprecated since 1.35, where "
                + "kube-proxy warns about it; needs the ip_vs modules and ipset).", example = "nftables",
                defaultValue = "iptables", format = ValueFormat.PROXY_MODE)
        String mode,
        @SpecField(description = "Flags added to kube-proxy's command line: each must exist in the targeted "
                + "release and not be one hardway sets. kube-proxy reads hardway's configuration file, so flags it "
                + "binds to its configuration are ignored and refused here: in practice the logging flags (v, "
                + "vmodule, logging-format).",
                example = "[{name: v, value: 4}]", defaultRule = "none")
        List<ExtraArg> extraArgs) {

    public KubeProxySpec {
        extraArgs = SpecLists.copyOf("KubeProxySpec", "extraArgs", extraArgs);
    }
}
