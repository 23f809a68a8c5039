package dev.hardway.model;

import dev.hardway.api.GenerationRequest;
import dev.hardway.api.Hardway;
import dev.hardway.api.RenderedCluster;
import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every component's extraArgs are checked against the flags it has in the targeted minor: a removed flag is an
 * error naming flag, component and release, a real one reaches the unit, and the tables hardway ships are
 * consistent with the flags hardway itself writes and with the removals they record.
 */
class ComponentFlagsTest {
    static final List<String> COMPONENTS = List.of(ComponentFlags.KUBE_APISERVER,
            ComponentFlags.KUBE_CONTROLLER_MANAGER, ComponentFlags.KUBE_SCHEDULER, ComponentFlags.KUBELET,
            ComponentFlags.KUBE_PROXY);

    @TempDir
    static Path pki;

    private static ClusterSpec.Builder spec(String version, UnaryOperator<ClusterSpec.Builder> args) {
        return args.apply(ClusterSpec.builder().name("flags").kubernetesVersion(version)
                .network(n -> n.clusterCidr("10.200.0.0/16").serviceCidr("10.32.0.0/24")
                        .clusterDns("10.32.0.10").clusterDomain("cluster.local"))
                .controller(c -> c.name("controller-0").internalIp("10.240.0.10"))
                .worker(w -> w.name("worker-0").internalIp("10.240.0.20")));
    }

    private static ComponentSpec args(String name, String value) {
        return new ComponentSpec(List.of(new ExtraArg(name, value)));
    }

