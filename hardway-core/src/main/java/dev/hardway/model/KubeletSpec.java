package dev.hardway.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Kubelet host settings; every field is optional.
 *
 * @param resolvConf the resolver file pods inherit upstream servers from, for every host. Absent (the default),
 *                   install.sh picks it per host as kubeadm does: {@code /run/systemd/resolve/resolv.conf}, the
 *                   real upstreams, where systemd-resolved is active (there {@code /etc/resolv.conf} points at the
 *                   127.0.0.53 stub and CoreDNS would forward to itself), {@code /etc/resolv.conf} elsewhere.
 * @param maxPods    pods per node, 110 by default
 * @param extraArgs  flags added to every kubelet's command line
 */
public record KubeletSpec(
        @SpecField(description = "The resolver file pods and CoreDNS take their upstream servers from, the same on "
                + "every host. Leave it out to have install.sh choose per host, as kubeadm does: systemd-resolved's "
                + "list of real upstreams where it runs (there /etc/resolv.conf points at the 127.0.0.53 stub).",
                example = "/etc/resolv.conf",
                // a choice made on each host, not a value: written as a default, explain would pin every host to it
                defaultRule = "chosen per host by install.sh: /run/systemd/resolve/resolv.conf where systemd-resolved "
                        + "is active, /etc/resolv.conf elsewhere",
                format = ValueFormat.ABSOLUTE_PATH)
        String resolvConf,
        @SpecField(description = "Pods per node; each worker's pod subnet must have room for them.",
                example = "110", defaultValue = "110", minimum = 1, maximum = 10_000)
        Integer maxPods,
        @SpecField(description = "Flags added to every kubelet's command line, checked against the kubelet's flags "
                + "in the targeted release. One hardway sets (in the unit or in kubelet-config.yaml) is refused, "
                + "naming the field to use; one the kubelet deprecates in favour of its configuration file is "
                + "accepted with a warning: the kubelet still applies it, over the file.",
                example = "[{name: node-status-max-images, value: 25}]", defaultRule = "none")
        List<ExtraArg> extraArgs) {

    public KubeletSpec {
        extraArgs = SpecLists.copyOf("KubeletSpec", "extraArgs", extraArgs);
    }

    public KubeletSpec(String resolvConf, Integer maxPods) {
        this(resolvConf, maxPods, null);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link KubeletSpec} field by field; unset fields take their defaults. */
    public static final class Builder {
        private String resolvConf;
        private Integer maxPods;
        private final List<ExtraArg> extraArgs = new ArrayList<>();

        private Builder() {
        }

        public Builder resolvConf(String path) {
            this.resolvConf = path;
            return this;
        }

        public Builder maxPods(Integer pods) {
            this.maxPods = pods;
            return this;
        }

        /** Adds a flag to every kubelet's command line. */
        public Builder extraArg(String name, String value) {
            extraArgs.add(new ExtraArg(name, value));
            return this;
        }

        public KubeletSpec build() {
            return new KubeletSpec(resolvConf, maxPods, extraArgs.isEmpty() ? null : extraArgs);
        }
    }
}
