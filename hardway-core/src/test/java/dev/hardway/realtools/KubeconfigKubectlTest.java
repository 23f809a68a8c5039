package dev.hardway.realtools;

import dev.hardway.testing.TestClusters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every generated kubeconfig as the real {@code kubectl} (1.32, from Debian 13) reads it: the server is the spec's
 * API endpoint, the names line up, the current context resolves, and the embedded data is the bundle's CA and
 * the component's own certificate.
 */
class KubeconfigKubectlTest {
    private static final String NODE = "worker-0";

    @TempDir
    static Path scratch;
    static GeneratedCluster cluster;
    static Path files;

    /** Which kubeconfig, the user it must name, and the PEM its client certificate must be. */
    private record Case(Path kubeconfig, String user, Path certificate) {
    }

    private static Map<String, Case> cases;

    @BeforeAll
    static void generate() throws IOException {
        JsonNode version = new ObjectMapper().readTree(
                RealTools.command("kubectl", "version", "--client", "-o", "json").runOk().stdout());
        int minor = Integer.parseInt(version.at("/clientVersion/minor").asText().replaceAll("\\D", ""));
        assertTrue(minor >= 32, "kubectl " + version.at("/clientVersion/gitVersion").asText()
                + " is older than the 1.32 these tests need: " + RealTools.INSTALL_HINT);

        cluster = GeneratedCluster.minimal(scratch);
        files = cluster.unpack(NODE, scratch.resolve("unpacked")).resolve("files");
        cases = Map.of(
                "kubelet", new Case(files.resolve("var/lib/kubelet/kubeconfig"), "system:node:worker-0",
                        files.resolve("var/lib/kubelet/kubelet.crt")),
                "kube-proxy", new Case(files.resolve("var/lib/kube-proxy/kubeconfig"), "system:kube-proxy",
                        cluster.pkiDirectory().resolve("kube-proxy.crt")),
                "admin", new Case(cluster.adminKubeconfig(), "admin",
                        cluster.pkiDirectory().resolve("admin.crt")));
    }

