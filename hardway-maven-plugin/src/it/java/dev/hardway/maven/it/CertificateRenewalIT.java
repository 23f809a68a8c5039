package dev.hardway.maven.it;

import dev.hardway.api.GenerationRequest;
import dev.hardway.api.Golden;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kubeadm's check-expiration and renew, the hardway way: a PKI whose leaf certificates expire in 10 days fails
 * {@code hardway:check-certs}, naming them; {@code hardway:verify} shows the renewal as a changed certificate
 * description; {@code hardway:generate} re-issues them inside cluster.yaml's renewal window with the same CA.
 */
class CertificateRenewalIT {
    private static final String KUBELET_CRT = "golden/worker-0/var/lib/kubelet/kubelet.crt";
    private static final Pattern NOT_AFTER = Pattern.compile("(?m)^not after: (\\S+)$");

    @Test
    void checkCerts_leafExpiringInTenDays_failsAndGenerateRenewsItWithTheSameCa() throws IOException {
        InfraRepo repo = InfraRepo.fromProject("certificate-renewal", "infra-repo").withSampleSpec("minimal");
        Path spec = repo.resolve("cluster.yaml");
        Files.writeString(spec, Files.readString(spec, StandardCharsets.UTF_8) + "pki:\n  renewBeforeDays: 20\n",
                StandardCharsets.UTF_8);
        // the cluster as generated 355 days ago: one-year leaves with 10 days left, a CA with nine years
        Clock issued = Clock.offset(Clock.systemUTC(), Duration.ofDays(-355));
        Golden.generate(GenerationRequest.builder().specFile(spec).pkiDirectory(repo.resolve("pki"))
                .outputDirectory(repo.resolve("target/hardway")).clock(issued).build(), repo.resolve("golden"));
        String ca = InfraRepo.sha256(repo.resolve("pki/ca.crt"));
        String kubeletBefore = Files.readString(repo.resolve(KUBELET_CRT), StandardCharsets.UTF_8);
        SortedMap<String, String> goldenBefore = repo.checksums("golden");

        MavenRun check = repo.mvn("hardway:check-certs");

        assertFalse(check.succeeded(), check.describe());
        for (String leaf : List.of("kubelet-worker-0", "kube-proxy", "admin")) {
            assertTrue(Pattern.compile("(?m)^  " + leaf + ": expires on \\S+, (9|10)d left$").matcher(check.text())
                    .find(), leaf + " not named:\n" + check.output());
        }
        assertTrue(Pattern.compile("(?m)^ca +\\S+ +9y +ok$").matcher(check.text()).find(),
                "the CA is listed and fine:\n" + check.output());
        assertTrue(check.output().contains("`mvn hardway:generate` re-issues leaf certificates"), check.describe());

        MavenRun verify = repo.mvn("hardway:verify");

        assertFalse(verify.succeeded(), verify.describe());
        assertTrue(verify.output().contains("--- a/worker-0/var/lib/kubelet/kubelet.crt"), verify.describe());
        assertTrue(verify.text().contains("-not after: " + notAfter(kubeletBefore)), verify.describe());
        assertTrue(verify.text().contains("reissued kubelet-worker-0 (expires " + notAfter(kubeletBefore)
                + ", within the 20-day renewal window)"), verify.describe());

        MavenRun generate = repo.mvn("hardway:generate");

        assertTrue(generate.succeeded(), generate.describe());
        // more than ten re-issued: the log counts them, report.json names each with its reason
        assertTrue(generate.output().matches("(?s).*PKI pki: 0 created, \\d+ reissued, \\d+ reused.*"),
                generate.describe());
        JsonNode kubelet = null;
        for (JsonNode p : new ObjectMapper().readTree(repo.resolve("target/hardway/report.json").toFile()).get("pki")) {
            kubelet = p.get("id").asText().equals("kubelet-worker-0") ? p : kubelet;
        }
        assertTrue(kubelet != null && kubelet.get("action").asText().equals("reissued")
                && kubelet.get("reason").asText().startsWith("expires "), String.valueOf(kubelet));
        assertEquals(ca, InfraRepo.sha256(repo.resolve("pki/ca.crt")), "the CA is kept");
        String kubeletAfter = Files.readString(repo.resolve(KUBELET_CRT), StandardCharsets.UTF_8);
        Instant renewedUntil = Instant.parse(notAfter(kubeletAfter));
        assertTrue(Duration.between(Instant.now(), renewedUntil).toDays() >= 364, kubeletAfter);
        // the golden diff of the renewal is the new validity, nothing else: same subject, SANs, key
        assertEquals(List.of("not after", "not before"), changedFields(kubeletBefore, kubeletAfter));
        SortedMap<String, String> goldenAfter = repo.checksums("golden");
        Set<String> changed = goldenAfter.keySet().stream()
                .filter(f -> !goldenAfter.get(f).equals(goldenBefore.get(f))).collect(Collectors.toSet());
        assertTrue(changed.containsAll(List.of("worker-0/var/lib/kubelet/kubelet.crt",
                "worker-0/var/lib/kubelet/kubeconfig", "worker-0/var/lib/kube-proxy/kubeconfig", "admin.kubeconfig")),
                changed.toString());
        assertTrue(changed.stream().allMatch(f -> f.endsWith(".crt") || f.endsWith("kubeconfig")),
                "only certificate views change: " + changed);
        assertTrue(Files.readString(repo.resolve("golden/worker-0/var/lib/kube-proxy/kubeconfig"))
                .contains("not after " + notAfter(kubeletAfter).substring(0, 10)), "kubeconfigs show the renewal");
        MavenRun recheck = repo.mvn("hardway:check-certs");
        assertTrue(recheck.succeeded(), recheck.describe());
        assertTrue(recheck.output().contains("No certificate expires within 30 days"), recheck.describe());
        MinimalSampleIT.assertNoKeyMaterial(generate);
    }

    private static String notAfter(String description) {
        Matcher m = NOT_AFTER.matcher(description);
        assertTrue(m.find(), description);
        return m.group(1);
    }

    private static List<String> changedFields(String before, String after) {
        List<String> a = before.lines().toList();
        List<String> b = after.lines().toList();
        assertEquals(a.size(), b.size(), before + "\n---\n" + after);
        return java.util.stream.IntStream.range(0, a.size()).filter(i -> !a.get(i).equals(b.get(i)))
                .mapToObj(i -> a.get(i).substring(0, a.get(i).indexOf(':'))).sorted().toList();
    }
}
