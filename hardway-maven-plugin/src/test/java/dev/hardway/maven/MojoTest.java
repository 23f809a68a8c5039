package dev.hardway.maven;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hardway.model.ResolvedCluster;
import dev.hardway.model.SpecLoader;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The goals as Maven calls them, on a scratch infra repo, with their parameters set as Maven would. */
class MojoTest {
    @TempDir
    Path project;
    final RecordingLog log = new RecordingLog();

    @BeforeEach
    void infraRepo() throws IOException {
        Path sample = Path.of(System.getProperty("hardway.repositoryRoot"), "samples", "minimal", "cluster.yaml");
        Files.copy(sample, project.resolve("cluster.yaml"));
    }

    private <M extends AbstractSpecMojo> M configure(M mojo) {
        mojo.basedir = project.toFile();
        mojo.spec = project.resolve("cluster.yaml").toFile();
        mojo.setLog(log);
        return mojo;
    }

    private GenerateMojo generate() {
        GenerateMojo mojo = configure(new GenerateMojo());
        mojo.pkiDirectory = project.resolve("pki").toFile();
        mojo.goldenDirectory = project.resolve("golden").toFile();
        mojo.outputDirectory = project.resolve("target/hardway").toFile();
        return mojo;
    }

    private VerifyMojo verify() {
        VerifyMojo mojo = configure(new VerifyMojo());
        mojo.pkiDirectory = project.resolve("pki").toFile();
        mojo.goldenDirectory = project.resolve("golden").toFile();
        return mojo;
    }

    private PlanMojo plan() {
        PlanMojo mojo = configure(new PlanMojo());
        mojo.pkiDirectory = project.resolve("pki").toFile();
        mojo.goldenDirectory = project.resolve("golden").toFile();
        return mojo;
    }

    private CheckCertsMojo checkCerts(int threshold) {
        CheckCertsMojo mojo = new CheckCertsMojo();
        mojo.basedir = project.toFile();
        mojo.pkiDirectory = project.resolve("pki").toFile();
        mojo.spec = project.resolve("cluster.yaml").toFile();
        mojo.reportFile = project.resolve("target/hardway/certificates.json").toFile();
        mojo.format = "text";
        mojo.threshold = threshold;
        mojo.setLog(log);
        return mojo;
    }

    @Test
    void generate_writesBundlesPkiAndGoldenAndLogsWhatItDid() throws Exception {
        generate().execute();

        assertTrue(Files.isRegularFile(project.resolve("target/hardway/worker-0.tar.gz")));
        assertTrue(Files.isRegularFile(project.resolve("pki/ca.crt")));
        assertTrue(Files.isRegularFile(project.resolve("golden/worker-0/FILES")));
        String text = log.text();
        assertTrue(text.contains("[INFO] Cluster demo (Kubernetes 1.32.3): 1 controller, 1 worker, from cluster.yaml"),
                text);
        assertTrue(text.contains("[DEBUG] PKI pki: created ca"), "more than 10 changes: names at debug\n" + text);
        assertTrue(text.matches("(?s).*\\[INFO\\] PKI pki: \\d+ created, 0 reissued, 0 reused.*"), text);
        assertTrue(text.contains("[INFO] Outputs target/hardway: 3 written, 0 unchanged, 0 removed; report in "
                + "target/hardway/report.json"), text);
        assertTrue(text.contains("[DEBUG] Wrote target/hardway/worker-0.tar.gz"), text);
        assertTrue(text.contains("[INFO] Render: 2 nodes"), text);
        assertTrue(text.contains("[INFO] Golden snapshot golden: "), text);
        assertFalse(text.contains("PRIVATE KEY") || text.contains("BEGIN"), "no key material in the log:\n" + text);
    }

    @Test
    void generate_caExpiringWithinAYear_warns() throws Exception {
        Files.writeString(project.resolve("cluster.yaml"), Files.readString(project.resolve("cluster.yaml"))
                + "pki:\n  caValidityDays: 300\n  validityDays: 100\n");
        generate().execute();

        generate().execute();

        assertTrue(log.text().contains("[WARNING] the CA ca expires on "), log.text());
    }

    @Test
    void generate_skip_logsWhyAndWritesNothing() throws Exception {
        GenerateMojo mojo = generate();
        mojo.skip = true;

        mojo.execute();

        assertEquals("[INFO] Skipping hardway:generate because hardway.skip is true", log.text());
        assertFalse(Files.exists(project.resolve("pki")));
        assertFalse(Files.exists(project.resolve("golden")));
    }

