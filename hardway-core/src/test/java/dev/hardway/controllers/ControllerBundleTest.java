package dev.hardway.controllers;

import dev.hardway.testing.ProcessRun;
import dev.hardway.testing.ToolLookup;

import dev.hardway.api.GenerationRequest;
import dev.hardway.api.Hardway;
import dev.hardway.api.RenderedCluster;
import dev.hardway.artifacts.ClusterAddons;
import dev.hardway.model.ResolvedCluster;
import dev.hardway.pki.Pem;
import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.hardway.testing.ProcessRun.argv;

/**
 * samples/ha's controller bundles as installed by their own install.sh: the add-on manifests parse and carry the
 * cluster's names and addresses, the pieces that must agree across files do, and install.sh is idempotent under
 * --root and shellcheck-clean.
 */
class ControllerBundleTest {
    private static final Duration CALL = Duration.ofSeconds(60);

    @TempDir
    static Path work;
    private static InstalledCluster installed;
    private static ResolvedCluster cluster;
    private static String first;

    @BeforeAll
    static void install() {
        installed = InstalledCluster.install("ha", work);
        cluster = installed.cluster();
        first = cluster.controllers().get(0).name();
    }

    @Test
    void haSample_coreDnsManifest_servesTheClusterDnsAddressAndDomainTheKubeletsUse() {
        List<Map<String, Object>> docs = yamlDocuments(installed.onHost(first, ClusterAddons.COREDNS));
        Map<String, Map<String, Object>> byKind = docs.stream()
                .collect(Collectors.toMap(d -> (String) d.get("kind"), d -> d, (a, b) -> a, TreeMap::new));
        assertEquals(List.of("ClusterRole", "ClusterRoleBinding", "ConfigMap", "Deployment", "Service",
                "ServiceAccount"), List.copyOf(byKind.keySet()));

        Map<String, Object> service = byKind.get("Service");
        assertEquals("kube-dns", get(service, "metadata", "name"));
        assertEquals("kube-system", get(service, "metadata", "namespace"));
        assertEquals(cluster.clusterDns(), get(service, "spec", "clusterIP"));
        List<String> ports = maps(service, "spec", "ports").stream()
                .map(p -> p.get("port") + "/" + p.get("protocol")).toList();
        assertEquals(List.of("53/UDP", "53/TCP", "9153/TCP"), ports);

        Map<String, Object> deployment = byKind.get("Deployment");
        Map<String, Object> podLabels = typed(deployment, "spec", "template", "metadata", "labels");
        assertEquals(get(service, "spec", "selector"), podLabels, "kube-dns selects the CoreDNS pods");
        assertEquals(get(deployment, "spec", "selector", "matchLabels"), podLabels);
        Map<String, Object> container = maps(deployment, "spec", "template", "spec", "containers").get(0);
        assertEquals("registry.k8s.io/coredns/coredns:v" + cluster.release().coreDnsVersion(), container.get("image"));
        assertEquals(get(byKind.get("ServiceAccount"), "metadata", "name"),
                get(deployment, "spec", "template", "spec", "serviceAccountName"));
        assertEquals("Default", get(deployment, "spec", "template", "spec", "dnsPolicy"),
                "CoreDNS resolves upstream with the node's resolvers, not with itself");
        Map<String, Object> volume = maps(deployment, "spec", "template", "spec", "volumes").get(0);
        assertEquals(get(byKind.get("ConfigMap"), "metadata", "name"), get(volume, "configMap", "name"));

        String corefile = typed(byKind.get("ConfigMap"), "data", "Corefile");
        assertTrue(corefile.contains("kubernetes " + cluster.clusterDomain() + " in-addr.arpa ip6.arpa {"), corefile);
        assertTrue(corefile.contains("forward . /etc/resolv.conf"), corefile);

        Map<String, Object> binding = byKind.get("ClusterRoleBinding");
        assertEquals(get(byKind.get("ClusterRole"), "metadata", "name"), get(binding, "roleRef", "name"));
        Map<String, Object> subject = maps(binding, "subjects").get(0);
        assertEquals(get(byKind.get("ServiceAccount"), "metadata", "name"), subject.get("name"));
        assertEquals(get(byKind.get("ServiceAccount"), "metadata", "namespace"), subject.get("namespace"));

        for (ResolvedCluster.Worker worker : cluster.workers()) {
            Map<String, Object> kubelet = yamlDocuments(
                    installed.onHost(worker.name(), "/var/lib/kubelet/kubelet-config.yaml")).get(0);
            assertEquals(List.of(get(service, "spec", "clusterIP")), kubelet.get("clusterDNS"), worker.name());
            assertEquals(cluster.clusterDomain(), kubelet.get("clusterDomain"), worker.name());
        }
    }

