package dev.hardway.state;

import dev.hardway.api.GenerationRequest;
import dev.hardway.api.Golden;
import dev.hardway.api.GenerationResult;
import dev.hardway.api.Hardway;
import dev.hardway.api.RenderedCluster;
import dev.hardway.api.UpgradePlan;
import dev.hardway.model.InvalidSpecException;
import dev.hardway.model.KubernetesRelease;
import dev.hardway.pki.PkiDirectory;
import dev.hardway.state.ClusterSpecs.W;
import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kubernetesVersion changes against the release the cluster state records. */
class UpgradeTest {
    private static final List<W> WORKERS = List.of(W.auto(0), W.auto(1));

    @TempDir
    Path tmp;

    private Path spec(String version) {
        return ClusterSpecs.write(tmp.resolve("cluster.yaml"), version, WORKERS);
    }

    private GenerationResult generate(String version) {
        return Hardway.generate(TestClusters.request(spec(version), tmp.resolve("pki"))
                .outputDirectory(tmp.resolve("out")).random(TestClusters.repeatableRandom("upgrade")).build());
    }

    private RenderedCluster render(String version) {
        return Hardway.render(TestClusters.request(spec(version), tmp.resolve("pki")).build());
    }

    private Path stateFile() {
        return tmp.resolve("pki").resolve(PkiDirectory.CLUSTER_STATE);
    }

