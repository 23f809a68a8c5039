package dev.hardway.realtools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worker bundle's PKI as the real {@code openssl} sees it: every certificate chains to the cluster CA, names
 * what the Kubernetes authorizers expect, and pairs with its key; the tarball keeps keys private and never carries
 * the CA key.
 */
class WorkerCertificatesOpensslTest {
    private static final String NODE = "worker-0";
    private static final Pattern PEM_PRIVATE_KEY =
            Pattern.compile("-----BEGIN ([A-Z ]*)PRIVATE KEY-----.*?-----END \\1PRIVATE KEY-----", Pattern.DOTALL);

    @TempDir
    static Path scratch;
    static GeneratedCluster cluster;
    static Path files;
    /** Certificates and keys extracted from the three kubeconfigs, as PEM files: "kubelet-client.crt" etc. */
    static Map<String, Path> embedded;

    @BeforeAll
    static void generateAndUnpack() throws IOException {
        cluster = GeneratedCluster.minimal(scratch);
        files = cluster.unpack(NODE, scratch.resolve("unpacked")).resolve("files");
        embedded = new LinkedHashMap<>();
        extract("kubelet", files.resolve("var/lib/kubelet/kubeconfig"));
        extract("kube-proxy", files.resolve("var/lib/kube-proxy/kubeconfig"));
        extract("admin", cluster.adminKubeconfig());
    }

    /** Writes a kubeconfig's embedded CA, client certificate and client key as PEM files. */
    private static void extract(String name, Path kubeconfig) throws IOException {
        JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(kubeconfig.toFile());
        Path dir = Files.createDirectories(scratch.resolve("embedded"));
        Map<String, String> fields = Map.of(
                "-ca.crt", config.at("/clusters/0/cluster/certificate-authority-data").asText(),
                "-client.crt", config.at("/users/0/user/client-certificate-data").asText(),
                "-client.key", config.at("/users/0/user/client-key-data").asText());
        for (Map.Entry<String, String> field : fields.entrySet()) {
            assertFalse(field.getValue().isEmpty(), kubeconfig + " has no " + field.getKey() + " data");
            Path pem = dir.resolve(name + field.getKey());
            Files.write(pem, Base64.getDecoder().decode(field.getValue()));
            embedded.put(name + field.getKey(), pem);
        }
    }

    private static Path ca() {
        return files.resolve("var/lib/kubelet/ca.crt");
    }

    @Test
    void everyCertificateInWorkerBundleAndAdminKubeconfig_verifiesAgainstClusterCa() throws IOException {
        List<Path> certificates = new ArrayList<>();
        try (var walk = Files.walk(files)) {
            walk.filter(p -> p.toString().endsWith(".crt")).sorted().forEach(certificates::add);
        }
        embedded.entrySet().stream().filter(e -> e.getKey().endsWith(".crt")).map(Map.Entry::getValue)
                .forEach(certificates::add);
        // ca.crt, kubelet.crt, and a CA plus a client certificate in each of the three kubeconfigs
        assertEquals(8, certificates.size(), "certificates found: " + certificates);

        for (Path certificate : certificates) {
            RealTools.Result verify = RealTools.command("openssl", "verify", "-CAfile", ca().toString(),
                    certificate.toString()).run();
            assertEquals(0, verify.exitCode(), "openssl verify rejected " + certificate + "\n" + verify.describe());
            assertEquals(certificate + ": OK", verify.stdout().strip(), verify.describe());
        }
    }

    @Test
    void everyEmbeddedCaCertificate_isTheBundlesCa() {
        String bundleCa = fingerprint(ca());
        for (String name : List.of("kubelet-ca.crt", "kube-proxy-ca.crt", "admin-ca.crt")) {
            assertEquals(bundleCa, fingerprint(embedded.get(name)), name + " is not the CA in ca.crt");
        }
    }

    @Test
    void kubeletCertificate_againstForeignCaOfTheSameName_failsVerification() {
        // a CA with the same subject but another key: only the signature can tell them apart
        Path foreignKey = scratch.resolve("foreign-ca.key");
        Path foreignCa = scratch.resolve("foreign-ca.crt");
        RealTools.command("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-subj", "/CN=kubernetes", "-days", "1",
                "-keyout", foreignKey.toString(), "-out", foreignCa.toString()).runOk();

        RealTools.Result verify = RealTools.command("openssl", "verify", "-CAfile", foreignCa.toString(),
                files.resolve("var/lib/kubelet/kubelet.crt").toString()).run();

        assertNotEquals(0, verify.exitCode(), "a foreign CA must not verify the kubelet certificate\n"
                + verify.describe());
    }

    @Test
    void kubeletCertificate_namesNodeInSystemNodes_withHostnameAndIp_forServerAndClientAuth() {
        OpensslCertificate kubelet = OpensslCertificate.read(files.resolve("var/lib/kubelet/kubelet.crt"));

        assertEquals(List.of("system:node:worker-0"), kubelet.subject("CN"));
        assertEquals(List.of("system:nodes"), kubelet.subject("O"));
        assertEquals(List.of("DNS:worker-0", "IP Address:10.240.0.20"), kubelet.extension("Subject Alternative Name"));
        assertEquals(List.of("TLS Web Server Authentication", "TLS Web Client Authentication"),
                kubelet.extension("Extended Key Usage"));
        assertEquals(List.of("CA:FALSE"), kubelet.extension("Basic Constraints"));
    }

    @Test
    void kubeletKubeconfigClientCertificate_isTheKubeletsNodeIdentity() {
        OpensslCertificate client = OpensslCertificate.read(embedded.get("kubelet-client.crt"));

        assertEquals(List.of("system:node:worker-0"), client.subject("CN"));
        assertEquals(List.of("system:nodes"), client.subject("O"));
        assertTrue(client.extension("Extended Key Usage").contains("TLS Web Client Authentication"),
                "EKU: " + client.extension("Extended Key Usage"));
    }

