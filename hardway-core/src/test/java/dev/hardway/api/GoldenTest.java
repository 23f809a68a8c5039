package dev.hardway.api;

import dev.hardway.golden.GoldenDirectory;
import dev.hardway.golden.GoldenSnapshot;
import dev.hardway.model.GoldenComparison;
import dev.hardway.model.OutputException;
import dev.hardway.model.PkiChange;
import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The golden-review lifecycle through the library: generate, drift, verify, renew. */
class GoldenTest {
    @TempDir
    Path repo;

    private Path spec() throws IOException {
        Path spec = repo.resolve("cluster.yaml");
        if (!Files.exists(spec)) {
            Files.copy(TestClusters.sample("minimal"), spec);
        }
        return spec;
    }

    private GenerationRequest request(Clock clock) throws IOException {
        return GenerationRequest.builder().specFile(spec()).pkiDirectory(repo.resolve("pki"))
                .outputDirectory(repo.resolve("target/hardway")).clock(clock).build();
    }

    private GenerationRequest request() throws IOException {
        return request(TestClusters.fixedClock());
    }

    private Path golden() {
        return repo.resolve("golden");
    }

    @Test
    void generate_writesTheSnapshotNextToTheBundles() throws IOException {
        GoldenUpdate update = Golden.generate(request(), golden());

        assertEquals(Golden.snapshot(update.generation().rendered()), new GoldenDirectory(golden()).read());
        assertFalse(update.golden().written().isEmpty());
        assertTrue(Files.isRegularFile(repo.resolve("target/hardway/worker-0.tar.gz")));
    }

