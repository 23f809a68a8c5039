package dev.hardway.pki;

import dev.hardway.api.Hardway;
import dev.hardway.model.CertificateStatus;
import dev.hardway.model.ExpiryReport;
import dev.hardway.model.PkiStateException;
import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CertificateExpiryTest {
    private static final Duration THIRTY_DAYS = Duration.ofDays(30);

    @TempDir
    Path pki;

    /** A PKI issued 355 days before "now": its one-year leaves expire in 10 days, its CA in about nine years. */
    @BeforeEach
    void agedPki(@TempDir Path out) {
        Clock issued = Clock.fixed(TestClusters.NOW.minus(Duration.ofDays(355)), ZoneOffset.UTC);
        Hardway.generate(TestClusters.request(TestClusters.sample("minimal"), pki).clock(issued)
                .outputDirectory(out).build());
    }

    private static Clock at(Duration fromNow) {
        return Clock.fixed(TestClusters.NOW.plus(fromNow), ZoneOffset.UTC);
    }

    /** kubeadm's split: etcd and the aggregation layer have CAs of their own. */
    private static String expectedIssuer(String leaf) {
        if (leaf.startsWith("etcd-") || leaf.equals("apiserver-etcd-client")) {
            return "etcd-ca";
        }
        return leaf.startsWith("front-proxy-") ? "front-proxy-ca" : "ca";
    }

    @Test
    void check_leavesExpiringInTenDays_areFlaggedAndTheCaIsNot() {
        ExpiryReport report = CertificateExpiry.check(pki, THIRTY_DAYS, at(Duration.ZERO));

        assertFalse(report.passes());
        assertFalse(report.leaves().isEmpty());
        for (CertificateStatus leaf : report.leaves()) {
            assertEquals(CertificateStatus.State.EXPIRING, leaf.state(), leaf.name());
            assertEquals("10d", leaf.residualText(), leaf.name());
            assertEquals(expectedIssuer(leaf.name()), leaf.issuer(), leaf.name());
        }
        assertEquals(List.of("ca", "etcd-ca", "front-proxy-ca"),
                report.authorities().stream().map(CertificateStatus::name).sorted().toList());
        for (CertificateStatus ca : report.authorities()) {
            assertEquals("self-signed", ca.issuer(), ca.name());
            assertEquals(CertificateStatus.State.OK, ca.state(), ca.name());
        }
        assertEquals(report.leaves(), report.needingAttention());
    }

    @Test
    void check_listsEveryCertificateHardwayIssued() throws IOException {
        List<String> files;
        try (var list = Files.list(pki)) {
            files = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".crt"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        }

        ExpiryReport report = CertificateExpiry.check(pki, THIRTY_DAYS, at(Duration.ZERO));

        assertEquals(files, report.certificates().stream().map(CertificateStatus::name).sorted().toList());
        assertTrue(files.contains("kubelet-worker-0"), files.toString());
    }

    @Test
    void check_thresholdShorterThanResidualTime_passes() {
        ExpiryReport report = CertificateExpiry.check(pki, Duration.ofDays(9), at(Duration.ZERO));

        assertTrue(report.passes(), report.table());
        assertEquals("", report.failureMessage("mvn hardway:generate"));
    }

    @Test
    void check_afterExpiry_saysExpired() {
        ExpiryReport report = CertificateExpiry.check(pki, THIRTY_DAYS, at(Duration.ofDays(11)));

        CertificateStatus kubelet = report.leaves().stream().filter(c -> c.name().equals("kubelet-worker-0"))
                .findFirst().orElseThrow();
        assertEquals(CertificateStatus.State.EXPIRED, kubelet.state());
        assertEquals("expired", kubelet.residualText());
        assertTrue(report.table().contains("EXPIRED"), report.table());
        assertTrue(report.failureMessage("mvn hardway:generate").contains("kubelet-worker-0: expired on "));
    }

    @Test
    void table_looksLikeKubeadmCheckExpiration() {
        ExpiryReport report = CertificateExpiry.check(pki, THIRTY_DAYS, at(Duration.ZERO));

        String table = report.table();

        assertTrue(table.contains("CERTIFICATE        "), table);
        assertTrue(table.matches("(?s).*\nkubelet-worker-0 +2026-12-03T10:00:00Z +10d +ca +expires within 30d\n.*"),
                table);
        assertTrue(table.matches("(?s).*\nCERTIFICATE AUTHORITY +EXPIRES +RESIDUAL TIME +STATUS\nca +\\S+ +9y +ok\n.*"),
                table);
    }

    @Test
    void failureMessage_namesEachCertificateAndHowToRenew() {
        String message = CertificateExpiry.check(pki, THIRTY_DAYS, at(Duration.ZERO))
                .failureMessage("mvn hardway:generate");

        assertTrue(message.contains("  kubelet-worker-0: expires on 2026-12-03T10:00:00Z, 10d left\n"), message);
        assertTrue(message.contains("`mvn hardway:generate` re-issues leaf certificates"), message);
        assertFalse(message.contains("CA is never replaced"), message);
    }

    @Test
    void failureMessage_renewBeforeDaysShorterThanTheThreshold_saysGenerateWouldNotRenewYet_andWhatToChange() {
        ExpiryReport report = CertificateExpiry.check(pki, THIRTY_DAYS, at(Duration.ZERO)); // every leaf: 10d left

        String notDue = report.failureMessage("mvn hardway:generate",
                java.util.Optional.of(new ExpiryReport.Renewal(5, 365)));
        String due = report.failureMessage("mvn hardway:generate",
                java.util.Optional.of(new ExpiryReport.Renewal(30, 365)));

        assertTrue(notDue.contains("within cluster.yaml's pki.renewBeforeDays (5 days)"), notDue);
        long leaves = report.needingAttention().stream().filter(c -> !c.authority()).count();
        assertTrue(notDue.contains(leaves + " of these are not due for renewal yet: pki.renewBeforeDays (5) is "
                + "shorter than this check's threshold (30 days), so generate leaves them alone until then. Raise "
                + "pki.renewBeforeDays to 30 or more, or check with a threshold of 5 days."), notDue);
        assertTrue(due.contains("pki.renewBeforeDays (30 days)"), due);
        assertFalse(due.contains("not due"), due);
    }

    @Test
    void check_damagedCertificate_isAnErrorWhoseAdviceHoldsForACa() throws IOException {
        java.nio.file.Files.writeString(pki.resolve("ca.crt"), "garbage");

        PkiStateException e = assertThrows(PkiStateException.class,
                () -> CertificateExpiry.check(pki, THIRTY_DAYS, at(Duration.ZERO)));

        assertEquals(pki.resolve("ca.crt") + " is not a readable PEM certificate; restore it from backup. If it is a "
                + "leaf's, removing it also works: generation issues it again; a CA's it never issues again on its "
                + "own, since every node trusts it", e.getMessage());
    }

    @Test
    void check_caInsideThreshold_isFlaggedWithRotationAdvice() {
        ExpiryReport report = CertificateExpiry.check(pki, Duration.ofDays(4000), at(Duration.ZERO));

        assertTrue(report.authorities().get(0).needsAttention());
        assertTrue(report.failureMessage("mvn hardway:generate").contains("ca (CA): expires on "));
        assertTrue(report.failureMessage("mvn hardway:generate").contains("A CA is never replaced silently"));
    }

    @Test
    void check_noDirectory_failsWithAHint(@TempDir Path tmp) {
        PkiStateException e = assertThrows(PkiStateException.class,
                () -> CertificateExpiry.check(tmp.resolve("absent"), THIRTY_DAYS, at(Duration.ZERO)));

        assertTrue(e.getMessage().contains("generate the cluster first"), e.getMessage());
    }

    @Test
    void check_unreadableCertificate_namesTheFile() throws IOException {
        Files.writeString(pki.resolve("kube-proxy.crt"), "not a certificate\n");

        PkiStateException e = assertThrows(PkiStateException.class,
                () -> CertificateExpiry.check(pki, THIRTY_DAYS, at(Duration.ZERO)));

        assertTrue(e.getMessage().contains("kube-proxy.crt"), e.getMessage());
    }

    @Test
    void check_certificateTheManifestDoesNotList_isNotReported() throws IOException {
        // a leaf of a node removed before hardway removed departed nodes' files: generation never renews it
        Files.copy(pki.resolve("kubelet-worker-0.crt"), pki.resolve("kubelet-worker-7.crt"));
        Files.writeString(pki.resolve("unreadable.crt"), "not a certificate\n");

        ExpiryReport report = CertificateExpiry.check(pki, THIRTY_DAYS, at(Duration.ZERO));

        List<String> names = report.certificates().stream().map(CertificateStatus::name).toList();
        assertFalse(names.contains("kubelet-worker-7"), names.toString());
        assertTrue(names.contains("kubelet-worker-0"), names.toString());
    }

    @Test
    void check_withoutAManifestThatIsHardways_reportsEveryCertificate() throws IOException {
        Files.copy(pki.resolve("kubelet-worker-0.crt"), pki.resolve("kubelet-worker-7.crt"));
        Path manifest = pki.resolve(PkiDirectory.MANIFEST);
        byte[] whole = Files.readAllBytes(manifest);

        Files.write(manifest, java.util.Arrays.copyOf(whole, whole.length - 3)); // a write cut short
        List<String> damaged = CertificateExpiry.check(pki, THIRTY_DAYS, at(Duration.ZERO)).certificates().stream()
                .map(CertificateStatus::name).toList();
        Files.delete(manifest);
        List<String> missing = CertificateExpiry.check(pki, THIRTY_DAYS, at(Duration.ZERO)).certificates().stream()
                .map(CertificateStatus::name).toList();

        assertTrue(damaged.contains("kubelet-worker-7"), damaged.toString());
        assertTrue(missing.contains("kubelet-worker-7"), missing.toString());
    }

    @Test
    void residualText_followsKubeadmShortHumanDuration() {
        assertEquals("45s", residual(Duration.ofSeconds(45)));
        assertEquals("12m", residual(Duration.ofMinutes(12)));
        assertEquals("23h", residual(Duration.ofHours(23)));
        assertEquals("364d", residual(Duration.ofDays(364)));
        assertEquals("9y", residual(Duration.ofDays(3649)));
        assertEquals("expired", residual(Duration.ofSeconds(-1)));
    }

    private static String residual(Duration d) {
        return new CertificateStatus("x", "CN=x", TestClusters.NOW, d, false, "ca", CertificateStatus.State.OK)
                .residualText();
    }
}