    @Test
    void kubeProxyCertificate_isSystemKubeProxyInNodeProxier_forClientAuth() {
        OpensslCertificate proxy = OpensslCertificate.read(embedded.get("kube-proxy-client.crt"));

        assertEquals(List.of("system:kube-proxy"), proxy.subject("CN"));
        assertEquals(List.of("system:node-proxier"), proxy.subject("O"));
        assertEquals(List.of("TLS Web Client Authentication"), proxy.extension("Extended Key Usage"));
        assertEquals(List.of("CA:FALSE"), proxy.extension("Basic Constraints"));
    }

    @Test
    void adminCertificate_isAdminInKubeadmClusterAdmins_forClientAuth() {
        OpensslCertificate admin = OpensslCertificate.read(embedded.get("admin-client.crt"));

        // kubeadm's split since 1.29: an RBAC-bound group for everyday use, system:masters only in super-admin
        assertEquals(List.of("admin"), admin.subject("CN"));
        assertEquals(List.of("kubeadm:cluster-admins"), admin.subject("O"));
        assertEquals(List.of("TLS Web Client Authentication"), admin.extension("Extended Key Usage"));
    }

    @Test
    void caCertificate_isACertificateAuthority() {
        OpensslCertificate ca = OpensslCertificate.read(ca());

        assertEquals(List.of("CA:TRUE"), ca.extension("Basic Constraints"));
        assertTrue(ca.extension("Key Usage").contains("Certificate Sign"), "key usage: " + ca.extension("Key Usage"));
    }

    @Test
    void everyPrivateKeyInWorkerBundle_matchesItsCertificate() {
        Map<Path, Path> pairs = new LinkedHashMap<>();
        pairs.put(files.resolve("var/lib/kubelet/kubelet.key"), files.resolve("var/lib/kubelet/kubelet.crt"));
        for (String name : List.of("kubelet", "kube-proxy", "admin")) {
            pairs.put(embedded.get(name + "-client.key"), embedded.get(name + "-client.crt"));
        }
        for (Map.Entry<Path, Path> pair : pairs.entrySet()) {
            assertEquals(certificatePublicKey(pair.getValue()), publicKeyOf(pair.getKey()),
                    pair.getKey() + " is not the key of " + pair.getValue());
        }
    }

    @Test
    void workerTarball_privateKeysAndKubeconfigs_areMode0600() {
        Map<String, GeneratedCluster.TarFile> entries = cluster.tarEntries(NODE);
        List<String> secrets = new ArrayList<>();
        entries.forEach((name, file) -> {
            String text = file.text();
            if (PEM_PRIVATE_KEY.matcher(text).find() || text.contains("client-key-data:")) {
                secrets.add(name);
                assertEquals("600", Integer.toOctalString(file.mode()), name + " holds a private key");
            }
        });
        assertEquals(List.of("worker-0/files/var/lib/kube-proxy/kubeconfig", "worker-0/files/var/lib/kubelet/kubeconfig",
                "worker-0/files/var/lib/kubelet/kubelet.key"), secrets.stream().sorted().toList());
    }

    @Test
    void workerTarball_containsNoCaPrivateKey() throws IOException {
        String caPublicKey = certificatePublicKey(ca());
        Path keys = Files.createDirectories(scratch.resolve("keys-in-tarball"));
        List<String> found = new ArrayList<>();
        int n = 0;
        for (Map.Entry<String, GeneratedCluster.TarFile> entry : cluster.tarEntries(NODE).entrySet()) {
            assertFalse(entry.getKey().endsWith("/ca.key"), "CA key file in the bundle: " + entry.getKey());
            for (String pem : privateKeysIn(entry.getValue().text())) {
                Path key = keys.resolve("key-" + n++ + ".pem");
                Files.writeString(key, pem);
                found.add(entry.getKey());
                assertNotEquals(caPublicKey, publicKeyOf(key), entry.getKey() + " carries the CA's private key");
            }
        }
        // kubelet.key plus the client keys of the kubelet's and kube-proxy's kubeconfigs: the check saw them all
        assertEquals(3, found.size(), "private keys found: " + found);
    }

    /** PEM private keys in a file, directly or base64-embedded as kubeconfig data. */
    private static List<String> privateKeysIn(String text) {
        List<String> keys = new ArrayList<>();
        collectPemKeys(text, keys);
        Matcher data = Pattern.compile("[a-z-]+-data:\\s*([A-Za-z0-9+/=]+)").matcher(text);
        while (data.find()) {
            collectPemKeys(new String(Base64.getDecoder().decode(data.group(1)), StandardCharsets.UTF_8), keys);
        }
        return keys;
    }

    private static void collectPemKeys(String text, List<String> keys) {
        Matcher m = PEM_PRIVATE_KEY.matcher(text);
        while (m.find()) {
            keys.add(m.group() + "\n");
        }
    }

    private static String publicKeyOf(Path privateKey) {
        return RealTools.command("openssl", "pkey", "-in", privateKey.toString(), "-pubout").runOk().stdout();
    }

    private static String certificatePublicKey(Path certificate) {
        return RealTools.command("openssl", "x509", "-in", certificate.toString(), "-noout", "-pubkey").runOk()
                .stdout();
    }

    private static String fingerprint(Path certificate) {
        return RealTools.command("openssl", "x509", "-in", certificate.toString(), "-noout", "-fingerprint",
                "-sha256").runOk().stdout().strip();
    }
}
