package dev.hardway.maven.it;

import dev.hardway.api.GenerationRequest;
import dev.hardway.api.Golden;
import dev.hardway.api.Hardway;
import dev.hardway.golden.GoldenDirectory;
import dev.hardway.golden.GoldenSnapshot;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pull-request flow of issue 4: the snapshot is generated and committed, someone edits cluster.yaml without
 * refreshing it, and {@code hardway:verify} fails with the diff of exactly the files the edit affects; after
 * {@code hardway:generate} the check bound to {@code mvn verify} passes again.
 */
class GoldenDriftIT {
    private static final Pattern DIFF_HEADER = Pattern.compile("(?m)^--- a/(\\S+)\\n\\+\\+\\+ b/\\1$");
    private static final Pattern MISSING = Pattern.compile(
            "(?s)Missing from the snapshot \\(hardway now generates them\\):\\n(.*?)\\n\\n");

    @Test
    void verify_afterEditingClusterYaml_failsWithTheDiffOfExactlyTheAffectedFiles() throws IOException {
        InfraRepo repo = InfraRepo.fromProject("golden-drift", "infra-repo").withSampleSpec("minimal");
        MavenRun generate = repo.mvn("hardway:generate");
        assertTrue(generate.succeeded(), generate.describe());
        assertTrue(Files.isRegularFile(repo.resolve("golden").resolve(GoldenDirectory.MARKER)));
        MavenRun clean = repo.mvn("verify");
        assertTrue(clean.succeeded() && clean.output().contains("Golden snapshot golden matches cluster.yaml"),
                clean.describe());

        Path spec = repo.resolve("cluster.yaml");
        String original = Files.readString(spec, StandardCharsets.UTF_8);
        String edited = original.replace("clusterDns: 10.32.0.10", "clusterDns: 10.32.0.53")
                + "  - name: worker-1\n    internalIp: 10.240.0.21\n";
        assertFalse(edited.equals(original + "  - name: worker-1\n    internalIp: 10.240.0.21\n"),
                "the sample's clusterDns line moved; update this test");
        Files.writeString(spec, edited, StandardCharsets.UTF_8);
        SortedMap<String, String> committed = new GoldenDirectory(repo.resolve("golden")).read();
        SortedMap<String, String> goldenBefore = repo.checksums("golden");
        Set<String> pkiBefore = repo.checksums("pki").keySet();
        // what the edit changes, as the library sees it (render writes nothing)
        SortedMap<String, String> regenerated = Golden.snapshot(Hardway.render(GenerationRequest.builder()
                .specFile(spec).pkiDirectory(repo.resolve("pki")).build()));
        Set<String> expectedChanged = new TreeSet<>();
        Set<String> expectedMissing = new TreeSet<>();
        regenerated.forEach((path, text) -> {
            if (!committed.containsKey(path)) {
                expectedMissing.add(path);
            } else if (!committed.get(path).equals(text)) {
                expectedChanged.add(path);
            }
        });
        // the kubelet configuration, now the same on both workers, is kept once for every worker; the DNS
        // service's address changes on the controller that applies the add-ons
        assertTrue(expectedMissing.contains(GoldenSnapshot.EVERY_WORKER + "/var/lib/kubelet/kubelet-config.yaml"),
                expectedMissing.toString());
        assertTrue(expectedChanged.contains("controller-0/etc/kubernetes/addons/coredns.yaml"),
                expectedChanged.toString());
        // the new worker's own files, and those worker-0 had alone that every worker now shares; the one route
        // table of the cluster changes, no other node's file does
        assertTrue(expectedMissing.stream().allMatch(p -> p.startsWith("worker-1/")
                || p.startsWith(GoldenSnapshot.EVERY_WORKER + "/")), expectedMissing.toString());
        assertTrue(expectedChanged.contains(GoldenSnapshot.EVERY_NODE + "/etc/hardway/pod-routes"),
                expectedChanged.toString());

        MavenRun drift = repo.mvn("hardway:verify");

        assertFalse(drift.succeeded(), drift.describe());
        String out = drift.text();
        assertEquals(expectedChanged, matches(DIFF_HEADER, out), "a diff for exactly the changed files:\n" + out);
        Matcher missing = MISSING.matcher(out);
        assertTrue(missing.find(), out);
        assertEquals(expectedMissing, new TreeSet<>(missing.group(1).strip().lines().map(String::strip).toList()));
        assertTrue(out.contains("\n-  clusterIP: \"10.32.0.10\"\n+  clusterIP: \"10.32.0.53\"\n"), out);
        assertTrue(out.contains("created kubelet-worker-1"), out);
        assertTrue(out.contains("Refresh the snapshot with `mvn hardway:generate`"), out);
        assertFalse(out.contains("\tat "), "no stack trace:\n" + out);
        assertEquals(goldenBefore, repo.checksums("golden"), "verify writes nothing");
        assertEquals(pkiBefore, repo.checksums("pki").keySet(), "verify writes no PKI file");

        MavenRun refresh = repo.mvn("hardway:generate");
        assertTrue(refresh.succeeded(), refresh.describe());
        // the log counts golden files (each name only with -X); the snapshot itself now has the new value
        assertTrue(refresh.output().matches("(?s).*Golden snapshot golden: \\d+ written, .*"), refresh.describe());
        assertTrue(Files.readString(repo.resolve("golden/" + GoldenSnapshot.EVERY_WORKER
                        + "/var/lib/kubelet/kubelet-config.yaml"),
                StandardCharsets.UTF_8).contains("10.32.0.53"), "the refreshed snapshot has the new clusterDns");
        MavenRun check = repo.mvn("verify");
        assertTrue(check.succeeded(), check.describe());
        assertTrue(check.output().contains("hardway-maven-plugin:" + InfraRepo.property("hardway.version")
                + ":verify (golden-snapshot)"), "bound to the verify phase:\n" + check.output());
    }

    private static Set<String> matches(Pattern p, String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
