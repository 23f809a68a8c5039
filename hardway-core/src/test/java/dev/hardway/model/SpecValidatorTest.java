package dev.hardway.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpecValidatorTest {
    private final SpecValidator validator = new SpecValidator();

    static ClusterSpec.Builder base() {
        return ClusterSpec.builder()
                .name("demo")
                .kubernetesVersion("1.32.3")
                .apiServer(a -> a.endpoint("https://server.kubernetes.local:6443"))
                .network(n -> n.clusterCidr("10.200.0.0/16").serviceCidr("10.32.0.0/24")
                        .clusterDns("10.32.0.10").clusterDomain("cluster.local"))
                .controller(c -> c.name("controller-0").internalIp("10.240.0.10"));
    }

    private static String only(List<Problem> problems, String path) {
        List<Problem> at = problems.stream().filter(p -> p.path().equals(path)).toList();
        assertEquals(1, at.size(), "one problem at " + path + " expected in " + problems);
        return at.get(0).message();
    }

    @Test
    void validSpec_builtInJava_hasNoProblems() {
        assertEquals(List.of(), validator.problems(base()
                .worker(w -> w.name("worker-0").internalIp("10.240.0.20")).build()));
    }

    @Test
    void resolve_invalidSpecBuiltInJava_throwsWithoutSourceOrLines() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> ResolvedCluster.resolve(base().build()));
        assertEquals(null, e.source());
        assertTrue(e.getMessage().startsWith("the cluster spec has 1 problem"), e.getMessage());
        assertTrue(e.getMessage().contains("workers: at least one worker is required"), e.getMessage());
    }

    @Test
    void podCidr_appendingAWorker_neverMovesExistingSubnets() {
        ResolvedCluster before = ResolvedCluster.resolve(base()
                .worker(w -> w.name("w0").internalIp("10.240.0.20"))
                .worker(w -> w.name("w1").internalIp("10.240.0.21").podCidr("10.200.1.0/24")).build());
        ResolvedCluster after = ResolvedCluster.resolve(base()
                .worker(w -> w.name("w0").internalIp("10.240.0.20"))
                .worker(w -> w.name("w1").internalIp("10.240.0.21").podCidr("10.200.1.0/24"))
                .worker(w -> w.name("w2").internalIp("10.240.0.22")).build());
        assertEquals(before.workers(), after.workers().subList(0, 2));
        assertEquals("10.200.0.0/24", after.workers().get(0).podCidr());
        assertEquals("10.200.2.0/24", after.workers().get(2).podCidr(), "skips w1's explicit subnet");
    }

    @Test
    void podCidr_explicitSubnetTakenByEarlierAllocation_isAnErrorForTheLaterWorker() {
        List<Problem> problems = validator.problems(base()
                .worker(w -> w.name("w0").internalIp("10.240.0.20"))
                .worker(w -> w.name("w1").internalIp("10.240.0.21").podCidr("10.200.0.0/24")).build());
        // w0 was allocated 10.200.0.0/24 first; w1 asks for it explicitly
        assertTrue(only(problems, "workers[1].podCidr").contains("allocated to workers[0]"), problems.toString());
    }

    @Test
    void podCidr_overlappingExplicitSubnets_areReported() {
        List<Problem> problems = validator.problems(base()
                .worker(w -> w.name("w0").internalIp("10.240.0.20").podCidr("10.200.0.0/23"))
                .worker(w -> w.name("w1").internalIp("10.240.0.21").podCidr("10.200.1.0/24")).build());
        assertTrue(only(problems, "workers[1].podCidr").contains("overlaps 10.200.0.0/23"), problems.toString());
    }

    @Test
    void podCidr_clusterRangeExhausted_saysWhatToDo() {
        List<Problem> problems = validator.problems(base()
                .network(new NetworkSpec("10.200.0.0/23", "10.32.0.0/24", "10.32.0.10", "cluster.local", null))
                .worker(w -> w.name("w0").internalIp("10.240.0.20"))
                .worker(w -> w.name("w1").internalIp("10.240.0.21"))
                .worker(w -> w.name("w2").internalIp("10.240.0.22")).build());
        assertTrue(only(problems, "workers[2].podCidr").contains("no free /24"), problems.toString());
    }

    @Test
    void podCidr_prefixLengthOption_changesAllocationSize() {
        ResolvedCluster c = ResolvedCluster.resolve(base()
                .network(new NetworkSpec("10.200.0.0/16", "10.32.0.0/24", "10.32.0.10", "cluster.local", 26))
                .kubelet(k -> k.maxPods(61))
                .worker(w -> w.name("w0").internalIp("10.240.0.20"))
                .worker(w -> w.name("w1").internalIp("10.240.0.21")).build());
        assertEquals("10.200.0.64/26", c.workers().get(1).podCidr());
    }

    @Test
    void podCidr_prefixTooLongForMaxPods_saysWhichPrefixFits() {
        // a /26 holds 64 addresses: network, bridge gateway and broadcast leave 61 for pods
        List<Problem> problems = validator.problems(base()
                .network(new NetworkSpec("10.200.0.0/16", "10.32.0.0/24", "10.32.0.10", "cluster.local", 26))
                .kubelet(k -> k.maxPods(62))
                .worker(w -> w.name("w0").internalIp("10.240.0.20")).build());
        assertTrue(only(problems, "network.podCidrPrefixLength").contains("room for 61 pods"), problems.toString());
        assertTrue(only(problems, "network.podCidrPrefixLength").contains("to 25 or lower"), problems.toString());
    }

    @Test
    void podCidr_hostBitsSet_suggestsTheNetwork() {
        List<Problem> problems = validator.problems(base()
                .worker(w -> w.name("w0").internalIp("10.240.0.20").podCidr("10.200.0.5/24")).build());
        assertTrue(only(problems, "workers[0].podCidr").contains("did you mean 10.200.0.0/24?"), problems.toString());
    }

    @Test
    void network_serviceOverlapsCluster_andDnsOutsideServices_bothReported() {
        List<Problem> problems = validator.problems(base()
                .network(n -> n.clusterCidr("10.0.0.0/8").serviceCidr("10.32.0.0/24")
                        .clusterDns("192.168.0.10").clusterDomain("cluster.local"))
                .worker(w -> w.name("w0").internalIp("172.16.0.20")).build());
        assertTrue(only(problems, "network.serviceCidr").contains("overlaps network.clusterCidr"));
        assertTrue(only(problems, "network.clusterDns").contains("not inside network.serviceCidr"));
    }

    @Test
    void network_nodeAddressInsideServiceOrPodRange_isReported() {
        List<Problem> problems = validator.problems(base()
                .worker(w -> w.name("w0").internalIp("10.32.0.20"))
                .worker(w -> w.name("w1").internalIp("10.200.9.9")).build());
        assertTrue(only(problems, "workers[0].internalIp").contains("inside network.serviceCidr"));
        assertTrue(only(problems, "workers[1].internalIp").contains("inside network.clusterCidr"));
    }

    @Test
    void network_clusterDnsIsKubernetesServiceIp_isReported() {
        List<Problem> problems = validator.problems(base()
                .network(n -> n.clusterCidr("10.200.0.0/16").serviceCidr("10.32.0.0/24")
                        .clusterDns("10.32.0.1").clusterDomain("cluster.local"))
                .worker(w -> w.name("w0").internalIp("10.240.0.20")).build());
        assertTrue(only(problems, "network.clusterDns").contains("belongs to the kubernetes service"));
    }

    @Test
    void nodes_duplicateNamesAndAddressesAcrossRoles_areReported() {
        List<Problem> problems = validator.problems(base()
                .worker(w -> w.name("controller-0").internalIp("10.240.0.10")).build());
        assertTrue(only(problems, "workers[0].name").contains("already the name of controllers[0]"));
        assertTrue(only(problems, "workers[0].internalIp").contains("already the address of controllers[0]"));
    }

    @Test
    void controllers_evenCount_isReported() {
        List<Problem> problems = validator.problems(base()
                .controller(c -> c.name("controller-1").internalIp("10.240.0.11"))
                .worker(w -> w.name("w0").internalIp("10.240.0.20")).build());
        assertTrue(only(problems, "controllers").contains("use an odd number"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.31.9", "1.37.0", "2.0.0", "1.32", "latest"})
    void kubernetesVersion_outsideSupportedRangeOrMalformed_isReported(String version) {
        List<Problem> problems = validator.problems(base().kubernetesVersion(version)
                .worker(w -> w.name("w0").internalIp("10.240.0.20"))
                .build());
        only(problems, "kubernetesVersion");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.32.0", "1.33.1", "1.34.2", "1.35.0", "1.36.0", "v1.32.3"})
    void kubernetesVersion_supportedMinors_resolve(String version) {
        ResolvedCluster.resolve(base().kubernetesVersion(version)
                .worker(w -> w.name("w0").internalIp("10.240.0.20")).build());
    }

    @Test
    void containerd_1_7_withKubernetes_1_36_isRejected_butAcceptedWith_1_35() {
        List<Problem> problems = validator.problems(base().kubernetesVersion("1.36.0").containerdVersion("1.7.24")
                .worker(w -> w.name("w0").internalIp("10.240.0.20")).build());
        assertTrue(only(problems, "containerd.version").contains("not supported with Kubernetes 1.36"));
        ResolvedCluster c = ResolvedCluster.resolve(base().kubernetesVersion("1.35.0")
                .containerdVersion("1.7.24").worker(w -> w.name("w0").internalIp("10.240.0.20")).build());
        assertTrue(!c.containerdUsesConfigV3());
    }

    @Test
    void endpoint_mustBeHttpsWithHost() {
        List<Problem> problems = validator.problems(base().apiServer(a -> a.endpoint("http://10.240.0.10:6443"))
                .worker(w -> w.name("w0").internalIp("10.240.0.20")).build());
        assertTrue(only(problems, "apiServer.endpoint").contains("is not an https URL"), problems.toString());
    }

    @Test
    void extraSans_badEntry_namesItsIndex() {
        List<Problem> problems = validator.problems(base()
                .apiServer(a -> a.endpoint("https://server.kubernetes.local:6443").extraSans("ok.example.com", "not a name"))
                .worker(w -> w.name("w0").internalIp("10.240.0.20")).build());
        only(problems, "apiServer.extraSans[1]");
    }

    @Test
    void pki_renewWindowNotShorterThanValidity_isReported() {
        List<Problem> problems = validator.problems(base().pki(new PkiSpec("ECDSA", null, 30, 30))
                .worker(w -> w.name("w0").internalIp("10.240.0.20")).build());
        assertTrue(only(problems, "pki.renewBeforeDays").contains("not shorter than"));
    }

    @Test
    void pki_unknownAlgorithm_isReported_ecdsaAccepted_spelledAsDocumented() {
        only(validator.problems(base().pki(new PkiSpec("DSA", null, null, null))
                .worker(w -> w.name("w0").internalIp("10.240.0.20"))
                .build()), "pki.keyAlgorithm");
        assertEquals(KeyAlgorithm.ECDSA_P256, ResolvedCluster.resolve(base()
                .pki(p -> p.keyAlgorithm("ECDSA"))
                .worker(w -> w.name("w0").internalIp("10.240.0.20")).build()).keyAlgorithm());
        // the schema lists RSA and ECDSA; accepting "ecdsa" here would make the two disagree
        only(validator.problems(base().pki(p -> p.keyAlgorithm("ecdsa"))
                .worker(w -> w.name("w0").internalIp("10.240.0.20")).build()), "pki.keyAlgorithm");
    }

    @Test
    void ipv6SingleStack_resolvesWithSlash64PodSubnets() {
        ResolvedCluster c = ResolvedCluster.resolve(ClusterSpec.builder().name("v6").kubernetesVersion("1.34.1")
                .apiServer(a -> a.endpoint("https://[fd00::10]:6443"))
                .network(n -> n.clusterCidr("fd00:10:244::/56").serviceCidr("fd00:10:96::/112")
                        .clusterDns("fd00:10:96::a").clusterDomain("cluster.local"))
                .controller(k -> k.name("controller-0").internalIp("fd00::10"))
                .worker(w -> w.name("w0").internalIp("fd00::20"))
                .worker(w -> w.name("w1").internalIp("fd00::21")).build());
        assertEquals("fd00::10", c.apiEndpointHost());
        assertEquals("fd00:10:244:1::/64", c.workers().get(1).podCidr());
        assertEquals("fd00:10:96::1", c.kubernetesServiceIp());
    }
}
