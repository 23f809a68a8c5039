package dev.hardway.model;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The Kubernetes minor releases hardway generates for, with what each one pins: the versions kubeadm ships
 * with that minor's first release (CoreDNS, etcd, pause image) and the containerd release hardway installs by
 * default, the latest patch of its line (2.1 and 2.2 carry security fixes in their patches).
 *
 * <p>Adding a minor is adding a constant here and running the approval tests; nothing else in the code
 * branches on the Kubernetes version except through these values.
 */
public enum KubernetesRelease {
    V1_32(32, "2.1.9", "3.10", "1.11.3", "3.5.16"),
    V1_33(33, "2.1.9", "3.10", "1.12.0", "3.5.21"),
    V1_34(34, "2.1.9", "3.10.1", "1.12.1", "3.6.4"),
    V1_35(35, "2.2.7", "3.10.1", "1.13.1", "3.6.6"),
    V1_36(36, "2.2.7", "3.10.1", "1.13.1", "3.6.8");

    /** containerd 1.7 is the last 1.x line; Kubernetes 1.36 is the first minor that requires containerd 2. */
    private static final int LAST_MINOR_WITH_CONTAINERD_1 = 35;

    private final int minor;
    private final String defaultContainerd;
    private final String pauseImageTag;
    private final String coreDnsVersion;
    private final String etcdVersion;

    KubernetesRelease(int minor, String defaultContainerd, String pauseImageTag, String coreDnsVersion,
                      String etcdVersion) {
        this.minor = minor;
        this.defaultContainerd = defaultContainerd;
        this.pauseImageTag = pauseImageTag;
        this.coreDnsVersion = coreDnsVersion;
        this.etcdVersion = etcdVersion;
    }

    public static Optional<KubernetesRelease> of(Version version) {
        if (version.major() != 1) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(r -> r.minor == version.minor()).findFirst();
    }

    /** "1.32 through 1.36", for error messages. */
    public static String supportedRange() {
        KubernetesRelease[] all = values();
        return "1." + all[0].minor + " through 1." + all[all.length - 1].minor;
    }

    public static String supportedList() {
        return Arrays.stream(values()).map(r -> "1." + r.minor).collect(Collectors.joining(", "));
    }

    public Version defaultContainerd() {
        return Version.parse(defaultContainerd).orElseThrow();
    }

    public boolean supportsContainerd(Version containerd) {
        if (containerd.major() == 1) {
            return containerd.minor() == 7 && minor <= LAST_MINOR_WITH_CONTAINERD_1;
        }
        return containerd.major() == 2;
    }

    public String pauseImage() {
        return "registry.k8s.io/pause:" + pauseImageTag;
    }

    public String coreDnsVersion() {
        return coreDnsVersion;
    }

    public String etcdVersion() {
        return etcdVersion;
    }

    public int minor() {
        return minor;
    }
}
