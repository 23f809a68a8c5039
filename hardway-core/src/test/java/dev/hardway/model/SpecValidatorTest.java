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

    // --- topologies: controllers that are Nodes, controller counts ---

    private static ClusterSpec.Builder controllers(int n) {
        ClusterSpec.Builder b = ClusterSpec.builder().name("demo").kubernetesVersion("1.34.0")
                .apiServer(a -> a.endpoint("https://server.kubernetes.local:6443"))
                .network(x -> x.clusterCidr("10.200.0.0/16").serviceCidr("10.32.0.0/24")
                        .clusterDns("10.32.0.10").clusterDomain("cluster.local"));
        for (int i = 0; i < n; i++) {
            int k = i;
            b.controller(c -> c.name("controller-" + k).internalIp("10.240.0." + (10 + k)));
        }
        return b.worker(w -> w.name("worker-0").internalIp("10.240.0.20"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 5, 7})
    void controllers_oddCountUpToSeven_isValid(int n) {
        assertEquals(List.of(), validator.problems(controllers(n).build()));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 6})
    void controllers_evenCount_isRefusedNamingTheField(int n) {
        String m = only(validator.problems(controllers(n).build()), "controllers");
        assertTrue(m.contains(n + " controllers") && m.contains("use an odd number (1, 3, 5 or 7)"), m);
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 9})
    void controllers_moreThanSeven_isRefusedOnceNamingTheLimit(int n) {
        String m = only(validator.problems(controllers(n).build()), "controllers");
        assertTrue(m.contains(n + " entries are more than hardway supports (between 1 and 7)"), m);
    }

    @Test
    void singleNode_oneControllerThatIsANodeAndNoWorkers_resolvesSchedulableWithAPodCidr() {
        ResolvedCluster c = ResolvedCluster.resolve(base().controlPlane(new ControlPlaneSpec(true, null)).build());
        ResolvedCluster.Node node = c.controllers().get(0);
        assertTrue(node.isKubeletNode());
        assertEquals("10.200.0.0/24", node.kubelet().podCidr());
        assertEquals(List.of(), node.kubelet().taints(), "without workers the controller takes ordinary pods");
        assertTrue(node.kubelet().controlPlane());
        assertEquals(List.of(node.kubelet()), c.kubeletNodes());
    }

    @Test
    void noWorkers_andNoControllerThatIsANode_isRefusedWithTheWayOut() {
        String m = only(validator.problems(base().build()), "workers");
        assertTrue(m.contains("controlPlane.enableWorker: true"), m);
    }

    @Test
    void stackedControllers_withWorkers_registerWithKubeadmsTaint_andTakeSubnetsBeforeWorkers() {
        ResolvedCluster c = ResolvedCluster.resolve(controllers(3).controlPlane(new ControlPlaneSpec(true, null))
                .build());
        for (ResolvedCluster.Node n : c.controllers()) {
            assertEquals(List.of(TaintSpec.CONTROL_PLANE), n.kubelet().taints(), n.name());
        }
        assertEquals(List.of("10.200.0.0/24", "10.200.1.0/24", "10.200.2.0/24", "10.200.3.0/24"),
                c.kubeletNodes().stream().map(ResolvedCluster.Worker::podCidr).toList());
        assertEquals("worker-0", c.kubeletNodes().get(3).name());
    }

    @Test
    void stackedControllers_appendingAWorker_movesNoControllersSubnet() {
        ControlPlaneSpec stacked = new ControlPlaneSpec(true, null);
        ResolvedCluster before = ResolvedCluster.resolve(controllers(3).controlPlane(stacked).build());
        ResolvedCluster after = ResolvedCluster.resolve(controllers(3).controlPlane(stacked)
                .worker(w -> w.name("worker-1").internalIp("10.240.0.21")).build());
        assertEquals(before.kubeletNodes(), after.kubeletNodes().subList(0, 4));
    }

    @Test
    void perControllerOverride_makesOneControllerANode_andTaintsReplaceTheDefault() {
        ResolvedCluster c = ResolvedCluster.resolve(base()
                .controller(k -> k.name("controller-1").internalIp("10.240.0.11").enableWorker(true)
                        .taints(new TaintSpec("dedicated", "etcd", "NoExecute")).label("example.com/rack", "r1"))
                .controller(k -> k.name("controller-2").internalIp("10.240.0.12").enableWorker(true).taints())
                .worker(w -> w.name("worker-0").internalIp("10.240.0.20")).build());
        assertTrue(!c.controllers().get(0).isKubeletNode());
        assertEquals(List.of(new TaintSpec("dedicated", "etcd", "NoExecute")), c.controllers().get(1).kubelet()
                .taints());
        assertEquals(java.util.Map.of("example.com/rack", "r1"), c.controllers().get(1).kubelet().labels());
        assertEquals(List.of(), c.controllers().get(2).kubelet().taints(), "taints: [] registers none, as kubeadm");
    }

    @Test
    void nodeFields_onAControllerThatIsNoNode_areRefused() {
        List<Problem> p = validator.problems(base().controller(k -> k.name("controller-1").internalIp("10.240.0.11")
                        .podCidr("10.200.9.0/24").label("a", "b"))
                .controller(k -> k.name("controller-2").internalIp("10.240.0.12"))
                .worker(w -> w.name("worker-0").internalIp("10.240.0.20")).build());
        assertTrue(only(p, "controllers[1].podCidr").contains("set controllers[1].enableWorker: true"), p.toString());
        only(p, "controllers[1].labels");
    }

    @Test
    void allowSchedulingOnControlPlanes_withoutAnyControllerNode_isRefused() {
        String m = only(validator.problems(base().controlPlane(new ControlPlaneSpec(null, true))
                .worker(w -> w.name("worker-0").internalIp("10.240.0.20")).build()),
                "controlPlane.allowSchedulingOnControlPlanes");
        assertTrue(m.contains("no controller is a Node"), m);
    }

    @Test
    void everyNodeTainted_isRefused_becauseCoreDnsCouldNotRun() {
        String m = only(validator.problems(base().controlPlane(new ControlPlaneSpec(true, false)).build()),
                "controlPlane.allowSchedulingOnControlPlanes");
        assertTrue(m.contains("CoreDNS and every other pod would stay Pending"), m);
    }

    @Test
    void labels_thatTheKubeletMayNotSet_areRefusedNamingTheRule() {
        List<Problem> p = validator.problems(base().worker(w -> w.name("worker-0").internalIp("10.240.0.20")
                .label("node-role.kubernetes.io/worker", "").label("topology.kubernetes.io/zone", "a")
                .label("node.kubernetes.io/pool", "b").label("example.com/ok", "yes").label("bad key", "x")
                .label("example.com/v", "-bad")).build());
        String role = only(p, "workers[0].labels.node-role.kubernetes.io/worker");
        assertTrue(role.contains("NodeRestriction") && role.contains("kubelet.kubernetes.io, node.kubernetes.io"), role);
        only(p, "workers[0].labels.bad key");
        only(p, "workers[0].labels.example.com/v");
        assertEquals(3, p.size(), p.toString());
    }

    @Test
    void controlPlaneLabel_isHardwaysToSet() {
        String m = only(validator.problems(base().controlPlane(new ControlPlaneSpec(true, null))
                .controller(k -> k.name("controller-1").internalIp("10.240.0.11")
                        .label(NodeRoles.CONTROL_PLANE_LABEL, ""))
                .controller(k -> k.name("controller-2").internalIp("10.240.0.12")).build()),
                "controllers[1].labels." + NodeRoles.CONTROL_PLANE_LABEL);
        assertTrue(m.contains("after registration"), m);
    }

    @Test
    void taints_badEffectAndRepeats_areRefused() {
        List<Problem> p = validator.problems(base().worker(w -> w.name("worker-0").internalIp("10.240.0.20")
                .taints(new TaintSpec("a", null, "NoSchedule"), new TaintSpec("a", "x", "NoSchedule"),
                        new TaintSpec("b", null, "Never"))).build());
        assertTrue(only(p, "workers[0].taints[1]").contains("repeats the taint a:NoSchedule"), p.toString());
        assertTrue(only(p, "workers[0].taints[2].effect").contains("'Never' is not one of"), p.toString());
    }

    // --- kube-proxy modes ---

    private static ClusterSpec proxy(String version, String mode) {
        return base().kubernetesVersion(version).kubeProxy(new KubeProxySpec(mode, null))
                .worker(w -> w.name("worker-0").internalIp("10.240.0.20")).build();
    }

    @Test
    void kubeProxyMode_defaultsToIptables() {
        assertEquals("iptables", ResolvedCluster.resolve(base().worker(w -> w.name("worker-0")
                .internalIp("10.240.0.20")).build()).kubeProxyMode());
    }

    @Test
    void kubeProxyMode_nftablesBefore133_isRefusedNamingTheRelease() {
        String m = only(validator.problems(proxy("1.32.3", "nftables")), "kubeProxy.mode");
        assertTrue(m.contains("from Kubernetes 1.33 on") && m.contains("1.32"), m);
        assertEquals("nftables", ResolvedCluster.resolve(proxy("1.33.0", "nftables")).kubeProxyMode());
    }

    @Test
    void kubeProxyMode_ipvs_isAllowedWithTheDeprecationWarning() {
        ResolvedCluster c = ResolvedCluster.resolve(proxy("1.35.0", "ipvs"));
        assertEquals("ipvs", c.kubeProxyMode());
        assertEquals(1, c.warnings().size(), c.warnings().toString());
        assertTrue(c.warnings().get(0).contains("deprecated since Kubernetes 1.35"), c.warnings().toString());
        assertTrue(c.warnings().get(0).contains("logs a warning"), c.warnings().toString());
        assertEquals(List.of(), ResolvedCluster.resolve(proxy("1.32.3", "iptables")).warnings());
    }

    @Test
    void kubeProxyMode_unknown_isRefused() {
        assertTrue(only(validator.problems(proxy("1.34.0", "userspace")), "kubeProxy.mode")
                .contains("not one of iptables, nftables, ipvs"));
    }

    // --- extraArgs ---

    private static ClusterSpec kubeletArgs(String version, String name, String value) {
        return base().kubernetesVersion(version).kubelet(k -> k.extraArg(name, value))
                .worker(w -> w.name("worker-0").internalIp("10.240.0.20")).build();
    }

    @Test
    void kubeletExtraArg_removedFlag_namesFlagComponentAndRelease() {
        String m = only(validator.problems(kubeletArgs("1.34.0", "container-runtime", "remote")),
                "kubelet.extraArgs[0].name");
        assertTrue(m.contains("kubelet 1.34 has no flag --container-runtime (removed in Kubernetes 1.27"), m);
    }

    @Test
    void kubeletExtraArg_removedIn135_isValidIn134AndRefusedIn135() {
        assertEquals(List.of(), validator.problems(kubeletArgs("1.34.0", "pod-infra-container-image",
                "registry.k8s.io/pause:3.10")));
        String m = only(validator.problems(kubeletArgs("1.35.0", "pod-infra-container-image",
                "registry.k8s.io/pause:3.10")), "kubelet.extraArgs[0].name");
        assertTrue(m.contains("kubelet 1.35 has no flag --pod-infra-container-image (removed in Kubernetes 1.35"), m);
    }

    @Test
    void kubeletExtraArg_typo_suggestsTheFlag() {
        String m = only(validator.problems(kubeletArgs("1.36.0", "node-status-max-image", "5")),
                "kubelet.extraArgs[0].name");
        assertTrue(m.contains("did you mean --node-status-max-images?"), m);
    }

    @Test
    void kubeletExtraArg_configFileFlag_isKeptWithAWarning() {
        ResolvedCluster c = ResolvedCluster.resolve(kubeletArgs("1.34.0", "node-status-max-images", "25"));
        assertEquals(List.of(new ExtraArg("node-status-max-images", "25")), c.extraArgs(ComponentFlags.KUBELET));
        assertTrue(c.warnings().get(0).contains("deprecated in favour of its configuration file"), c.warnings()
                .toString());
    }

    @Test
    void extraArg_thatHardwaySets_isRefusedWithWhereToChangeIt() {
        String m = only(validator.problems(kubeletArgs("1.34.0", "max-pods", "200")), "kubelet.extraArgs[0].name");
        assertTrue(m.contains("hardway sets kubelet --max-pods itself") && m.contains("kubelet.maxPods"), m);
        String api = only(validator.problems(base().apiServer(a -> a.endpoint("https://server.kubernetes.local:6443")
                        .extraArg("authorization-mode", "AlwaysAllow"))
                .worker(w -> w.name("worker-0").internalIp("10.240.0.20")).build()), "apiServer.extraArgs[0].name");
        assertTrue(api.contains("hardway sets kube-apiserver --authorization-mode itself"), api);
    }

    @Test
    void extraArg_verbosity_replacesHardwaysOwn() {
        ResolvedCluster c = ResolvedCluster.resolve(kubeletArgs("1.34.0", "v", "4"));
        assertEquals(List.of(new ExtraArg("v", "4")), c.extraArgs(ComponentFlags.KUBELET));
    }

    @Test
    void extraArg_dashesValueAndRepeats_areRefused() {
        List<Problem> p = validator.problems(base().kubelet(k -> k.extraArg("--v", "4").extraArg("v", "a b")
                        .extraArg("node-status-max-images", "1").extraArg("node-status-max-images", "2"))
                .worker(w -> w.name("worker-0").internalIp("10.240.0.20")).build());
        assertTrue(only(p, "kubelet.extraArgs[0].name").contains("without dashes ('v')"), p.toString());
        assertTrue(only(p, "kubelet.extraArgs[1].value").contains("one word"), p.toString());
        assertTrue(only(p, "kubelet.extraArgs[3].name").contains("already given at kubelet.extraArgs[2]"),
                p.toString());
    }

    @Test
    void kubeProxyExtraArgs_flagsIgnoredWithTheConfigFile_unknownAndOwned_areRefused() {
        List<Problem> p = validator.problems(base().kubernetesVersion("1.34.0")
                .kubeProxy(new KubeProxySpec(null, List.of(new ExtraArg("conntrack-max-per-core", "0"),
                        new ExtraArg("proxy-mode", "ipvs"), new ExtraArg("no-such-flag", "1"),
                        new ExtraArg("v", "4"))))
                .worker(w -> w.name("worker-0").internalIp("10.240.0.20")).build());
        assertTrue(only(p, "kubeProxy.extraArgs[0].name").contains("kube-proxy 1.34 ignores --conntrack-max-per-core "
                + "when it reads a configuration file"), p.toString());
        assertTrue(only(p, "kubeProxy.extraArgs[1].name").contains("set kubeProxy.mode"), p.toString());
        assertTrue(only(p, "kubeProxy.extraArgs[2].name").contains("kube-proxy 1.34 has no flag --no-such-flag"),
                p.toString());
        assertEquals(3, p.size(), p.toString());
    }
}