    @Test
    void generate_commitsReportJsonWithTheBundles_asAnOutputOfItsOwn() throws IOException {
        Path out = repo.resolve("target/hardway");
        GoldenUpdate update = Golden.generate(request(), golden());

        Path report = out.resolve(GenerationReport.FILE_NAME);
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(report.toFile());
        assertEquals("hardway-generate", json.get("kind").asText());
        assertEquals(2, json.get("nodes").size());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(report)));
        // recorded as hardway's own output, like the bundles, but not counted among them
        assertTrue(Files.readAllLines(out.resolve(".hardway-outputs")).contains(GenerationReport.FILE_NAME));
        assertFalse(update.generation().written().contains(report), update.generation().written().toString());
        assertEquals(update.generation().written().size(), json.get("outputs").get("written").size());

        // a run that writes no report takes the old one away rather than leave it describing another run
        Hardway.generate(request());
        assertFalse(Files.exists(report));
    }

    @Test
    void generate_afterAMinorUpgrade_reportJsonCarriesThePlanInSkewPolicyOrder() throws IOException {
        Golden.generate(request(), golden());
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        Path report = repo.resolve("target/hardway").resolve(GenerationReport.FILE_NAME);
        assertTrue(json.readTree(report.toFile()).get("upgrade").isNull());

        Files.writeString(spec(), Files.readString(spec()).replace("kubernetesVersion: 1.32.3",
                "kubernetesVersion: 1.33.2"));
        Golden.generate(request(), golden());

        com.fasterxml.jackson.databind.JsonNode upgrade = json.readTree(report.toFile()).get("upgrade");
        assertEquals("1.32.3", upgrade.get("from").asText(), upgrade.toString());
        assertEquals("1.33.2", upgrade.get("to").asText(), upgrade.toString());
        List<String> firstNodes = new java.util.ArrayList<>();
        upgrade.get("steps").forEach(step -> firstNodes.add(step.get("nodes").toString()));
        // the control plane before the kubelets
        assertTrue(firstNodes.indexOf("[\"controller-0\"]") < firstNodes.indexOf("[\"worker-0\"]"),
                upgrade.toPrettyString());
    }

    @Test
    void generate_rerun_leavesTheSnapshotUnchanged() throws IOException {
        Golden.generate(request(), golden());

        GoldenUpdate again = Golden.generate(request(), golden());

        assertTrue(again.golden().upToDate(), again.golden().toString());
    }

    @Test
    void generate_goldenDirectoryHoldsForeignFiles_failsBeforeWritingAnything() throws IOException {
        Files.createDirectories(golden());
        Files.writeString(golden().resolve("notes.txt"), "mine\n");

        assertThrows(OutputException.class, () -> Golden.generate(request(), golden()));

        assertFalse(Files.exists(repo.resolve("pki")));
        assertFalse(Files.exists(repo.resolve("target/hardway")));
    }

    @Test
    void verify_rightAfterGenerate_matchesAndWritesNothing() throws IOException {
        Golden.generate(request(), golden());
        Set<String> pkiBefore = listing(repo.resolve("pki"));

        GoldenVerification check = Golden.verify(request(), golden());

        assertTrue(check.matches(), check.report());
        assertEquals(pkiBefore, listing(repo.resolve("pki")));
    }

    @Test
    void verify_afterChangingClusterDns_thenAddingAWorker_reportsExactlyTheAffectedFiles() throws IOException {
        Golden.generate(request(), golden());
        Files.writeString(spec(), Files.readString(spec()).replace("clusterDns: 10.32.0.10", "clusterDns: 10.32.0.53"));

        GoldenVerification dns = Golden.verify(request(), golden());
        assertFalse(dns.matches());
        List<String> changed = dns.comparison().changed().stream().map(GoldenComparison.FileDifference::path)
                .toList();
        // the kubelet's configuration and the DNS service's address, nothing else
        assertEquals(List.of("controller-0/etc/kubernetes/addons/coredns.yaml",
                "worker-0/var/lib/kubelet/kubelet-config.yaml"), changed);
        assertTrue(dns.report().contains("-  - \"10.32.0.10\"\n+  - \"10.32.0.53\"\n"), dns.report());
        Golden.generate(request(), golden());

        Files.writeString(spec(), Files.readString(spec()) + "  - name: worker-1\n    internalIp: 10.240.0.21\n");
        GoldenVerification grown = Golden.verify(request(), golden());
        GoldenComparison c = grown.comparison();
        changed = c.changed().stream().map(GoldenComparison.FileDifference::path).toList();
        // the one route table every node shares gains the new worker's route; no other node's file changes for it
        assertTrue(changed.contains(GoldenSnapshot.EVERY_NODE + "/etc/hardway/pod-routes"), changed.toString());
        assertTrue(changed.stream().allMatch(p -> p.startsWith(GoldenSnapshot.EVERY_NODE + "/")
                || p.equals("worker-0/FILES")), changed.toString());
        assertTrue(c.missing().contains("worker-1/var/lib/kubelet/kubelet.crt"), c.missing().toString());
        // the new worker's own files, and the files that were worker-0's alone and now are every worker's
        assertTrue(c.missing().stream().allMatch(p -> p.startsWith("worker-1/")
                || p.startsWith(GoldenSnapshot.EVERY_WORKER + "/")), c.missing().toString());
        // a file worker-0 had alone moves to the shared directory now that there are two workers
        assertTrue(c.extra().stream().allMatch(p -> p.startsWith("worker-0/") && c.missing()
                .contains(GoldenSnapshot.EVERY_WORKER + p.substring("worker-0".length()))), c.extra().toString());
        assertTrue(grown.report().contains("created kubelet-worker-1"), grown.report());
        assertFalse(Files.exists(repo.resolve("pki/kubelet-worker-1.crt")), "verify must not write PKI files");

        Golden.generate(request(), golden());
        assertTrue(Golden.verify(request(), golden()).matches());
    }

    @Test
    void verify_withoutThePki_saysEveryCertificateWouldBeNew() throws IOException {
        Golden.generate(request(), golden());
        Path elsewhere = repo.resolve("other-pki");

        GoldenVerification check = Golden.verify(GenerationRequest.builder().specFile(spec())
                .pkiDirectory(elsewhere).clock(TestClusters.fixedClock()).build(), golden());

        assertFalse(check.matches());
        assertTrue(check.report().contains("The PKI directory holds no CA"), check.report());
        assertFalse(Files.exists(elsewhere));
    }

    @Test
    void generate_leafInsideRenewalWindow_isReissuedWithTheSameCaAndShowsAsNewValidity() throws IOException {
        Clock yearAgo = Clock.fixed(TestClusters.NOW.minus(Duration.ofDays(355)), ZoneOffset.UTC);
        Golden.generate(request(yearAgo), golden());
        byte[] ca = Files.readAllBytes(repo.resolve("pki/ca.crt"));
        String oldKubelet = Files.readString(golden().resolve("worker-0/var/lib/kubelet/kubelet.crt"));

        GoldenVerification drift = Golden.verify(request(), golden());
        assertFalse(drift.matches());
        assertTrue(drift.report().contains("reissued kubelet-worker-0 (expires 2026-12-03T10:00:00Z, within the "
                + "30-day renewal window)"), drift.report());
        assertTrue(drift.report().contains("+not after: 2027-11-23T10:00:00Z"), drift.report());

        GoldenUpdate renewed = Golden.generate(request(), golden());

        assertArrayEquals(ca, Files.readAllBytes(repo.resolve("pki/ca.crt")));
        assertTrue(renewed.generation().pkiChanges().stream().anyMatch(c -> c.id().equals("kubelet-worker-0")
                && c.action() == PkiChange.Action.REISSUED));
        assertTrue(renewed.generation().pkiChanges().stream().anyMatch(c -> c.id().equals("ca")
                && c.action() == PkiChange.Action.REUSED));
        String newKubelet = Files.readString(golden().resolve("worker-0/var/lib/kubelet/kubelet.crt"));
        assertTrue(oldKubelet.contains("not after: 2026-12-03T10:00:00Z"), oldKubelet);
        assertTrue(newKubelet.contains("not after: 2027-11-23T10:00:00Z"), newKubelet);
        assertTrue(renewed.golden().written().contains("worker-0/var/lib/kubelet/kubelet.crt"));
        assertTrue(CertificateCheck.run(repo.resolve("pki"), Duration.ofDays(30), TestClusters.fixedClock())
                .passes());
    }

    private static Set<String> listing(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            return files.map(p -> dir.relativize(p) + ":" + p.toFile().lastModified())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