    private static InvalidSpecException generateFails(ClusterSpec spec, Path out) {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> Hardway.generate(GenerationRequest
                .builder().spec(spec).pkiDirectory(pki).outputDirectory(out).clock(TestClusters.fixedClock())
                .build()));
        assertFalse(Files.exists(out), "nothing written");
        return e;
    }

    @Test
    void generate_withControlPlaneFlagsRemovedUpstream_failsNamingFlagComponentAndRelease() {
        ClusterSpec spec = spec("1.33.0", b -> b
                .apiServer(a -> a.endpoint("https://server.kubernetes.local:6443").extraArg("cloud-provider", "external"))
                .controllerManager(args("pod-eviction-timeout", "5m"))
                .scheduler(args("lock-object-namespace", "kube-system"))).build();
        String m = generateFails(spec, pki.resolve("out-removed")).getMessage();
        assertTrue(m.contains("apiServer.extraArgs[0].name: kube-apiserver 1.33 has no flag --cloud-provider "
                + "(removed in Kubernetes 1.33"), m);
        assertTrue(m.contains("controllerManager.extraArgs[0].name: kube-controller-manager 1.33 has no flag "
                + "--pod-eviction-timeout (removed in Kubernetes 1.27"), m);
        assertTrue(m.contains("scheduler.extraArgs[0].name: kube-scheduler 1.33 has no flag --lock-object-namespace "
                + "(removed in Kubernetes 1.28"), m);
    }

    @Test
    void apiServerCloudProvider_isAcceptedInTheLastMinorThatHasIt() {
        ClusterSpec spec = spec("1.32.0", b -> b.apiServer(a -> a.endpoint("https://server.kubernetes.local:6443")
                .extraArg("cloud-provider", "external"))).build();
        String unit = render(spec).bundle("controller-0").file("/etc/systemd/system/kube-apiserver.service").text();
        assertTrue(unit.contains("--cloud-provider=external"), unit);
    }

    @Test
    void flagAddedIn136_isRefusedIn135_andAcceptedIn136() {
        UnaryOperator<ClusterSpec.Builder> curves = b -> b
                .apiServer(a -> a.endpoint("https://server.kubernetes.local:6443"))
                .scheduler(args("tls-curve-preferences", "29"));
        String m = generateFails(spec("1.35.0", curves).build(), pki.resolve("out-135")).getMessage();
        assertTrue(m.contains("scheduler.extraArgs[0].name: kube-scheduler 1.35 has no flag --tls-curve-preferences"),
                m);
        String unit = render(spec("1.36.0", curves).build()).bundle("controller-0")
                .file("/etc/systemd/system/kube-scheduler.service").text();
        assertTrue(unit.contains("--tls-curve-preferences=29"), unit);
    }

    @Test
    void unknownControlPlaneFlag_isRefusedWithTheClosestName() {
        ClusterSpec spec = spec("1.34.0", b -> b.apiServer(a -> a.endpoint("https://server.kubernetes.local:6443"))
                .controllerManager(args("concurrent-deployment-sync", "10"))).build();
        String m = generateFails(spec, pki.resolve("out-typo")).getMessage();
        assertTrue(m.contains("controllerManager.extraArgs[0].name: kube-controller-manager 1.34 has no flag "
                + "--concurrent-deployment-sync; did you mean --concurrent-deployment-syncs?"), m);
    }

    private static RenderedCluster render(ClusterSpec spec) {
        return Hardway.render(GenerationRequest.builder().spec(spec).pkiDirectory(pki)
                .clock(TestClusters.fixedClock()).build());
    }

    /** Common flags an operator adds reach each control-plane unit, in every supported minor. */
    @ParameterizedTest
    @EnumSource(KubernetesRelease.class)
    void commonControlPlaneFlags_pass_andAreRendered(KubernetesRelease release) {
        ClusterSpec spec = spec("1." + release.minor() + ".0", b -> b
                .apiServer(a -> a.endpoint("https://server.kubernetes.local:6443").extraArg("event-ttl", "2h"))
                .controllerManager(args("concurrent-deployment-syncs", "10"))
                .scheduler(args("kube-api-qps", "100"))).build();
        RenderedCluster r = render(spec);
        for (String[] expected : new String[][] {{"kube-apiserver", "--event-ttl=2h"},
                {"kube-controller-manager", "--concurrent-deployment-syncs=10"},
                {"kube-scheduler", "--kube-api-qps=100"}}) {
            String unit = r.bundle("controller-0").file("/etc/systemd/system/" + expected[0] + ".service").text();
            assertTrue(unit.contains(expected[1]), unit);
        }
    }

    /**
     * Every flag hardway writes into a unit, and {@code --v}, which a spec may set, exists in that component's
     * table for every minor: a table too small to hold them would refuse what hardway itself relies on.
     */
    @ParameterizedTest
    @EnumSource(KubernetesRelease.class)
    void everyTable_holdsTheFlagsHardwaysUnitsSet(KubernetesRelease release) {
        for (String component : COMPONENTS) {
            ComponentFlags table = ComponentFlags.of(component, release.minor()).orElseThrow(
                    () -> new AssertionError("no table for " + component + " 1." + release.minor()));
            for (String flag : ComponentFlags.unitFlags(component)) {
                assertTrue(table.has(flag), "--" + flag + " in " + component + " 1." + release.minor());
            }
            assertTrue(table.has("v"), component);
        }
    }

    /**
     * A table file is sorted flag names, each once; a flag its component's removals file lists is in no table
     * of that release or later, and in the table of every supported minor before it.
     */
    @ParameterizedTest
    @EnumSource(KubernetesRelease.class)
    void tables_areSortedUnique_andAgreeWithTheRecordedRemovals(KubernetesRelease release) throws IOException {
        for (String component : COMPONENTS) {
            List<String> names = new ArrayList<>();
            for (String line : lines(component + "-1." + release.minor() + ".flags")) {
                String name = line.split("\\s+")[0];
                assertTrue(name.matches("[a-z0-9][-a-z0-9]*"), component + ": " + line);
                names.add(name);
            }
            assertEquals(names.stream().sorted().distinct().toList(), names, component + " 1." + release.minor());
            ComponentFlags table = ComponentFlags.of(component, release.minor()).orElseThrow();
            List<String> removed = resource(component + ".removed") == null ? List.of() : lines(component + ".removed");
            for (String line : removed) {
                String[] words = line.split("\\s+", 3);
                int removedIn = Version.parse(words[1] + ".0").orElseThrow().minor();
                assertEquals(release.minor() < removedIn, table.has(words[0]),
                        component + " 1." + release.minor() + " --" + words[0] + " (removed in " + words[1] + ")");
            }
        }
    }

    private static InputStream resource(String name) {
        return ComponentFlags.class.getClassLoader().getResourceAsStream("dev/hardway/flags/" + name);
    }

    private static List<String> lines(String name) throws IOException {
        try (InputStream in = resource(name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).map(String::trim).toList();
        }
    }
}