    @Test
    void generate_invalidSpec_isABuildFailureWithTheValidationMessages() throws IOException {
        Files.writeString(project.resolve("cluster.yaml"), Files.readString(project.resolve("cluster.yaml"))
                .replace("clusterDns: 10.32.0.10", "clusterDns: 10.99.0.10"));

        MojoFailureException e = assertThrows(MojoFailureException.class, () -> generate().execute());

        assertTrue(e.getMessage().contains("cluster.yaml:11:3: network.clusterDns: 10.99.0.10 is not inside "
                + "network.serviceCidr"), e.getMessage());
        assertFalse(Files.exists(project.resolve("pki")));
    }

    @Test
    void generate_outputDirectoryIsAFile_isABuildFailureNamingIt() throws Exception {
        Files.createDirectories(project.resolve("target"));
        Files.writeString(project.resolve("target/hardway"), "in the way");

        // an output directory the user can fix is a mistake of the build's (OutputException), not a plugin error
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> generate().execute());
        assertTrue(e.getMessage().contains("target/hardway"), e.getMessage());
    }

    @Test
    void verify_afterGenerate_passesAndAfterAnEditFailsWithTheDiff() throws Exception {
        generate().execute();
        verify().execute();
        assertTrue(log.text().contains("[INFO] Golden snapshot golden matches cluster.yaml"), log.text());

        Files.writeString(project.resolve("cluster.yaml"), Files.readString(project.resolve("cluster.yaml"))
                .replace("clusterDns: 10.32.0.10", "clusterDns: 10.32.0.53"));
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> verify().execute());

        assertTrue(e.getMessage().contains("--- a/worker-0/var/lib/kubelet/kubelet-config.yaml"), e.getMessage());
        assertTrue(e.getMessage().strip().endsWith("commit it with cluster.yaml."), e.getMessage());
    }

    @Test
    void checkCerts_freshPki_printsTheTableAndPasses() throws Exception {
        generate().execute();

        checkCerts(30).execute();

        assertTrue(log.text().contains("[INFO] CERTIFICATE AUTHORITY   EXPIRES"), log.text());
        assertTrue(log.text().contains("[INFO] No certificate expires within 30 days"), log.text());
    }

    @Test
    void checkCerts_thresholdBeyondTheLeavesValidity_failsNamingThem() throws Exception {
        generate().execute();

        MojoFailureException e = assertThrows(MojoFailureException.class, () -> checkCerts(400).execute());

        assertTrue(e.getMessage().contains("  kubelet-worker-0: expires on "), e.getMessage());
        // generate would renew none of them: the threshold is longer than a leaf lives
        assertTrue(e.getMessage().contains("pki.renewBeforeDays (30 days)"), e.getMessage());
        assertTrue(e.getMessage().contains("The threshold is at least as long as a leaf certificate lives (pki.validityDays: "
                + "365): check with a threshold of 30 days, when generate renews."), e.getMessage());
    }

    @Test
    void checkCerts_renewBeforeDaysShorterThanTheThreshold_saysGenerateWouldNotRenewYet() throws Exception {
        Path spec = project.resolve("cluster.yaml");
        Files.writeString(spec, Files.readString(spec) + "pki:\n  validityDays: 25\n  renewBeforeDays: 10\n");
        generate().execute();

        MojoFailureException e = assertThrows(MojoFailureException.class, () -> checkCerts(30).execute());

        assertTrue(e.getMessage().matches("(?s).*\\d+ of these are not due for renewal yet: pki.renewBeforeDays "
                + "\\(10\\) is shorter than this check's threshold \\(30 days\\), so generate leaves them alone "
                + "until then\\. The threshold is at least as long as a leaf certificate lives \\(pki.validityDays: "
                + "25\\): check with a threshold of 10 days, when generate renews\\..*"),
                e.getMessage());
    }

    @Test
    void checkCerts_noPki_isABuildFailureWithAHint() {
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> checkCerts(30).execute());

        assertTrue(e.getMessage().contains("generate the cluster first"), e.getMessage());
    }

    @Test
    void planVerifyGenerateCheckCerts_pkiDirectoryIsAFile_failBeforeReadingItAsAnEmptyPki() throws Exception {
        Files.writeString(project.resolve("pki"), "in the way");
        PlanMojo plan = plan();
        VerifyMojo verify = verify();
        GenerateMojo generate = generate();
        CheckCertsMojo checkCerts = checkCerts(30);

        for (AbstractHardwayMojo goal : List.of(plan, verify, generate, checkCerts)) {
            MojoFailureException e = assertThrows(MojoFailureException.class, goal::execute, goal.goal());
            assertTrue(e.getMessage().startsWith("pkiDirectory: " + project.resolve("pki") + " is a file; "),
                    goal.goal() + ": " + e.getMessage());
        }
        assertFalse(Files.exists(project.resolve("golden")));
    }

    @Test
    void generatePlanVerify_misspelledTemplateOverride_warnNamingItAndTheBuiltInMeant() throws Exception {
        Path templates = project.resolve("templates");
        Files.createDirectories(templates.resolve("kubelet"));
        Files.writeString(templates.resolve("kubelet/kubelet-conf.yaml.ftl"), "# mine\n");
        GenerateMojo generate = generate();
        PlanMojo plan = plan();
        VerifyMojo verify = verify();
        String warning = "[WARNING] templateDirectory: kubelet/kubelet-conf.yaml.ftl in " + templates
                + " replaces no built-in template, so it changes nothing; the nearest built-in template is "
                + "kubelet/kubelet-config.yaml.ftl";

        for (AbstractSpecMojo goal : List.of(generate, plan, verify)) {
            goal.templateDirectory = templates.toFile();
            log.lines.clear();
            goal.execute();
            assertTrue(log.text().contains(warning), goal.goal() + ": " + log.text());
        }
    }

    @Test
    void plan_specIsADirectory_saysSo() {
        PlanMojo plan = plan();
        plan.spec = project.toFile();

        MojoFailureException e = assertThrows(MojoFailureException.class, plan::execute);

        assertTrue(e.getMessage().startsWith("spec: " + project + " is a directory, not a file"), e.getMessage());
    }

    @Test
    void checkCerts_negativeThreshold_isABuildFailure() {
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> checkCerts(-1).execute());

        assertTrue(e.getMessage().startsWith("threshold: -1"), e.getMessage());
    }

    @Test
    void generate_generateSkip_logsTheGoalsPropertyAndWritesNothing() throws Exception {
        GenerateMojo mojo = generate();
        mojo.generateSkip = true;

        mojo.execute();

        assertEquals("[INFO] Skipping hardway:generate because hardway.generate.skip is true", log.text());
        assertFalse(Files.exists(project.resolve("pki")));
        assertFalse(Files.exists(project.resolve("target")));
    }

    @Test
    void verify_verifySkip_skipsEvenWithoutASnapshot() throws Exception {
        VerifyMojo mojo = verify();
        mojo.verifySkip = true;

        mojo.execute();

        assertEquals("[INFO] Skipping hardway:verify because hardway.verify.skip is true", log.text());
    }

    @Test
    void verify_globalSkip_wins() throws Exception {
        VerifyMojo mojo = verify();
        mojo.skip = true;

        mojo.execute();

        assertEquals("[INFO] Skipping hardway:verify because hardway.skip is true", log.text());
    }

    @Test
    void checkCerts_checkCertsSkip_skipsEvenWithoutAPki() throws Exception {
        CheckCertsMojo mojo = checkCerts(30);
        mojo.checkCertsSkip = true;

        mojo.execute();

        assertEquals("[INFO] Skipping hardway:check-certs because hardway.checkCerts.skip is true", log.text());
    }

    @Test
    void plan_planSkip_logsWhy() throws Exception {
        PlanMojo mojo = plan();
        mojo.planSkip = true;

        mojo.execute();

        assertEquals("[INFO] Skipping hardway:plan because hardway.plan.skip is true", log.text());
    }

    @Test
    void generate_otherGoalsSkip_doNotSkipIt() throws Exception {
        generate().execute();

        assertTrue(Files.isRegularFile(project.resolve("target/hardway/report.json")));
    }

    @Test
    void plan_changedClusterDns_showsTheChangedLineAndTheRestartPerNodeAndWritesNothing() throws Exception {
        generate().execute();
        Map<String, String> golden = tree("golden");
        Map<String, String> pki = tree("pki");
        Files.writeString(project.resolve("cluster.yaml"), Files.readString(project.resolve("cluster.yaml"))
                .replace("clusterDns: 10.32.0.10", "clusterDns: 10.32.0.53"));
        log.lines.clear();

        plan().execute();

        String text = log.text();
        assertTrue(text.contains("[INFO] worker-0: 1 file changed, 0 added, 0 removed; restarts kubelet"), text);
        assertTrue(text.contains("[INFO]   --- a/worker-0/var/lib/kubelet/kubelet-config.yaml"), text);
        assertTrue(text.contains("[INFO]   -  - \"10.32.0.10\""), text);
        assertTrue(text.contains("[INFO]   +  - \"10.32.0.53\""), text);
        assertTrue(text.contains("[INFO] controller-0: 1 file changed, 0 added, 0 removed; restarts nothing"), text);
        assertTrue(text.contains("[INFO]   +  clusterIP: \"10.32.0.53\""), "CoreDNS's service address:\n" + text);
        assertTrue(text.contains("[INFO] 2 of 2 nodes change, 0 unchanged"), text);
        assertTrue(text.indexOf("controller-0:") < text.indexOf("worker-0:"), text);
        assertEquals(golden, tree("golden"), "plan writes nothing");
        assertEquals(pki, tree("pki"), "plan writes nothing");
    }

    @Test
    void plan_aWorkerJoinsAndLeaves_isSaidSo_withItsFilesAddedOrRemoved_notAnInstallerDiff() throws Exception {
        Path spec = project.resolve("cluster.yaml");
        String one = Files.readString(spec);
        String two = one.replace("    podCidr: 10.200.0.0/24\n",
                "    podCidr: 10.200.0.0/24\n  - name: worker-1\n    internalIp: 10.240.0.21\n");
        assertTrue(two.contains("worker-1"), two);
        generate().execute();
        Files.writeString(spec, two);
        log.lines.clear();

        plan().execute();

        String joins = log.text();
        assertTrue(joins.matches("(?s).*\\[INFO] worker-1 \\(joins the cluster\\): 0 files changed, \\d+ added, 0 "
                + "removed; restarts .*"), joins);
        assertFalse(joins.contains("a/worker-1/install.sh"), "a new node had no installer before:\n" + joins);
        assertTrue(joins.contains("[INFO]   + /var/lib/kubelet/kubelet.crt"), joins);
        assertTrue(joins.contains("PKI: would issue kubelet-worker-1"), joins);
        assertTrue(joins.contains("[INFO] 3 of 3 nodes change (1 joins), 0 unchanged"), joins);

        generate().execute();
        Files.writeString(spec, one);
        log.lines.clear();

        plan().execute();

        String leaves = log.text();
        assertTrue(leaves.matches("(?s).*\\[INFO] worker-1 \\(leaves the cluster\\): 0 files changed, 0 added, "
                + "\\d+ removed; restarts nothing.*"), leaves);
        assertFalse(leaves.contains("b/worker-1/install.sh"), "a removed node has no installer after:\n" + leaves);
        assertTrue(leaves.contains("PKI: would remove kubelet-worker-1"), leaves);
        assertTrue(leaves.contains("nodes change, 0 unchanged; 1 leaves the cluster"), leaves);
    }

    @Test
    void planAndGenerate_nextMinor_logTheUpgradeOrder_aSkippedMinorFailsNamingTheLine() throws Exception {
        Path spec = project.resolve("cluster.yaml");
        String yaml = Files.readString(spec);
        Files.writeString(spec, yaml.replaceFirst("(?m)^kubernetesVersion: .*$", "kubernetesVersion: 1.33.2"));
        generate().execute();
        Files.writeString(spec, yaml.replaceFirst("(?m)^kubernetesVersion: .*$", "kubernetesVersion: 1.34.1"));
        log.lines.clear();

        plan().execute();
        String planned = log.text();
        assertTrue(planned.contains("[INFO] Upgrade 1.33.2 -> 1.34.1: install the bundles in this order"), planned);
        assertTrue(planned.contains("[INFO]   1. etcd 3.5.21 -> 3.6.4: controller-0"), planned);
        assertTrue(planned.contains("[INFO]   3. workers, once every controller runs 1.34: worker-0"), planned);
        log.lines.clear();

        generate().execute();
        assertTrue(log.text().contains("[INFO]   2. controllers, one at a time: controller-0"), log.text());
        log.lines.clear();
        generate().execute();
        assertFalse(log.text().contains("Upgrade"), "a rerun is no upgrade:\n" + log.text());

        Files.writeString(spec, yaml.replaceFirst("(?m)^kubernetesVersion: .*$", "kubernetesVersion: 1.36.0"));
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> generate().execute());
        assertTrue(e.getMessage().contains("kubernetesVersion: 1.36.0 skips Kubernetes 1.35"), e.getMessage());
    }

    @Test
    void plan_haClusterDnsChange_showsTheSharedDiffOnceAndTheRestartOnEveryWorker() throws Exception {
        Files.copy(Path.of(System.getProperty("hardway.repositoryRoot"), "samples", "ha", "cluster.yaml"),
                project.resolve("cluster.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        generate().execute();
        String dns = Files.readString(project.resolve("cluster.yaml"))
                .replaceFirst("clusterDns: (\\S+)", "clusterDns: 10.32.0.53");
        Files.writeString(project.resolve("cluster.yaml"), dns);
        log.lines.clear();

        plan().execute();

        String text = log.text();
        for (String worker : List.of("worker-0", "worker-1", "worker-2")) {
            assertTrue(text.contains("[INFO] " + worker + ": 1 file changed, 0 added, 0 removed; restarts kubelet"),
                    text);
        }
        assertEquals(1, text.split("\\+  - \"10.32.0.53\"", -1).length - 1, "the diff once:\n" + text);
        assertTrue(text.contains("[INFO]   /var/lib/kubelet/kubelet-config.yaml: the same change as on worker-0"), text);
        assertTrue(text.indexOf("worker-0:") < text.indexOf("worker-2:"), text);
    }

    @Test
    void plan_unchangedSpec_saysNoNodeChanges() throws Exception {
        generate().execute();
        log.lines.clear();

        plan().execute();

        assertTrue(log.text().endsWith("[INFO] No node changes: the golden snapshot matches (2 nodes)"), log.text());
    }

    @Test
    void generate_reportJson_describesTheGeneratedClusterAndARerun() throws Exception {
        generate().execute();

        JsonNode first = new ObjectMapper().readTree(project.resolve("target/hardway/report.json").toFile());
        ResolvedCluster cluster = new SpecLoader().load(project.resolve("cluster.yaml"));
        assertEquals(1, first.get("schemaVersion").asInt());
        assertEquals("hardway-generate", first.get("kind").asText());
        assertEquals(cluster.name(), first.at("/cluster/name").asText());
        List<String> nodes = new ArrayList<>();
        first.get("nodes").forEach(n -> nodes.add(n.get("name").asText()));
        List<String> expected = new ArrayList<>();
        cluster.controllers().forEach(c -> expected.add(c.name()));
        cluster.workers().forEach(w -> expected.add(w.name()));
        assertEquals(expected, nodes);
        JsonNode worker = first.get("nodes").get(1);
        assertEquals("written", worker.get("bundleStatus").asText());
        assertTrue(Files.isRegularFile(project.resolve("target/hardway").resolve(worker.get("bundle").asText())));
        assertTrue(strings(worker.at("/files/written")).contains("/var/lib/kubelet/kubelet-config.yaml"),
                worker.toString());
        String manifest = Files.readString(project.resolve("golden/worker-0/FILES"));
        for (String path : strings(worker.at("/files/written"))) {
            assertTrue(path.equals("install.sh") || manifest.contains(" " + path), path + " in\n" + manifest);
        }
        assertTrue(strings(worker.get("restarts")).containsAll(List.of("containerd", "kubelet", "kube-proxy")),
                worker.toString());
        List<String> pkiIds = new ArrayList<>();
        first.get("pki").forEach(p -> {
            assertEquals("issued", p.get("action").asText(), p.toString());
            pkiIds.add(p.get("id").asText());
        });
        try (Stream<Path> crts = Files.list(project.resolve("pki"))) {
            crts.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".crt"))
                    .forEach(n -> assertTrue(pkiIds.contains(n.substring(0, n.length() - 4)), n + " in " + pkiIds));
        }
        assertEquals(pkiIds.size(), first.at("/summary/pkiIssued").asInt());

        // nothing changed: the report stays the first run's, untouched
        java.nio.file.attribute.FileTime written = Files.getLastModifiedTime(
                project.resolve("target/hardway/report.json"));
        generate().execute();
        assertEquals(written, Files.getLastModifiedTime(project.resolve("target/hardway/report.json")));

        GenerateMojo forced = generate();
        forced.force = true;
        forced.execute();

        JsonNode second = new ObjectMapper().readTree(project.resolve("target/hardway/report.json").toFile());
        for (JsonNode n : second.get("nodes")) {
            assertEquals("unchanged", n.get("bundleStatus").asText(), n.toString());
            assertEquals(0, n.at("/files/written").size(), n.toString());
            assertEquals(0, n.get("restarts").size(), n.toString());
        }
        second.get("pki").forEach(p -> assertEquals("reused", p.get("action").asText(), p.toString()));
        assertEquals(0, second.at("/summary/filesWritten").asInt());
    }

    @Test
    void checkCerts_jsonFormat_listsEveryCertificateWithItsNodesAndExpiry() throws Exception {
        generate().execute();
        CheckCertsMojo mojo = checkCerts(30);
        mojo.format = "json";

        mojo.execute();

        JsonNode report = new ObjectMapper().readTree(project.resolve("target/hardway/certificates.json").toFile());
        assertEquals(1, report.get("schemaVersion").asInt());
        assertEquals("hardway-check-certs", report.get("kind").asText());
        assertTrue(report.get("passes").asBoolean());
        assertEquals(30, report.get("thresholdDays").asInt());
        List<String> names = new ArrayList<>();
        JsonNode kubelet = null;
        for (JsonNode c : report.get("certificates")) {
            names.add(c.get("name").asText());
            assertTrue(Files.isRegularFile(Path.of(c.get("path").asText())), c.toString());
            assertEquals("ok", c.get("status").asText(), c.toString());
            for (String field : List.of("subject", "issuer", "notAfter", "daysLeft", "authority", "nodes")) {
                assertTrue(c.has(field), field + " in " + c);
            }
            if (c.get("name").asText().equals("kubelet-worker-0")) {
                kubelet = c;
            }
        }
        List<String> crts;
        try (Stream<Path> files = Files.list(project.resolve("pki"))) {
            crts = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".crt"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        }
        assertEquals(crts, names.stream().sorted().toList());
        assertTrue(kubelet != null, names.toString());
        assertEquals("ca", kubelet.get("issuer").asText());
        long days = kubelet.get("daysLeft").asLong();
        assertTrue(days >= 363 && days <= 365, kubelet.toString());
        assertTrue(kubelet.get("nodes").toString().contains("{\"node\":\"worker-0\",\"path\":\"/var/lib/kubelet/"),
                kubelet.toString());
        JsonNode ca = null;
        for (JsonNode c : report.get("certificates")) {
            ca = c.get("name").asText().equals("ca") ? c : ca;
        }
        assertTrue(ca != null && ca.get("authority").asBoolean(), String.valueOf(ca));
        assertTrue(ca.get("nodes").toString().contains("\"node\":\"controller-0\""), ca.toString());
        assertTrue(ca.get("nodes").toString().contains("{\"node\":\"worker-0\",\"path\":\"/var/lib/kubelet/ca.crt\"}"),
                "the CA is on every node: " + ca);
    }

    @Test
    void generate_afterAWorkerLeft_logsItsCertificateRemoved_andCheckCertsNoLongerListsIt() throws Exception {
        Path spec = project.resolve("cluster.yaml");
        String minimal = Files.readString(spec);
        Files.writeString(spec, minimal + "  - name: worker-1\n    internalIp: 10.240.0.21\n");
        generate().execute();
        Files.writeString(spec, minimal);
        log.lines.clear();

        generate().execute();

        String text = log.text();
        assertTrue(text.contains("[INFO] PKI pki: removed kubelet-worker-1 (no longer in the spec)"), text);
        assertTrue(text.matches("(?s).*\\[INFO\\] PKI pki: 0 created, 0 reissued, \\d+ reused, 1 removed\n.*"), text);
        assertFalse(Files.exists(project.resolve("pki/kubelet-worker-1.key")));
        log.lines.clear();
        checkCerts(30).execute();
        assertFalse(log.text().contains("kubelet-worker-1"), log.text());
        assertTrue(log.text().contains("kubelet-worker-0"), log.text());
    }

    @Test
    void checkCerts_unknownFormat_isABuildFailureNamingTheParameter() {
        CheckCertsMojo mojo = checkCerts(30);
        mojo.format = "yaml";

        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

        assertTrue(e.getMessage().startsWith("format: yaml is not a report format"), e.getMessage());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Every file under {@code relative} with its content, to show a goal wrote nothing. */
    private Map<String, String> tree(String relative) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(project.resolve(relative))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(project.relativize(f).toString(), java.util.HexFormat.of().formatHex(Files.readAllBytes(f)) + Files.getLastModifiedTime(f));
            }
        }
        return out;
    }
}