    private static String view(Path kubeconfig, boolean raw, String jsonpath) {
        List<String> argv = new java.util.ArrayList<>(List.of(RealTools.tool("kubectl").toString(), "config", "view",
                "--kubeconfig", kubeconfig.toString()));
        if (raw) {
            argv.add("--raw");
        }
        argv.add("-o");
        argv.add("jsonpath=" + jsonpath);
        return RealTools.command(argv).env("KUBECONFIG", "/dev/null").runOk().stdout();
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubelet", "kube-proxy", "admin"})
    void kubeconfig_pointsAtTheSpecsApiEndpoint(String component) {
        Case c = cases.get(component);

        assertEquals(cluster.cluster().apiEndpoint(), view(c.kubeconfig(), false, "{.clusters[*].cluster.server}"));
        assertEquals("https://server.kubernetes.local:6443", cluster.cluster().apiEndpoint(),
                "samples/minimal's apiServer.endpoint");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubelet", "kube-proxy", "admin"})
    void kubeconfig_hasOneClusterUserAndContext_andCurrentContextResolves(String component) {
        Case c = cases.get(component);

        assertEquals("demo", view(c.kubeconfig(), false, "{.clusters[*].name}"));
        assertEquals(c.user(), view(c.kubeconfig(), false, "{.users[*].name}"));
        String context = view(c.kubeconfig(), false, "{.current-context}");
        assertEquals(c.user() + "@demo", context);
        assertEquals(context, view(c.kubeconfig(), false, "{.contexts[*].name}"));
        assertEquals("demo|" + c.user(), view(c.kubeconfig(), false,
                "{.contexts[?(@.name==\"" + context + "\")].context.cluster}|{.contexts[?(@.name==\"" + context
                        + "\")].context.user}"));
        // --minify fails unless the current context, its cluster and its user all exist
        assertEquals("demo|" + c.user(), minified(c.kubeconfig()));
    }

    private static String minified(Path kubeconfig) {
        return RealTools.command("kubectl", "config", "view", "--kubeconfig", kubeconfig.toString(), "--minify",
                        "-o", "jsonpath={.clusters[*].name}|{.users[*].name}")
                .env("KUBECONFIG", "/dev/null").runOk().stdout();
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubelet", "kube-proxy", "admin"})
    void kubeconfigWithoutRaw_redactsEveryEmbeddedCredential(String component) {
        Case c = cases.get(component);

        // kubectl redacts only fields it recognises: this proves the three data fields are spelled as it expects
        assertEquals("DATA+OMITTED|DATA+OMITTED|DATA+OMITTED", view(c.kubeconfig(), false,
                "{.clusters[0].cluster.certificate-authority-data}|{.users[0].user.client-certificate-data}"
                        + "|{.users[0].user.client-key-data}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubelet", "kube-proxy", "admin"})
    void kubeconfigRaw_embedsTheBundlesCaAndTheComponentsCertificate(String component) throws IOException {
        Case c = cases.get(component);

        byte[] ca = decode(view(c.kubeconfig(), true, "{.clusters[0].cluster.certificate-authority-data}"));
        byte[] certificate = decode(view(c.kubeconfig(), true, "{.users[0].user.client-certificate-data}"));
        byte[] key = decode(view(c.kubeconfig(), true, "{.users[0].user.client-key-data}"));

        assertArrayEquals(Files.readAllBytes(files.resolve("var/lib/kubelet/ca.crt")), ca,
                "certificate-authority-data is not the bundle's ca.crt");
        assertArrayEquals(Files.readAllBytes(c.certificate()), certificate,
                "client-certificate-data is not " + c.certificate());
        Path keyFile = Files.write(scratch.resolve(component + "-embedded.key"), key);
        assertEquals(
                RealTools.command("openssl", "x509", "-in", c.certificate().toString(), "-noout", "-pubkey")
                        .runOk().stdout(),
                RealTools.command("openssl", "pkey", "-in", keyFile.toString(), "-pubout").runOk().stdout(),
                "client-key-data is not the key of the client certificate");
    }

    @Test
    void kubectl_withContextNamingAMissingUser_failsMinify() throws IOException {
        // the harness check above relies on --minify rejecting a dangling reference; prove it does
        String original = Files.readString(cases.get("kubelet").kubeconfig());
        String broken = original.replace("user: \"system:node:worker-0\"", "user: \"nobody\"");
        assertNotEquals(original, broken, "the kubelet kubeconfig's context names its user");
        Path file = Files.writeString(scratch.resolve("dangling.kubeconfig"), broken);

        RealTools.Result result = RealTools.command("kubectl", "config", "view", "--kubeconfig", file.toString(),
                "--minify").env("KUBECONFIG", "/dev/null").run();

        assertTrue(result.exitCode() != 0 && result.stderr().contains("nobody"), result.describe());
    }

    private static byte[] decode(String base64) {
        assertFalse(base64.isBlank(), "empty data field");
        return Base64.getDecoder().decode(base64.strip());
    }

    /**
     * A controller that is also a Node: its kubelet's kubeconfig names it system:node:controller-1 with its own
     * certificate, and the admin kubeconfig its node-role unit labels it with reaches the local API server.
     */
    @Test
    void stackedController_kubeletAndAdminKubeconfigs_readByKubectl() throws IOException {
        Path stacked = GeneratedCluster.generate(TestClusters.sample("stacked"), scratch.resolve("gen-stacked"))
                .unpack("controller-1", scratch.resolve("unpacked-stacked")).resolve("files");
        Path kubelet = stacked.resolve("var/lib/kubelet/kubeconfig");
        assertEquals("stacked|system:node:controller-1", minified(kubelet));
        assertEquals("https://api.stacked.example.internal:6443", view(kubelet, false, "{.clusters[0].cluster.server}"));
        assertArrayEquals(Files.readAllBytes(stacked.resolve("var/lib/kubelet/kubelet.crt")),
                decode(view(kubelet, true, "{.users[0].user.client-certificate-data}")));
        String subject = RealTools.command("openssl", "x509", "-in", stacked.resolve("var/lib/kubelet/kubelet.crt")
                .toString(), "-noout", "-subject", "-nameopt", "RFC2253").runOk().stdout();
        assertTrue(subject.contains("CN=system:node:controller-1") && subject.contains("O=system:nodes"), subject);
        Path admin = stacked.resolve("etc/kubernetes/admin.kubeconfig");
        assertEquals("stacked|admin", minified(admin));
        assertEquals("https://127.0.0.1:6443", view(admin, false, "{.clusters[0].cluster.server}"));
    }
}
