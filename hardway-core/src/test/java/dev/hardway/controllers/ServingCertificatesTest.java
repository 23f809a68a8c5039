package dev.hardway.controllers;

import dev.hardway.testing.Poll;
import dev.hardway.testing.ProcessRun;
import dev.hardway.testing.ToolLookup;

import dev.hardway.model.ResolvedCluster;
import inet.ipaddr.IPAddressString;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static dev.hardway.testing.ProcessRun.argv;

/**
 * The generated serving certificates under real TLS clients, with {@code openssl s_server} standing in for the
 * servers: it presents the generated certificate and demands a client certificate from the generated CA, exactly
 * what kube-apiserver (--tls-cert-file, --client-ca-file) and the kubelet (tlsCertFile, clientCAFile) do.
 * {@code -www} answers each request with a page naming the client certificate it verified.
 */
class ServingCertificatesTest {
    private static final Duration CALL = Duration.ofSeconds(30);
    /** The kubelet's default port; hardway's kubelet configuration keeps it. */
    private static final int KUBELET_PORT = 10250;

    @TempDir
    static Path work;
    private static InstalledCluster installed;

    @BeforeAll
    static void install() {
        installed = InstalledCluster.install("ha", work);
    }

    @Test
    void haSample_adminKubeconfig_completesMutualTlsWithTheApiServerCertificateAtTheEndpointName() throws IOException {
        ToolLookup.requireRoot("serving TLS in a network namespace");
        Path openssl = ToolLookup.tool("openssl");
        Path kubectl = ToolLookup.debian13("kubectl");
        ResolvedCluster cluster = installed.cluster();
        String controller = cluster.controllers().get(0).name();
        SystemdUnit apiServer = installed.unit(controller, "kube-apiserver");
        Path root = installed.root(controller);
        String address = apiServer.flag("advertise-address");
        Path adminKubeconfig = installed.output().resolve("admin.kubeconfig");
        assertEquals(cluster.apiEndpoint(), kubeconfigServer(adminKubeconfig),
                "the operator's kubeconfig points at apiServer.endpoint");

        try (NetworkNamespace ns = NetworkNamespace.create("apiserver")) {
            ns.addAddresses(List.of(address));
            // the endpoint is a name: here it resolves to the controller, as a load balancer's name would
            ns.hosts(Map.of(cluster.apiEndpointHost(), address));
            Path log = work.resolve("s_server-apiserver.log");
            ns.start(log, openssl, "s_server", "-accept", address + ":" + cluster.apiEndpointPort(),
                    "-cert", SystemdUnit.under(root, apiServer.flag("tls-cert-file")),
                    "-key", SystemdUnit.under(root, apiServer.flag("tls-private-key-file")),
                    "-CAfile", SystemdUnit.under(root, apiServer.flag("client-ca-file")),
                    "-Verify", "1", "-verify_return_error", "-www");
            awaitListening(log);

            ProcessRun get = ns.run(CALL, kubectl, "--kubeconfig", adminKubeconfig,
                    "--cache-dir", work.resolve("kubectl-cache"), "--request-timeout=20s", "get", "--raw", "/");
            assertTrue(get.succeeded(), get::describe);
            assertTrue(get.output().contains("Subject: O=kubeadm:cluster-admins, CN=admin"),
                    "the server verified and echoed the admin client certificate:\n" + get.describe());
            assertTrue(Files.readString(log).contains("depth=0 O = kubeadm:cluster-admins, CN = admin"),
                    "s_server logged the verified client certificate:\n" + Files.readString(log));

            // a certificate from another CA (etcd's) is refused at the handshake, as --client-ca-file demands
            ProcessRun foreign = ns.run(CALL, ToolLookup.tool("curl"), "-sS", "--max-time", "10",
                    "--cacert", SystemdUnit.under(root, apiServer.flag("client-ca-file")),
                    "--cert", SystemdUnit.under(root, apiServer.flag("etcd-certfile")),
                    "--key", SystemdUnit.under(root, apiServer.flag("etcd-keyfile")),
                    cluster.apiEndpoint() + "/");
            assertFalse(foreign.succeeded(), foreign::describe);
        }
    }

