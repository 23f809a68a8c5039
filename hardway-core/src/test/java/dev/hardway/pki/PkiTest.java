package dev.hardway.pki;

import dev.hardway.model.KeyAlgorithm;
import dev.hardway.model.PkiChange;
import dev.hardway.model.PkiStateException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PkiTest {
    static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path dir;

    private static CertificateRequest kubelet(String ip) {
        return new CertificateRequest("kubelet-w0", "ca", "system:node:w0", List.of("system:nodes"),
                Set.of("w0"), Set.of(ip), Set.of(CertificateRequest.Usage.CLIENT_AUTH,
                CertificateRequest.Usage.SERVER_AUTH));
    }

    private static final CertificateRequest PROXY =
            CertificateRequest.client("kube-proxy", "ca", "system:kube-proxy", "system:node-proxier");

    private static PkiPlan plan(CertificateRequest... leaves) {
        PkiPlan.Builder b = PkiPlan.builder().authority("ca", "kubernetes");
        for (CertificateRequest leaf : leaves) {
            b.certificate(leaf);
        }
        return b.build();
    }

    private IssuedPki issue(Path directory, Instant now, KeyAlgorithm algorithm, PkiPlan plan) {
        return PkiIssuer.issue(plan, new PkiDirectory(directory).read(), new PkiPolicy(algorithm,
                Duration.ofDays(3650), Duration.ofDays(365), Duration.ofDays(30), Clock.fixed(now, ZoneOffset.UTC),
                null, PkiPolicy.KeyAccess.FULL));
    }

    private IssuedPki issue(Instant now, CertificateRequest... leaves) {
        return issue(dir, now, KeyAlgorithm.RSA_2048, plan(leaves));
    }

    /** Persists as a generate run does: under the lock, through one transaction. */
    private static IssuedPki commit(Path directory, IssuedPki pki) {
        PkiDirectory d = new PkiDirectory(directory);
        try (var lock = d.lock(message -> { })) {
            d.prepare(pki).commit();
        }
        return pki;
    }

    private IssuedPki commit(IssuedPki pki) {
        return commit(dir, pki);
    }

    /** The PKI's own files; the lock and journal (dot files) are the mechanism, not the state. */
    private Map<String, byte[]> files() throws Exception {
        Map<String, byte[]> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                out.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }

    private IssuedPki firstRun() {
        return commit(issue(NOW, kubelet("10.240.0.20"), PROXY));
    }

    private static PkiChange.Action action(IssuedPki pki, String id) {
        return pki.changes().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow().action();
    }

    @Test
    void firstRun_createsCaAndCertificates_keysPrivate() throws Exception {
        IssuedPki pki = firstRun();
        assertEquals(PkiChange.Action.CREATED, action(pki, "ca"));
        assertEquals(Set.of("ca.crt", "ca.key", "kubelet-w0.crt", "kubelet-w0.key", "kube-proxy.crt",
                "kube-proxy.key", PkiDirectory.MANIFEST, PkiDirectory.DIGESTS), files().keySet());
        for (String key : List.of("ca.key", "kubelet-w0.key", "kube-proxy.key")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key))));
            assertTrue(Files.readString(dir.resolve(key)).startsWith("-----BEGIN PRIVATE KEY-----"));
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }

    @Test
    void rerun_sameRequests_reusesEverythingAndWritesNothing() throws Exception {
        firstRun();
        Map<String, byte[]> before = files();
        IssuedPki second = issue(NOW.plus(Duration.ofDays(100)), kubelet("10.240.0.20"), PROXY);
        IssuedCertificate k = second.certificate(kubelet("10.240.0.20"));
        assertFalse(second.hasWrites());
        commit(second);
        assertTrue(second.changes().stream().allMatch(c -> c.action() == PkiChange.Action.REUSED), second.changes().toString());
        Map<String, byte[]> after = files();
        assertEquals(before.keySet(), after.keySet());
        before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name));
        assertEquals(Pem.encode(k.certificate()), new String(before.get("kubelet-w0.crt")));
    }

    @Test
    void changedSans_reissuesOnlyThatCertificate_keepingItsKeyAndTheCa() throws Exception {
        firstRun();
        Map<String, byte[]> before = files();
        IssuedPki second = commit(issue(NOW, kubelet("10.240.0.99"), PROXY));
        IssuedCertificate k = second.certificate(kubelet("10.240.0.99"));
        PkiChange change = second.changes().stream().filter(c -> c.id().equals("kubelet-w0")).findFirst().orElseThrow();
        assertEquals(PkiChange.Action.REISSUED, change.action());
        assertTrue(change.reason().contains("+10.240.0.99") && change.reason().contains("-10.240.0.20"), change.reason());
        Map<String, byte[]> after = files();
        assertFalse(java.util.Arrays.equals(before.get("kubelet-w0.crt"), after.get("kubelet-w0.crt")));
        for (String same : List.of("ca.crt", "ca.key", "kubelet-w0.key", "kube-proxy.crt", "kube-proxy.key")) {
            assertArrayEquals(before.get(same), after.get(same), same);
        }
        assertTrue(CertificateFacts.requestOf(k.certificate(), "", "").ipAddresses().contains("10.240.0.99"));
    }

    @Test
    void certificateInsideRenewalWindow_isReissuedWithTheSameCa() throws Exception {
        firstRun();
        byte[] ca = Files.readAllBytes(dir.resolve("ca.crt"));
        IssuedPki later = commit(issue(NOW.plus(Duration.ofDays(340)), PROXY));
        CertificateAuthority authority = later.authority("ca");
        IssuedCertificate renewed = later.certificate(PROXY);
        PkiChange change = later.changes().stream().filter(c -> c.id().equals("kube-proxy")).findFirst().orElseThrow();
        assertEquals(PkiChange.Action.REISSUED, change.action());
        assertTrue(change.reason().contains("renewal window"), change.reason());
        assertArrayEquals(ca, Files.readAllBytes(dir.resolve("ca.crt")));
        renewed.certificate().verify(authority.certificate().getPublicKey());
        assertEquals(NOW.plus(Duration.ofDays(340 + 365)), renewed.certificate().getNotAfter().toInstant());
    }

    @Test
    void certificateSignedByAnotherCa_isReissued() throws Exception {
        firstRun();
        byte[] foreign;
        Path other = dir.resolveSibling(dir.getFileName() + "-other");
        commit(other, issue(other, NOW, KeyAlgorithm.RSA_2048, plan(PROXY)));
        foreign = Files.readAllBytes(other.resolve("kube-proxy.crt"));
        Files.write(dir.resolve("kube-proxy.crt"), foreign);
        Files.copy(other.resolve("kube-proxy.key"), dir.resolve("kube-proxy.key"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        IssuedPki pki = issue(NOW, PROXY);
        PkiChange change = pki.changes().get(1);
        assertEquals(PkiChange.Action.REISSUED, change.action());
        assertTrue(change.reason().contains("not signed by the current ca"), change.reason());
    }

    @Test
    void caKeyMissing_failsWithAdvice_andWritesNothing() throws Exception {
        firstRun();
        Files.delete(dir.resolve("ca.key"));
        Map<String, byte[]> before = files();
        PkiStateException e = assertThrows(PkiStateException.class, () -> issue(NOW, PROXY));
        assertTrue(e.getMessage().contains("ca.key is missing") && e.getMessage().contains("never replaces a CA"),
                e.getMessage());
        Map<String, byte[]> after = files();
        assertEquals(before.keySet(), after.keySet());
    }

    @Test
    void caKeyOfAnotherCa_isRefused() throws Exception {
        firstRun();
        Files.copy(dir.resolve("kube-proxy.key"), dir.resolve("ca.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        PkiStateException e = assertThrows(PkiStateException.class, () -> issue(NOW, PROXY));
        assertTrue(e.getMessage().contains("does not belong to ca.crt"), e.getMessage());
    }

    @Test
    void caCertificateWithAChangedByte_thatStillParses_isRefusedNamingIt() throws Exception {
        firstRun();
        // the last byte of the DER is the signature's: the certificate still parses, its signature no longer verifies
        byte[] der = Pem.certificate(Files.readString(dir.resolve("ca.crt"))).getEncoded();
        der[der.length - 1] ^= 1;
        Files.writeString(dir.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END CERTIFICATE-----\n");
        Pem.certificate(Files.readString(dir.resolve("ca.crt")));
        Map<String, byte[]> before = files();
        PkiStateException e = assertThrows(PkiStateException.class, () -> issue(NOW, PROXY));
        assertEquals(PkiStateException.Reason.DAMAGED, e.reason());
        assertEquals(dir.resolve("ca.crt"), e.file());
        assertTrue(e.getMessage().contains(dir.resolve("ca.crt") + " is damaged (not a self-signed certificate"),
                e.getMessage());
        Map<String, byte[]> after = files();
        before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name));
    }

    @Test
    void digests_areWhatSha256sumChecks() throws Exception {
        firstRun();
        Process p = new ProcessBuilder("sha256sum", "--check", "--strict", PkiDirectory.DIGESTS)
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertEquals(Set.of("ca.crt: OK", "ca.key: OK", "kubelet-w0.crt: OK", "kubelet-w0.key: OK",
                "kube-proxy.crt: OK", "kube-proxy.key: OK"), Set.copyOf(out.lines().toList()));
    }

    @Test
    void leafWithAChangedByte_thatStillParses_isIssuedAgain_andTheRecordFollows() throws Exception {
        firstRun();
        byte[] der = Pem.certificate(Files.readString(dir.resolve("kube-proxy.crt"))).getEncoded();
        der[der.length - 1] ^= 1; // in the signature: it parses, its CA's signature no longer verifies
        Files.writeString(dir.resolve("kube-proxy.crt"), "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END CERTIFICATE-----\n");
        IssuedPki again = commit(issue(NOW, kubelet("10.240.0.20"), PROXY));
        assertEquals(PkiChange.Action.REISSUED, action(again, "kube-proxy"));
        assertEquals(PkiChange.Action.REUSED, action(again, "kubelet-w0"));
        again.certificate(PROXY).certificate().verify(again.authority("ca").certificate().getPublicKey());
        Process p = new ProcessBuilder("sha256sum", "--check", "--strict", "--quiet", PkiDirectory.DIGESTS)
                .directory(dir.toFile()).redirectErrorStream(true).start();
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
    }

    @Test
    void withoutTheRecord_everyLeafIsCheckedInFull_reused_andRecordedAgain() throws Exception {
        firstRun();
        byte[] record = Files.readAllBytes(dir.resolve(PkiDirectory.DIGESTS));
        Files.delete(dir.resolve(PkiDirectory.DIGESTS));
        IssuedPki again = commit(issue(NOW, kubelet("10.240.0.20"), PROXY));
        assertTrue(again.changes().stream().allMatch(c -> c.action() == PkiChange.Action.REUSED),
                again.changes().toString());
        assertArrayEquals(record, Files.readAllBytes(dir.resolve(PkiDirectory.DIGESTS)));
    }

    @Test
    void unreadableCaKey_isNamed_inWordsNotTheParsersExceptions() throws Exception {
        firstRun();
        String key = Files.readString(dir.resolve("ca.key"));
        Files.writeString(dir.resolve("ca.key"), key.substring(0, key.length() / 2) + "\n-----END PRIVATE KEY-----\n");
        PkiStateException e = assertThrows(PkiStateException.class, () -> issue(NOW, PROXY));
        assertEquals(dir.resolve("ca.key"), e.file());
        assertTrue(e.getMessage().startsWith(dir.resolve("ca.key") + " is damaged (not a readable PEM private key)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("restore ca.key from backup"), e.getMessage());
        assertFalse(e.getMessage().matches("(?s).*(Exception|java\\.|bouncycastle).*"), e.getMessage());
    }

    @Test
    void expiredCa_isRefusedNotReplaced() throws Exception {
        firstRun();
        PkiStateException e = assertThrows(PkiStateException.class,
                () -> issue(NOW.plus(Duration.ofDays(3651)), PROXY));
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
    }

    @Test
    void caWithinAYearOfExpiry_warns() {
        firstRun();
        IssuedPki late = issue(NOW.plus(Duration.ofDays(3400)));
        assertEquals(1, late.warnings().size());
        assertTrue(late.warnings().get(0).contains("plan its rotation"));
    }

    @Test
    void issuing_writesNothing_untilCommitted() throws Exception {
        IssuedPki pki = issue(NOW, PROXY);
        assertTrue(pki.hasWrites());
        assertFalse(Files.exists(dir.resolve("ca.crt")));
    }

    @Test
    void ecdsaAlgorithm_issuesP256Keys_andSwitchingAlgorithmReissuesLeavesButKeepsTheCa() throws Exception {
        firstRun();
        byte[] ca = Files.readAllBytes(dir.resolve("ca.crt"));
        IssuedPki ec = commit(issue(dir, NOW, KeyAlgorithm.ECDSA_P256, plan(PROXY)));
        IssuedCertificate proxy = ec.certificate(PROXY);
        assertTrue(proxy.certificate().getPublicKey() instanceof ECPublicKey);
        assertEquals(PkiChange.Action.REISSUED, action(ec, "kube-proxy"));
        assertArrayEquals(ca, Files.readAllBytes(dir.resolve("ca.crt")));
        assertNotEquals(-1, new String(Files.readAllBytes(dir.resolve("kube-proxy.key"))).indexOf("PRIVATE KEY"));
    }

    @Test
    void secret_createdOnceThenReused() {
        PkiPlan withSecret = PkiPlan.builder().authority("ca", "kubernetes").secret("encryption-key", 32).build();
        IssuedPki a = commit(issue(dir, NOW, KeyAlgorithm.ECDSA_P256, withSecret));
        IssuedPki b = issue(dir, NOW, KeyAlgorithm.ECDSA_P256, withSecret);
        assertArrayEquals(a.secret("encryption-key").bytes(), b.secret("encryption-key").bytes());
        assertFalse(b.hasWrites());
    }

    @Test
    void leafCertificate_hasKubeadmStyleExtensions() throws Exception {
        IssuedPki pki = firstRun();
        var ca = pki.authorities().iterator().next().certificate();
        var leaf = pki.certificates().iterator().next().certificate();
        assertEquals(-1, leaf.getBasicConstraints());
        assertTrue(ca.getBasicConstraints() >= 0);
        assertTrue(leaf.getCriticalExtensionOIDs().contains("2.5.29.15"), "key usage critical");
        assertTrue(leaf.getSerialNumber().bitLength() >= 159);
        String description = CertificateDescription.describe(leaf);
        assertTrue(description.contains("extended key usage: serverAuth, clientAuth"), description);
        assertTrue(description.contains("subject: CN=system:node:w0,O=system:nodes"), description);
        assertFalse(description.contains("PRIVATE"), description);
    }
}
