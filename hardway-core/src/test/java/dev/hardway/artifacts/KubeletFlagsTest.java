package dev.hardway.artifacts;

import dev.hardway.api.GenerationRequest;
import dev.hardway.api.Hardway;
import dev.hardway.api.RenderedCluster;
import dev.hardway.model.ClusterSpec;
import dev.hardway.model.ComponentFlags;
import dev.hardway.model.ComponentSpec;
import dev.hardway.model.ControlPlaneSpec;
import dev.hardway.model.ExtraArg;
import dev.hardway.model.InvalidSpecException;
import dev.hardway.model.KubernetesRelease;
import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.Test;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
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

    /**
     * Renders share it, so the keys are generated once; each generated release has a PKI directory of its own
     * below it, since a PKI directory records the release it was generated for and refuses a skip or downgrade.
     */
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
        return Hardway.generate(GenerationRequest.builder().spec(spec)
                .pkiDirectory(pki.resolve("pki-" + release.minor())).outputDirectory(pki.resolve("out-" + release.minor())).clock(TestClusters.fixedClock()).build())
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

    private RenderedCluster renderStacked(KubernetesRelease release) {
        ClusterSpec spec = ClusterSpec.builder().name("flags")
                .kubernetesVersion("1." + release.minor() + ".0")
                .apiServer(a -> a.endpoint("https://server.kubernetes.local:6443"))
                .network(n -> n.clusterCidr("10.200.0.0/16").serviceCidr("10.32.0.0/24")
                        .clusterDns("10.32.0.10").clusterDomain("cluster.local"))
                .controlPlane(new ControlPlaneSpec(true, null))
                .controller(c -> c.name("controller-0").internalIp("10.240.0.10").label("example.com/rack", "r1"))
                .build();
        return Hardway.render(GenerationRequest.builder().spec(spec).pkiDirectory(pki)
                .clock(TestClusters.fixedClock()).build());
    }

    /** Every flag a unit starts its component with exists in that component's table for the release. */
    @ParameterizedTest
    @EnumSource(KubernetesRelease.class)
    void stackedControllerKubelet_everyUnitFlag_isInTheKubeletFlagTableOfTheRelease(KubernetesRelease release) {
        RenderedCluster r = renderStacked(release);
        String kubelet = r.bundle("controller-0").file("/etc/systemd/system/kubelet.service").text();
        ComponentFlags table = ComponentFlags.of(ComponentFlags.KUBELET, release.minor()).orElseThrow();
        for (String flag : flagsOf(kubelet)) {
            assertTrue(table.has(flag.substring(2)), flag + " in kubelet 1." + release.minor());
            assertTrue(table.configField(flag.substring(2)).isEmpty(), flag + " is deprecated for the config file");
        }
        assertTrue(flagsOf(kubelet).contains("--node-labels"), kubelet);
    }

    /**
     * The flags ComponentFlags says hardway sets in each unit are exactly those the rendered units carry, so the
     * extraArgs check refuses what the templates really set.
     */
    @ParameterizedTest
    @EnumSource(KubernetesRelease.class)
    void ownedFlags_areExactlyTheFlagsTheUnitsCarry(KubernetesRelease release) {
        RenderedCluster r = renderStacked(release);
        for (String component : List.of(ComponentFlags.KUBE_APISERVER, ComponentFlags.KUBE_CONTROLLER_MANAGER,
                ComponentFlags.KUBE_SCHEDULER, ComponentFlags.KUBELET, ComponentFlags.KUBE_PROXY)) {
            String unit = r.bundle("controller-0").file("/etc/systemd/system/" + component + ".service").text();
            Set<String> rendered = new TreeSet<>();
            flagsOf(unit).forEach(f -> rendered.add(f.substring(2)));
            rendered.remove("v");
            assertEquals(ComponentFlags.unitFlags(component), rendered, component);
        }
    }

    @ParameterizedTest
    @EnumSource(KubernetesRelease.class)
    void kubeletTable_keepsEveryFlagThatKubeletConfigurationDoesNotReplace(KubernetesRelease release) {
        ComponentFlags table = ComponentFlags.of(ComponentFlags.KUBELET, release.minor()).orElseThrow();
        for (String flag : KUBELET_FLAGS) {
            assertTrue(table.has(flag.substring(2)) && table.configField(flag.substring(2)).isEmpty(), flag);
        }
        assertTrue(table.configField("max-pods").isPresent(), "max-pods is a configuration-file field");
        assertTrue(table.removedIn("container-runtime").orElseThrow().startsWith("1.27"));
    }

    @Test
    void generate_withAKubeletFlagRemovedInTheTargetedRelease_failsNamingFlagAndVersion() {
        ClusterSpec spec = ClusterSpec.builder().name("flags").kubernetesVersion("1.35.0")
                .apiServer(a -> a.endpoint("https://server.kubernetes.local:6443"))
                .network(n -> n.clusterCidr("10.200.0.0/16").serviceCidr("10.32.0.0/24")
                        .clusterDns("10.32.0.10").clusterDomain("cluster.local"))
                .controller(c -> c.name("controller-0").internalIp("10.240.0.10"))
                .worker(w -> w.name("worker-0").internalIp("10.240.0.20"))
                .kubelet(k -> k.extraArg("pod-infra-container-image", "registry.k8s.io/pause:3.10")
                        .extraArg("container-runtime", "remote"))
                .build();
        Path out = pki.resolve("out-removed");
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> Hardway.generate(GenerationRequest
                .builder().spec(spec).pkiDirectory(pki).outputDirectory(out).clock(TestClusters.fixedClock()).build()));
        assertTrue(e.getMessage().contains("kubelet.extraArgs[0].name: kubelet 1.35 has no flag "
                + "--pod-infra-container-image (removed in Kubernetes 1.35"), e.getMessage());
        assertTrue(e.getMessage().contains("kubelet.extraArgs[1].name: kubelet 1.35 has no flag --container-runtime "
                + "(removed in Kubernetes 1.27"), e.getMessage());
        assertTrue(!java.nio.file.Files.exists(out), "nothing written");
    }

    @Test
    void extraArgs_areRenderedAfterHardwaysFlags_andVReplacesHardwaysVerbosity() {
        ClusterSpec spec = ClusterSpec.builder().name("flags").kubernetesVersion("1.34.0")
                .apiServer(a -> a.endpoint("https://server.kubernetes.local:6443").extraArg("v", "5")
                        .extraArg("audit-log-compress", "true"))
                .network(n -> n.clusterCidr("10.200.0.0/16").serviceCidr("10.32.0.0/24")
                        .clusterDns("10.32.0.10").clusterDomain("cluster.local"))
                .controller(c -> c.name("controller-0").internalIp("10.240.0.10"))
                .worker(w -> w.name("worker-0").internalIp("10.240.0.20"))
                .scheduler(new ComponentSpec(List.of(new ExtraArg("v", "3"))))
                .build();
        RenderedCluster r = Hardway.render(GenerationRequest.builder().spec(spec).pkiDirectory(pki)
                .clock(TestClusters.fixedClock()).build());
        String api = r.bundle("controller-0").file("/etc/systemd/system/kube-apiserver.service").text();
        assertTrue(api.contains("  --v=5 \\\n  --audit-log-compress=true\n"), api);
        assertTrue(!api.contains("--v=2"), api);
        String scheduler = r.bundle("controller-0").file("/etc/systemd/system/kube-scheduler.service").text();
        assertTrue(scheduler.contains("  --v=3\n"), scheduler);
    }
}
