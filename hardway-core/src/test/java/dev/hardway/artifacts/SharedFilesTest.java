package dev.hardway.artifacts;

import dev.hardway.api.GenerationRequest;
import dev.hardway.api.Hardway;
import dev.hardway.bundle.HostFile;
import dev.hardway.bundle.NodeBundle;
import dev.hardway.model.ClusterSpec;
import dev.hardway.model.KeyAlgorithm;
import dev.hardway.model.ResolvedCluster;
import dev.hardway.model.TaintSpec;
import dev.hardway.model.TemplateException;
import dev.hardway.pki.IssuedPki;
import dev.hardway.pki.PkiIssuer;
import dev.hardway.pki.PkiPolicy;
import dev.hardway.pki.PkiState;
import dev.hardway.render.TemplateEngine;
import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files that do not depend on the node are rendered once per run and shared by every bundle; what does depend on
 * it (the node's name, its taints) still differs, and a shared template cannot silently see a node's name.
 */
class SharedFilesTest {
    @TempDir
    Path work;

    private static ClusterSpec.Builder cluster() {
        return ClusterSpec.builder().name("shared").kubernetesVersion("1.32.3")
                .apiServer(a -> a.endpoint("https://server.kubernetes.local:6443"))
                .network(n -> n.clusterCidr("10.200.0.0/16").serviceCidr("10.32.0.0/24")
                        .clusterDns("10.32.0.10").clusterDomain("cluster.local"))
                .controller(c -> c.name("controller-0").internalIp("10.240.0.10"))
                .worker(w -> w.name("worker-0").internalIp("10.240.0.20"))
                .worker(w -> w.name("worker-1").internalIp("10.240.0.21"))
                .worker(w -> w.name("worker-2").internalIp("10.240.0.22")
                        .taints(new TaintSpec("dedicated", "gpu", "NoSchedule")))
                .pki(p -> p.keyAlgorithm(KeyAlgorithm.ECDSA_P256));
    }

    private static Map<String, HostFile> files(List<NodeBundle> bundles, String node) {
        NodeBundle bundle = bundles.stream().filter(b -> b.node().equals(node)).findFirst().orElseThrow();
        Map<String, HostFile> out = new java.util.TreeMap<>();
        bundle.files().forEach(f -> out.put(f.path(), f));
        return out;
    }

    @Test
    void aFileTheSameOnEveryWorker_isOneObjectInEveryBundle_whatNamesTheNodeIsNot() {
        ResolvedCluster cluster = ResolvedCluster.resolve(cluster().build());
        IssuedPki pki = PkiIssuer.issue(ClusterCertificates.plan(cluster), PkiState.empty(work),
                new PkiPolicy(cluster.keyAlgorithm(), Duration.ofDays(3650), Duration.ofDays(365),
                        Duration.ofDays(30), TestClusters.fixedClock(), null, PkiPolicy.KeyAccess.FULL));
        List<NodeBundle> bundles = ClusterPlanner.plan(new GenerationContext(cluster, pki, new TemplateEngine()));
        Map<String, HostFile> w0 = files(bundles, "worker-0");
        Map<String, HostFile> w1 = files(bundles, "worker-1");
        Map<String, HostFile> w2 = files(bundles, "worker-2");
        for (String shared : List.of(HostPaths.CONTAINERD_CONFIG, HostPaths.unit("containerd"),
                HostPaths.unit("kube-proxy"), HostPaths.KUBE_PROXY_DIR + "/kubeconfig", HostPaths.MODULES_FILE,
                HostPaths.SYSCTL_FILE, KubeletVersionCheck.PATH, HostPaths.KUBELET_DIR + "/ca.crt")) {
            assertSame(w0.get(shared), w1.get(shared), shared);
            assertSame(w0.get(shared), w2.get(shared), shared);
        }
        assertSame(w0.get(HostPaths.MODULES_FILE), files(bundles, "controller-0").get(HostPaths.MODULES_FILE));
        String config = HostPaths.KUBELET_DIR + "/kubelet-config.yaml";
        assertSame(w0.get(config), w1.get(config), "untainted workers share the kubelet's configuration");
        assertNotEquals(w0.get(config), w2.get(config));
        assertTrue(w2.get(config).text().contains("registerWithTaints"), w2.get(config).text());
        for (String own : List.of(HostPaths.unit("kubelet"), HostPaths.KUBE_PROXY_DIR + "/kube-proxy-config.yaml",
                HostPaths.KUBELET_DIR + "/kubeconfig", WorkerPlanner.CNI_CONFLIST)) {
            assertNotEquals(w0.get(own), w1.get(own), own);
        }
        assertTrue(w1.get(HostPaths.unit("kubelet")).text().contains("--hostname-override=worker-1"));
    }

    @Test
    void aSharedFileIsRenderedWithoutTheNodesName() {
        ResolvedCluster cluster = ResolvedCluster.resolve(cluster().build());
        GenerationContext ctx = new GenerationContext(cluster, null, new TemplateEngine());
        Map<String, Object> model = ctx.model("worker-0");
        assertThrows(IllegalArgumentException.class,
                () -> ctx.renderShared("host/sysctl.d/99-kubernetes.conf.ftl", model, HostPaths.SYSCTL_FILE, 0644));
    }

    @Test
    void aSharedTemplateOverriddenToNameTheNode_failsToRender_ratherThanGivingEveryNodeTheFirstName()
            throws Exception {
        Path templates = work.resolve("templates");
        Files.createDirectories(templates.resolve("containerd"));
        Files.writeString(templates.resolve("containerd/containerd.service.ftl"),
                "[Unit]\nDescription=containerd on ${node}\n\n[Service]\nExecStart=${binary}\n",
                StandardCharsets.UTF_8);
        GenerationRequest request = GenerationRequest.builder().spec(cluster().build())
                .pkiDirectory(work.resolve("pki")).outputDirectory(work.resolve("out")).templateDirectory(templates)
                .clock(TestClusters.fixedClock()).build();
        TemplateException e = assertThrows(TemplateException.class, () -> Hardway.render(request));
        assertEquals("containerd/containerd.service.ftl", e.template(), e.getMessage());
        assertTrue(e.getMessage().contains("node"), e.getMessage());
    }
}