    @Test
    void skippedMinor_isAnErrorNamingFieldLineRecordedVersionAndNextStep_andNothingIsWritten() throws IOException {
        generate("1.32.3");
        byte[] before = Files.readAllBytes(stateFile());

        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> generate("1.34.1"));

        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("cluster.yaml:2:1: kubernetesVersion: 1.34.1 skips Kubernetes 1.33: this "
                + "cluster was last generated for 1.32.3 (recorded in " + stateFile() + "), and Kubernetes upgrades "
                + "one minor release at a time; set 1.33.x, install it on every node, then go on to 1.34"),
                e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(stateFile()));
    }

    @Test
    void downgradedMinor_isAnError_aPatchDowngradeIsNot() {
        generate("1.33.2");

        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> generate("1.32.3"));
        assertTrue(e.getMessage().contains("kubernetesVersion: 1.32.3 is older than 1.33.2, the release this cluster "
                + "was last generated for (recorded in " + stateFile() + "); Kubernetes does not downgrade a minor "
                + "release: keep 1.33.x or upgrade to 1.34.x"), e.getMessage());

        assertEquals("1.33.1", generate("1.33.1").rendered().cluster().kubernetesVersion().toString());
    }

    /** The newest minor hardway generates for, e.g. 36; the tests below follow it when a minor is added. */
    private static int newestMinor() {
        KubernetesRelease[] all = KubernetesRelease.values();
        return all[all.length - 1].minor();
    }

    @Test
    void downgradeFromTheNewestSupportedMinor_suggestsNoMinorHardwayRefuses() {
        int newest = newestMinor();
        generate("1." + newest + ".0");

        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> generate("1." + (newest - 2) + ".1"));

        assertTrue(e.getMessage().contains("Kubernetes does not downgrade a minor release: keep 1." + newest
                + ".x. Restoring"), e.getMessage());
        assertFalse(e.getMessage().contains("1." + (newest + 1)), e.getMessage());
    }

    @Test
    void downgradeFromAMinorThisHardwayDoesNotSupport_saysWhichReleaseToKeepItWith() throws IOException {
        int newest = newestMinor();
        generate("1." + newest + ".0");
        Files.writeString(stateFile(), Files.readString(stateFile()).replace("kubernetesVersion 1." + newest + ".0",
                "kubernetesVersion 1." + (newest + 1) + ".2"));

        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> generate("1." + newest + ".0"));

        assertTrue(e.getMessage().contains("keep 1." + (newest + 1) + ".x with the hardway release that generated "
                + "it (this one generates for Kubernetes " + KubernetesRelease.supportedRange() + "). Restoring"),
                e.getMessage());
        assertFalse(e.getMessage().contains("1." + (newest + 2)), e.getMessage());
    }

    @Test
    void stateFileEditedForDisasterRecovery_allowsTheRestoredRelease() throws IOException {
        generate("1.33.2");
        Files.writeString(stateFile(), Files.readString(stateFile()).replace("kubernetesVersion 1.33.2",
                "kubernetesVersion 1.32.3"));

        assertEquals("1.32.3", generate("1.32.3").rendered().cluster().kubernetesVersion().toString());
    }

    @Test
    void nextMinor_givesThePlanInSkewPolicyOrder_andRecordsTheNewRelease() throws IOException {
        assertTrue(generate("1.33.2").upgrade().isEmpty(), "a first generation is no upgrade");

        GenerationResult upgraded = generate("1.34.1");

        UpgradePlan plan = upgraded.upgrade().orElseThrow();
        assertEquals("1.33.2", plan.from().toString());
        assertEquals("1.34.1", plan.to().toString());
        List<UpgradePlan.Step> steps = plan.steps();
        assertEquals(List.of("etcd 3.5.21 -> 3.6.4", "controllers, one at a time",
                "workers, once every controller runs 1.34"), steps.stream().map(UpgradePlan.Step::title).toList());
        assertEquals(List.of("controller-0"), steps.get(1).nodes());
        assertEquals(List.of("worker-0", "worker-1"), steps.get(2).nodes());
        // 1.33 pairs etcd 3.5.21, older than the 3.5.26 etcd requires of every member before 3.6
        assertTrue(steps.get(0).actions().stream().anyMatch(a -> a.contains("every member must run 3.5.26 or later")
                && a.contains("replace the etcd executable with 3.5.26")), steps.get(0).actions().toString());
        String text = String.join("\n", plan.lines());
        assertTrue(text.startsWith("Upgrade 1.33.2 -> 1.34.1: install the bundles in this order"), text);
        assertTrue(text.indexOf("1. etcd") < text.indexOf("2. controllers") && text.indexOf("2. controllers")
                < text.indexOf("3. workers"), text);
        assertTrue(Files.readString(stateFile()).contains("\nkubernetesVersion 1.34.1\n"));

        assertTrue(generate("1.34.1").upgrade().isEmpty(), "the rerun is no upgrade");
        assertTrue(Hardway.upgradePlan(TestClusters.request(spec("1.35.0"), tmp.resolve("pki")).build())
                .orElseThrow().steps().get(0).title().equals("etcd 3.6.4 -> 3.6.6"));
    }

    @Test
    void nextMinor_planSaysTheApiServersDifferByOneMinor_andWhatInstallShRestarts() {
        generate("1.33.2");

        String text = String.join("\n", generate("1.34.1").upgrade().orElseThrow().lines());

        assertTrue(text.contains("the API servers differ by one minor (1.33 and 1.34)"), text);
        assertTrue(text.contains("install.sh restarts every service there whose executable changed since it last "
                + "ran (kube-apiserver, kube-controller-manager and kube-scheduler) or whose files changed"), text);
        assertFalse(text.contains("restarts etcd, kube-apiserver"), text);
    }

    @Test
    void patchDowngrade_isCalledADowngrade_andThePlanSaysOnlyThePatchReleaseDiffers() {
        generate("1.33.2");

        String up = String.join("\n", generate("1.33.3").upgrade().orElseThrow().lines());
        String down = String.join("\n", generate("1.33.2").upgrade().orElseThrow().lines());

        assertTrue(up.startsWith("Upgrade 1.33.2 -> 1.33.3 (a patch release): install the bundles"), up);
        assertTrue(down.startsWith("Downgrade 1.33.3 -> 1.33.2 (a patch release): install the bundles"), down);
        for (String text : List.of(up, down)) {
            assertFalse(text.contains("differ by one minor"), text);
            assertTrue(text.contains("the API servers differ only in the patch release"), text);
            assertTrue(text.contains("etcd stays 3.5.21: keep its executable; install.sh restarts a member only "
                    + "where its controller's bundle changes etcd's files"), text);
        }
    }

    @Test
    void upgrade133to134_changesOnlyTheFilesThatMust() {
        generate("1.33.2");
        SortedMap<String, String> before = Golden.snapshot(render("1.33.2"));

        SortedMap<String, String> after = Golden.snapshot(render("1.34.1"));

        assertEquals(before.keySet(), after.keySet(), "no file appears or goes");
        SortedSet<String> changed = new TreeSet<>();
        before.forEach((path, text) -> {
            if (!text.equals(after.get(path))) {
                changed.add(path);
            }
        });
        // what 1.34 pins differently: the pause image, CoreDNS, etcd 3.6 (whose flags lost "experimental-"),
        // and each node's executables (the binary list and version checks of its install.manifest)
        Map<String, String> semantic = Map.of(
                "_every-worker/etc/containerd/config.toml", "sandbox = 'registry.k8s.io/pause:3.10.1'",
                "controller-0/etc/kubernetes/addons/coredns.yaml", "registry.k8s.io/coredns/coredns:v1.12.1",
                "controller-0/etc/systemd/system/etcd.service", "--watch-progress-notify-interval=5s",
                "controller-0/install.manifest", "check_version /usr/local/bin/kube-apiserver 1.34.1",
                // one text for both workers, kept once
                "_every-worker/install.manifest", "check_version /usr/local/bin/kubelet 1.34.1");
        // configuration files whose header names the release they are written for, and nothing else changes
        List<String> headerOnly = List.of("_every-worker/var/lib/kubelet/kubelet-config.yaml",
                "controller-0/etc/kubernetes/kube-scheduler.yaml", "worker-0/var/lib/kube-proxy/kube-proxy-config.yaml",
                "worker-1/var/lib/kube-proxy/kube-proxy-config.yaml");
        SortedSet<String> expected = new TreeSet<>(semantic.keySet());
        expected.addAll(headerOnly);
        assertEquals(expected, changed, "certificates, kubeconfigs, the other units and the pod network stay");
        semantic.forEach((path, line) -> assertTrue(after.get(path).contains(line) && !before.get(path).contains(line),
                path + " gets " + line));
        for (String path : headerOnly) {
            List<String> a = before.get(path).lines().toList();
            List<String> b = after.get(path).lines().toList();
            assertEquals(a.size(), b.size(), path);
            for (int i = 0; i < a.size(); i++) {
                assertTrue(a.get(i).equals(b.get(i)) || (a.get(i).startsWith("#") && b.get(i).startsWith("#")),
                        path + ":" + (i + 1) + " changes beyond its comment: " + b.get(i));
            }
        }
    }

    @Test
    void addressPlanChanged_isWarnedOfOnce_sayingWhatItMeansOnARunningCluster() throws IOException {
        generate("1.32.3");
        assertTrue(Files.readString(stateFile()).contains("serviceCidr 10.32.0.0/24\nclusterDns 10.32.0.10\n"),
                Files.readString(stateFile()));
        Path spec = spec("1.32.3");
        Files.writeString(spec, Files.readString(spec).replace("serviceCidr: 10.32.0.0/24", "serviceCidr: 10.96.0.0/24")
                .replace("clusterDns: 10.32.0.10", "clusterDns: 10.96.0.10"));
        GenerationRequest moved = TestClusters.request(spec, tmp.resolve("pki")).outputDirectory(tmp.resolve("out"))
                .build();

        List<String> warned = Hardway.generate(moved).warnings();

        String source = stateFile().toString();
        assertTrue(warned.stream().anyMatch(w -> w.startsWith("network.serviceCidr: 10.96.0.0/24, was 10.32.0.0/24 "
                + "(recorded in " + source + "): on a running cluster every Service keeps its address in the old "
                + "range")), warned.toString());
        assertTrue(warned.stream().anyMatch(w -> w.startsWith("network.clusterDns: 10.96.0.10, was 10.32.0.10")
                && w.contains("kubectl -n kube-system delete service kube-dns")), warned.toString());
        assertFalse(warned.stream().anyMatch(w -> w.startsWith("network.clusterCidr")), warned.toString());
        // recorded with the PKI: the next run has nothing to warn of
        assertTrue(Files.readString(stateFile()).contains("serviceCidr 10.96.0.0/24\n"));
        assertFalse(Hardway.generate(moved).warnings().stream().anyMatch(w -> w.startsWith("network.")));
    }

    @Test
    void serviceRangeWidened_isWarnedOfAsAWidening_theKubernetesServiceAddressKept() throws IOException {
        generate("1.33.2");
        Path spec = spec("1.33.2");
        Files.writeString(spec, Files.readString(spec).replace("serviceCidr: 10.32.0.0/24", "serviceCidr: 10.32.0.0/20"));

        List<String> warned = Hardway.generate(TestClusters.request(spec, tmp.resolve("pki"))
                .outputDirectory(tmp.resolve("out")).build()).warnings();

        String serviceCidr = warned.stream().filter(w -> w.startsWith("network.serviceCidr: 10.32.0.0/20, was "
                + "10.32.0.0/24")).findFirst().orElseThrow(() -> new AssertionError(warned.toString()));
        assertTrue(serviceCidr.contains("the new range holds the old one and starts where it did, so every Service "
                + "keeps a valid address and the kubernetes Service keeps 10.32.0.1"), serviceCidr);
        assertFalse(serviceCidr.contains("no longer names"), serviceCidr);
    }

    @Test
    void stateWithoutAnAddressPlan_asAnEarlierHardwayWroteIt_warnsOfNothing_andRecordsThePlan() throws IOException {
        generate("1.32.3");
        Files.writeString(stateFile(), Files.readString(stateFile()).replaceAll("(?m)^(clusterCidr|serviceCidr|"
                + "clusterDns) .*\n", ""));
        Path spec = spec("1.32.3");
        Files.writeString(spec, Files.readString(spec).replace("clusterDns: 10.32.0.10", "clusterDns: 10.32.0.53"));

        List<String> warned = Hardway.generate(TestClusters.request(spec, tmp.resolve("pki"))
                .outputDirectory(tmp.resolve("out")).build()).warnings();

        assertFalse(warned.stream().anyMatch(w -> w.startsWith("network.")), warned.toString());
        assertTrue(Files.readString(stateFile()).contains("clusterDns 10.32.0.53\n"), Files.readString(stateFile()));
    }
}
