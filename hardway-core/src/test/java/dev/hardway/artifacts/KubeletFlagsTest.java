package dev.hardway.artifacts;

import dev.hardway.api.GenerationRequest;
import dev.hardway.api.Hardway;
import dev.hardway.api.RenderedCluster;
import dev.hardway.model.ClusterSpec;
import dev.hardway.model.KubernetesRelease;
import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kubelet and kube-proxy start with flags that exist in every supported release. Everything else lives in
 * their configuration files, where the API version is checked by the component itself; the flags tutorials
 * still copy (dockershim, CNI and runtime flags) were removed between 1.24 and 1.35.
 */
class KubeletFlagsTest {
    /** Flags without a configuration-file equivalent, present in kubelet 1.32 through 1.36. */
    static final Set<String> KUBELET_FLAGS = Set.of("--config", "--kubeconfig", "--hostname-override", "--node-ip",
            "--v");
    static final Set<String> KUBE_PROXY_FLAGS = Set.of("--config");
    /** Removed, or deprecated in favour of a configuration field; named so a reader sees what is ruled out. */
    static final List<String> REMOVED = List.of("--network-plugin", "--container-runtime",
            "--image-pull-progress-deadline", "--cni-bin-dir", "--cni-conf-dir", "--docker-endpoint",
            "--container-runtime-endpoint", "--pod-infra-container-image", "--cgroup-driver", "--cluster-dns",
            "--cluster-domain", "--register-node", "--tls-cert-file", "--pod-cidr", "--resolv-conf");

    /** Shared, so the keys are generated once and every release reuses them. */
    @TempDir
    static Path pki;

    private RenderedCluster render(KubernetesRelease release) {
        ClusterSpec spec = ClusterSpec.builder().name("flags")
                .kubernetesVersion("1." + release.minor() + ".0")
                .apiServer(a -> a.endpoint("https://server.kubernetes.local:6443"))
                .network(n -> n.clusterCidr("10.200.0.0/16").serviceCidr("10.32.0.0/24")
                        .clusterDns("10.32.0.10").clusterDomain("cluster.local"))
                .controller(c -> c.name("controller-0").internalIp("10.240.0.10"))
                .worker(w -> w.name("worker-0").internalIp("10.240.0.20")).build();
        return Hardway.generate(GenerationRequest.builder().spec(spec).pkiDirectory(pki)
                .outputDirectory(pki.resolve("out-" + release.minor())).clock(TestClusters.fixedClock()).build())
                .rendered();
    }

    static Set<String> flagsOf(String unit) {
        Matcher exec = Pattern.compile("(?ms)^ExecStart=(.*?)(?<!\\\\)$").matcher(unit);
        assertTrue(exec.find(), unit);
        Set<String> flags = new TreeSet<>();
        Arrays.stream(exec.group(1).split("[\\s\\\\]+")).filter(w -> w.startsWith("--"))
                .map(w -> w.contains("=") ? w.substring(0, w.indexOf('=')) : w).forEach(flags::add);
        return flags;
    }

    @ParameterizedTest
    @EnumSource(KubernetesRelease.class)
    void workerUnits_useOnlyFlagsThatExistInTheTargetedRelease(KubernetesRelease release) {
        RenderedCluster r = render(release);
        String kubelet = r.bundle("worker-0").file("/etc/systemd/system/kubelet.service").text();
        String proxy = r.bundle("worker-0").file("/etc/systemd/system/kube-proxy.service").text();
        assertEquals(KUBELET_FLAGS, flagsOf(kubelet), kubelet);
        assertEquals(KUBE_PROXY_FLAGS, flagsOf(proxy), proxy);
        for (String removed : REMOVED) {
            assertTrue(!flagsOf(kubelet).contains(removed), removed);
        }
    }

    @ParameterizedTest
    @EnumSource(KubernetesRelease.class)
    void kubeletConfiguration_carriesWhatTheRemovedFlagsUsedTo(KubernetesRelease release) {
        String config = render(release).bundle("worker-0").file("/var/lib/kubelet/kubelet-config.yaml").text();
        for (String field : List.of("containerRuntimeEndpoint: \"unix:///run/containerd/containerd.sock\"",
                "cgroupDriver: systemd", "clusterDomain: \"cluster.local\"", "- \"10.32.0.10\"",
                "resolvConf: \"/run/systemd/resolve/resolv.conf\"", "tlsCertFile:")) {
            assertTrue(config.contains(field), field + " in\n" + config);
        }
    }
}