    @Test
    void haSample_kubeletApiRbac_bindsTheUserOfTheApiServersKubeletClientCertificate() throws IOException {
        List<Map<String, Object>> docs = yamlDocuments(installed.onHost(first, ClusterAddons.KUBELET_API_ACCESS));
        assertEquals(List.of("ClusterRole", "ClusterRoleBinding"), docs.stream().map(d -> d.get("kind")).toList());
        Map<String, Object> role = docs.get(0);
        Map<String, Object> binding = docs.get(1);
        Map<String, Object> rule = maps(role, "rules").get(0);
        assertEquals(List.of(""), rule.get("apiGroups"));
        assertTrue(((List<?>) rule.get("resources")).containsAll(List.of("nodes/proxy", "nodes/log", "nodes/stats",
                "nodes/metrics")), rule::toString);
        assertEquals(get(role, "metadata", "name"), get(binding, "roleRef", "name"));

        SystemdUnit apiServer = installed.unit(first, "kube-apiserver");
        X509Certificate client = Pem.certificate(Files.readString(
                installed.onHost(first, apiServer.flag("kubelet-client-certificate"))));
        Map<String, Object> subject = maps(binding, "subjects").get(0);
        assertEquals("User", subject.get("kind"));
        assertEquals(client.getSubjectX500Principal().getName(), "CN=" + subject.get("name"),
                "the binding names exactly the user of --kubelet-client-certificate, and that certificate has no "
                        + "group (system:masters would bypass RBAC)");
    }

    @Test
    void haSample_encryptionConfig_holdsTheSame32ByteSecretboxKeyOnEveryControllerAndKeepsItAcrossRuns()
            throws IOException {
        byte[] persisted = Files.readAllBytes(installed.pki().resolve("encryption-key"));
        assertEquals(32, persisted.length);
        List<String> texts = new ArrayList<>();
        for (ResolvedCluster.Node controller : cluster.controllers()) {
            Path file = installed.onHost(controller.name(), installed.unit(controller.name(), "kube-apiserver")
                    .flag("encryption-provider-config"));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            texts.add(Files.readString(file));
            Map<String, Object> config = yamlDocuments(file).get(0);
            assertEquals("apiserver.config.k8s.io/v1", config.get("apiVersion"));
            assertEquals("EncryptionConfiguration", config.get("kind"));
            Map<String, Object> resources = maps(config, "resources").get(0);
            assertEquals(List.of("secrets"), resources.get("resources"));
            List<Map<String, Object>> providers = typed(resources, "providers");
            assertEquals(List.of("secretbox", "identity"), providers.stream()
                    .map(p -> p.keySet().iterator().next()).toList(), "encrypt with secretbox, still read plain");
            Map<String, Object> key = maps(providers.get(0), "secretbox", "keys").get(0);
            assertArrayEquals(persisted, Base64.getDecoder().decode((String) key.get("secret")));
        }
        assertEquals(1, texts.stream().distinct().count(), "every kube-apiserver must decrypt what the others wrote");

        RenderedCluster again = Hardway.render(GenerationRequest.builder().specFile(TestClusters.sample("ha"))
                .pkiDirectory(installed.pki()).build());
        assertEquals(texts.get(0), again.bundle(first).file("/etc/kubernetes/encryption-config.yaml").text(),
                "a re-run reuses the persisted key: a new one would make every stored Secret unreadable");
    }