    @Test
    void haSample_apiServerCertificate_verifiesForEveryNameAndAddressClientsUse() {
        Path openssl = ToolLookup.tool("openssl");
        ResolvedCluster cluster = installed.cluster();
        String controller = cluster.controllers().get(0).name();
        SystemdUnit apiServer = installed.unit(controller, "kube-apiserver");
        Path root = installed.root(controller);
        List<String> names = new ArrayList<>(List.of("kubernetes", "kubernetes.default", "kubernetes.default.svc",
                "kubernetes.default.svc." + cluster.clusterDomain(), "localhost", cluster.apiEndpointHost()));
        List<String> addresses = new ArrayList<>(List.of(cluster.kubernetesServiceIp(), "127.0.0.1"));
        cluster.controllers().forEach(c -> {
            names.add(c.name());
            addresses.add(c.internalIp());
        });
        cluster.extraSans().forEach(san -> (new IPAddressString(san).isIPAddress() ? addresses : names).add(san));
        String ca = SystemdUnit.under(root, apiServer.flag("client-ca-file"));
        String cert = SystemdUnit.under(root, apiServer.flag("tls-cert-file"));
        for (String name : names) {
            ProcessRun verify = ProcessRun.run(CALL, argv(openssl, "verify", "-CAfile", ca, "-purpose", "sslserver",
                    "-verify_hostname", name, cert));
            assertTrue(verify.succeeded(), verify::describe);
        }
        for (String address : addresses) {
            ProcessRun verify = ProcessRun.run(CALL, argv(openssl, "verify", "-CAfile", ca, "-purpose", "sslserver",
                    "-verify_ip", address, cert));
            assertTrue(verify.succeeded(), verify::describe);
        }
        ProcessRun unknown = ProcessRun.run(CALL, argv(openssl, "verify", "-CAfile", ca, "-verify_hostname",
                "not-a-controller.example", cert));
        assertFalse(unknown.succeeded(), "a name outside the SANs must not verify:\n" + unknown.describe());
    }

    @Test
    void haSample_kubeletServingCertificate_acceptsTheApiServersKubeletClientCertificate() throws IOException {
        ToolLookup.requireRoot("serving TLS in a network namespace");
        Path openssl = ToolLookup.tool("openssl");
        Path curl = ToolLookup.tool("curl");
        ResolvedCluster cluster = installed.cluster();
        ResolvedCluster.Worker worker = cluster.workers().get(0);
        Map<String, Object> kubelet = yaml(installed.onHost(worker.name(), "/var/lib/kubelet/kubelet-config.yaml"));
        @SuppressWarnings("unchecked")
        Map<String, Object> x509 = (Map<String, Object>) ((Map<String, Object>) kubelet.get("authentication"))
                .get("x509");
        String controller = cluster.controllers().get(0).name();
        SystemdUnit apiServer = installed.unit(controller, "kube-apiserver");
        Path controllerRoot = installed.root(controller);
        assertTrue(apiServer.flag("kubelet-preferred-address-types").startsWith("InternalIP"),
                "kube-apiserver dials the kubelet at its internalIp, which the kubelet certificate names");

        try (NetworkNamespace ns = NetworkNamespace.create("kubelet")) {
            ns.addAddresses(List.of(worker.internalIp()));
            Path log = work.resolve("s_server-kubelet.log");
            ns.start(log, openssl, "s_server", "-accept", worker.internalIp() + ":" + KUBELET_PORT,
                    "-cert", installed.onHost(worker.name(), (String) kubelet.get("tlsCertFile")),
                    "-key", installed.onHost(worker.name(), (String) kubelet.get("tlsPrivateKeyFile")),
                    "-CAfile", installed.onHost(worker.name(), (String) x509.get("clientCAFile")),
                    "-Verify", "1", "-verify_return_error", "-www");
            awaitListening(log);
            String url = "https://" + worker.internalIp() + ":" + KUBELET_PORT + "/";
            String ca = SystemdUnit.under(controllerRoot, apiServer.flag("kubelet-certificate-authority"));

            ProcessRun call = ns.run(CALL, curl, "-sS", "--max-time", "10", "--cacert", ca,
                    "--cert", SystemdUnit.under(controllerRoot, apiServer.flag("kubelet-client-certificate")),
                    "--key", SystemdUnit.under(controllerRoot, apiServer.flag("kubelet-client-key")), url);
            assertTrue(call.succeeded(), call::describe);
            assertTrue(call.output().contains("Subject: CN=kube-apiserver-kubelet-client"),
                    "the kubelet side verified the apiserver's kubelet client certificate:\n" + call.describe());
            assertTrue(Files.readString(log).contains("depth=0 CN = kube-apiserver-kubelet-client"),
                    Files.readString(log));

            ProcessRun anonymous = ns.run(CALL, curl, "-sS", "--max-time", "10", "--cacert", ca, url);
            assertFalse(anonymous.succeeded(), "without a client certificate the handshake must fail:\n"
                    + anonymous.describe());
        }
    }

    private static String kubeconfigServer(Path kubeconfig) {
        Map<String, Object> config = yaml(kubeconfig);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> clusters = (List<Map<String, Object>>) config.get("clusters");
        @SuppressWarnings("unchecked")
        Map<String, Object> cluster = (Map<String, Object>) clusters.get(0).get("cluster");
        return (String) cluster.get("server");
    }

    static Map<String, Object> yaml(Path file) {
        try {
            return new Yaml().load(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** s_server prints ACCEPT once it listens. */
    private static void awaitListening(Path log) throws IOException {
        if (!Poll.opensslListening(log)) {
            fail("openssl s_server did not start listening within 15 s:\n" + Files.readString(log));
        }
    }
}