    @Test
    void haSample_componentKubeconfigs_reachTheLocalApiServerAsTheirDefaultRbacUsers() {
        Path kubectl = ToolLookup.debian13("kubectl");
        Map<String, String> kubeconfigUsers = Map.of(
                "/etc/kubernetes/kube-controller-manager.kubeconfig", "CN=system:kube-controller-manager",
                "/etc/kubernetes/kube-scheduler.kubeconfig", "CN=system:kube-scheduler",
                "/etc/kubernetes/admin.kubeconfig", "CN=admin,O=kubeadm:cluster-admins",
                "/etc/kubernetes/super-admin.kubeconfig", "CN=super-admin,O=system:masters");
        kubeconfigUsers.forEach((path, subject) -> {
            Path kubeconfig = installed.onHost(first, path);
            ProcessRun server = ProcessRun.run(CALL, argv(kubectl, "config", "view", "--kubeconfig", kubeconfig,
                    "-o", "jsonpath={.clusters[0].cluster.server}"));
            assertTrue(server.succeeded(), server::describe);
            assertEquals("https://127.0.0.1:6443", server.output().strip(), path);
            ProcessRun cert = ProcessRun.run(CALL, argv(kubectl, "config", "view", "--raw", "--kubeconfig",
                    kubeconfig, "-o", "jsonpath={.users[0].user.client-certificate-data}"));
            assertTrue(cert.succeeded(), cert::describe);
            try {
                X509Certificate x509 = Pem.certificate(new String(Base64.getDecoder().decode(cert.output().strip())));
                assertEquals(subject, x509.getSubjectX500Principal().getName(), path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        SystemdUnit scheduler = installed.unit(first, "kube-scheduler");
        Map<String, Object> config = yamlDocuments(installed.onHost(first, scheduler.flag("config"))).get(0);
        assertEquals("kubescheduler.config.k8s.io/v1", config.get("apiVersion"));
        assertEquals(Boolean.TRUE, get(config, "leaderElection", "leaderElect"));
        assertEquals("/etc/kubernetes/kube-scheduler.kubeconfig", get(config, "clientConnection", "kubeconfig"));
        Map<String, String> kcm = installed.unit(first, "kube-controller-manager").flags();
        assertEquals(cluster.clusterCidr(), kcm.get("cluster-cidr"));
        assertEquals(cluster.serviceCidr(), kcm.get("service-cluster-ip-range"));
        assertEquals("true", kcm.get("leader-elect"));
        assertEquals(cluster.serviceCidr(), installed.unit(first, "kube-apiserver").flag("service-cluster-ip-range"));
    }

    @Test
    void haSample_controllerInstallScript_secondRootRunRewritesNothing() throws IOException {
        Path root = installed.root(first);
        String firstRun = installed.installOutput(first);
        assertTrue(lastLine(firstRun).matches("[1-9]\\d* changed, 0 unchanged"), firstRun);
        assertTrue(firstRun.contains("--root: skipped applying the cluster add-ons"), firstRun);
        Map<Path, FileTime> before = mtimes(root);

        ProcessRun again = installed.installScript(first, "--root", root);
        assertTrue(again.succeeded(), again::describe);
        int files = installed.result().rendered().bundle(first).files().size();
        Matcher summary = Pattern.compile("0 changed, (\\d+) unchanged").matcher(lastLine(again.output()));
        assertTrue(summary.matches(), again.output());
        assertTrue(Integer.parseInt(summary.group(1)) >= files, "all " + files + " files are counted unchanged:\n"
                + again.output());
        assertEquals(before, mtimes(root), "no file was rewritten");
        for (String dir : List.of("/var/lib/etcd", "/var/log/kubernetes")) {
            assertEquals("rwx------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(installed.onHost(first, dir))), dir);
        }

        Path fresh = Files.createDirectories(work.resolve("dry-run-root"));
        ProcessRun dryRun = installed.installScript(first, "--root", fresh, "--dry-run");
        assertTrue(dryRun.succeeded(), dryRun::describe);
        try (Stream<Path> written = Files.list(fresh)) {
            assertEquals(0, written.count(), "--dry-run wrote nothing");
        }
        assertTrue(lastLine(dryRun.output()).matches("[1-9]\\d* changed, 0 unchanged.*"), dryRun.output());
        assertTrue(dryRun.output().contains("would write /etc/kubernetes/pki/apiserver.key"), dryRun.output());
    }

    @Test
    void haSample_membersUnit_isStatic_andTheBootSymlinkOfAnEarlierVersionIsRemoved() throws IOException {
        String node = cluster.controllers().get(1).name();
        Path root = installed.root(node);
        String unit = "hardway-etcd-members.service";
        // systemctl --root reads the unit files and symlinks under root, as the host's systemd would at boot
        assertEquals("static", isEnabled(root, unit), "no boot reconciles with a members file that may be stale");

        // what "systemctl enable" made of an earlier version's WantedBy=multi-user.target
        Path wants = Files.createDirectories(root.resolve("etc/systemd/system/multi-user.target.wants"));
        Files.createSymbolicLink(wants.resolve(unit), Path.of("/etc/systemd/system/" + unit));
        assertEquals("enabled", isEnabled(root, unit), "the symlink alone still starts it at boot");

        ProcessRun upgrade = installed.installScript(node, "--root", root);
        assertTrue(upgrade.succeeded(), upgrade::describe);
        assertTrue(upgrade.output().contains("remove /etc/systemd/system/multi-user.target.wants/" + unit
                + " (no longer part of the bundle)"), upgrade.output());
        assertEquals("static", isEnabled(root, unit));
        ProcessRun again = installed.installScript(node, "--root", root);
        assertTrue(again.succeeded(), again::describe);
        assertTrue(lastLine(again.output()).startsWith("0 changed,"), again.output());
    }

    /** {@code systemctl is-enabled} of a unit under {@code root} (exit status aside: "disabled" exits 1). */
    private static String isEnabled(Path root, String unit) {
        return ProcessRun.run(CALL, argv("systemctl", "--root=" + root, "is-enabled", unit)).output().strip();
    }

    @Test
    void haSample_controllerInstallScripts_areShellcheckClean() {
        Path shellcheck = ToolLookup.tool("shellcheck");
        for (ResolvedCluster.Node controller : cluster.controllers()) {
            Path script = work.resolve("bundles").resolve(controller.name()).resolve("install.sh");
            ProcessRun check = ProcessRun.run(CALL, argv(shellcheck, script));
            assertTrue(check.succeeded(), check::describe);
        }
        assertFalse(installed.result().rendered().bundle(cluster.controllers().get(1).name()).appliesAddons(),
                "only the first controller applies the add-ons");
    }

    private static String lastLine(String output) {
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        return lines.get(lines.size() - 1);
    }

    private static Map<Path, FileTime> mtimes(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            Map<Path, FileTime> out = new TreeMap<>();
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p), Files.getLastModifiedTime(p));
            }
            return out;
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> yamlDocuments(Path file) {
        try {
            List<Map<String, Object>> docs = new ArrayList<>();
            for (Object doc : new Yaml().loadAll(Files.readString(file))) {
                docs.add((Map<String, Object>) doc);
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value at {@code path} in nested YAML maps. */
    @SuppressWarnings("unchecked")
    private static Object get(Map<String, Object> map, String... path) {
        Object current = map;
        for (String key : path) {
            assertTrue(current instanceof Map, "no " + String.join(".", path) + " in " + map);
            current = ((Map<String, Object>) current).get(key);
        }
        return current;
    }

    /** A list of maps at {@code path}, as Kubernetes lists (ports, containers, subjects) are. */
    private static List<Map<String, Object>> maps(Map<String, Object> map, String... path) {
        return typed(map, path);
    }

    /** {@link #get}, as the type the caller expects. */
    @SuppressWarnings("unchecked")
    private static <T> T typed(Map<String, Object> map, String... path) {
        return (T) get(map, path);
    }
}
