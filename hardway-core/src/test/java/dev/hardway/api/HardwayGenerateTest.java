package dev.hardway.api;

import dev.hardway.model.InvalidSpecException;
import dev.hardway.model.TemplateException;
import dev.hardway.testing.TestClusters;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HardwayGenerateTest {
    @TempDir
    Path tmp;

    private Path pki() {
        return tmp.resolve("pki");
    }

    private Path out() {
        return tmp.resolve("out");
    }

    private GenerationResult generate(Path spec, Path templates) {
        return Hardway.generate(TestClusters.request(spec, pki()).outputDirectory(out()).templateDirectory(templates)
                .build());
    }

    record Entry(String name, int mode, long uid, long gid, FileTime mtime, byte[] content) {
    }

    static List<Entry> entries(byte[] tarGz) throws IOException {
        List<Entry> out = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(tarGz)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                out.add(new Entry(e.getName(), e.getMode() & 07777, e.getLongUserId(), e.getLongGroupId(),
                        e.getLastModifiedTime(), tar.readAllBytes()));
            }
        }
        return out;
    }

    @Test
    void generate_rerunWithSameSpec_rewritesNothingAndGivesIdenticalTarballs() throws Exception {
        Path spec = TestClusters.sample("minimal");
        GenerationResult first = generate(spec, null);
        assertFalse(first.written().isEmpty());
        Map<String, byte[]> before = new LinkedHashMap<>();
        Map<String, FileTime> mtimes = new LinkedHashMap<>();
        for (Path p : first.written()) {
            before.put(p.getFileName().toString(), Files.readAllBytes(p));
            mtimes.put(p.getFileName().toString(), Files.getLastModifiedTime(p));
        }
        byte[] ca = Files.readAllBytes(pki().resolve("ca.crt"));

        GenerationResult second = generate(spec, null);
        assertEquals(List.of(), second.written());
        assertEquals(first.written(), second.unchanged());
        for (Path p : second.unchanged()) {
            assertArrayEquals(before.get(p.getFileName().toString()), Files.readAllBytes(p), p.toString());
            assertEquals(mtimes.get(p.getFileName().toString()), Files.getLastModifiedTime(p));
        }
        assertArrayEquals(ca, Files.readAllBytes(pki().resolve("ca.crt")));
        assertTrue(second.pkiChanges().stream().allMatch(c -> c.action() == dev.hardway.model.PkiChange.Action.REUSED));
    }

    @Test
    void tarball_isReproducibleArchive_sortedRootOwnedFixedTimeKeysPrivate() throws Exception {
        generate(TestClusters.sample("minimal"), null);
        List<Entry> entries = entries(Files.readAllBytes(out().resolve("worker-0.tar.gz")));
        List<String> names = entries.stream().map(Entry::name).toList();
        assertEquals(names.stream().sorted().toList(), names);
        assertTrue(names.stream().allMatch(n -> n.startsWith("worker-0/")), names.toString());
        assertTrue(names.contains("worker-0/install.sh"));
        for (Entry e : entries) {
            assertEquals(0, e.uid());
            assertEquals(0, e.gid());
            assertEquals(Instant315532800(), e.mtime().toInstant().getEpochSecond(), e.name());
            if (e.name().endsWith(".key") || e.name().endsWith("kubeconfig")) {
                assertEquals(0600, e.mode(), e.name());
            }
        }
        assertEquals(0755, entries.stream().filter(e -> e.name().equals("worker-0/install.sh")).findFirst()
                .orElseThrow().mode());
        String caKey = Files.readString(pki().resolve("ca.key"));
        for (Entry e : entries) {
            assertFalse(new String(e.content(), StandardCharsets.UTF_8).contains(caKey.strip()),
                    "the CA key must never enter a worker bundle: " + e.name());
        }
        assertEquals(0600, Files.getPosixFilePermissions(out().resolve("admin.kubeconfig")).stream()
                .mapToInt(p -> 1 << (8 - p.ordinal())).sum());
    }

    private static long Instant315532800() {
        return 315532800L; // 1980-01-01T00:00:00Z
    }

    @Test
    void generate_invalidSpec_writesNeitherOutputNorPki() throws Exception {
        Path spec = tmp.resolve("cluster.yaml");
        Files.writeString(spec, Files.readString(TestClusters.sample("minimal"))
                .replace("clusterDns: 10.32.0.10", "clusterDns: 10.99.0.10")
                .replace("name: worker-0", "name: Worker_0"));
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> generate(spec, null));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertFalse(Files.exists(pki()));
        assertFalse(Files.exists(out()));
    }

    /** A user template directory holding one override. */
    private Path override(String template, String content) throws IOException {
        Path templates = tmp.resolve("templates");
        Files.createDirectories(templates.resolve(template).getParent());
        Files.writeString(templates.resolve(template), content);
        return templates;
    }

    @Test
    void requestsMissingADirectory_orSpecsWithANullItem_failNamingWhatToGive_andWriteNothing() {
        GenerationRequest noOutput = GenerationRequest.builder().specFile(TestClusters.sample("minimal"))
                .pkiDirectory(pki()).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Hardway.generate(noOutput));
        assertTrue(e.getMessage().contains("Hardway.generate writes bundles")
                && e.getMessage().contains(".outputDirectory(path)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Golden.generate(noOutput, tmp.resolve("golden")));
        assertTrue(e.getMessage().contains("Golden.generate writes bundles"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> GenerationRequest.builder()
                .specFile(TestClusters.sample("minimal")).outputDirectory(out()).build());
        assertTrue(e.getMessage().contains(".pkiDirectory(path)"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> dev.hardway.model.ClusterSpec.builder()
                .controller(c -> c.name("controller-0").internalIp("10.240.0.10"))
                .controller((dev.hardway.model.ControllerSpec) null).build());
        assertEquals("ClusterSpec.controllers[1] is null: give the item, or leave it out of the list",
                e.getMessage());
        assertFalse(Files.exists(pki()));
        assertFalse(Files.exists(out()));
        assertFalse(Files.exists(tmp.resolve("golden")));
    }

    @Test
    void templateOverride_replacesOnlyThatFile() throws Exception {
        Path templates = override("kubelet/kubelet.service.ftl", "[Unit]\nDescription=site kubelet for ${node}\n"
                + "[Service]\nExecStart=/usr/local/bin/kubelet\n");
        RenderedCluster r = Hardway.render(TestClusters.request(TestClusters.sample("minimal"), pki())
                .templateDirectory(templates).build());
        assertEquals("[Unit]\nDescription=site kubelet for worker-0\n[Service]\nExecStart=/usr/local/bin/kubelet\n",
                r.bundle("worker-0").file("/etc/systemd/system/kubelet.service").text());
        assertTrue(r.bundle("worker-0").file("/etc/systemd/system/kube-proxy.service").text()
                .contains("kube-proxy"));
    }

    @Test
    void templateOverride_missingValue_failsNamingTemplateAndLine_andWritesNothing() throws Exception {
        Path templates = override("kubelet/kubelet-config.yaml.ftl",
                "kind: KubeletConfiguration\nclusterDomain: ${clusterDomian}\n");
        TemplateException e = assertThrows(TemplateException.class,
                () -> generate(TestClusters.sample("minimal"), templates));
        assertTrue(e.getMessage().contains("kubelet/kubelet-config.yaml.ftl line 2"), e.getMessage());
        assertEquals("kubelet/kubelet-config.yaml.ftl", e.template());
        assertEquals(java.util.OptionalInt.of(2), e.line());
        assertTrue(e.getMessage().contains("clusterDomian"), e.getMessage());
        assertFalse(Files.exists(pki()), "a failed run must not touch the PKI");
        assertFalse(Files.exists(out()));
    }

    @Test
    void templateOverride_renderingInvalidYaml_failsBeforeAnythingIsWritten() throws Exception {
        Path templates = override("kube-proxy/kube-proxy-config.yaml.ftl",
                "kind: KubeProxyConfiguration\nclusterCIDR: [${clusterCidr}\n");
        TemplateException e = assertThrows(TemplateException.class,
                () -> generate(TestClusters.sample("minimal"), templates));
        assertTrue(e.getMessage().contains("/var/lib/kube-proxy/kube-proxy-config.yaml that is not valid YAML"),
                e.getMessage());
        assertEquals("kube-proxy/kube-proxy-config.yaml.ftl", e.template());
        assertFalse(Files.exists(pki()));
    }

    /** A kubelet unit as an operator writes it in an override: systemd's own command-line syntax. */
    private static final String KUBELET_IN_SYSTEMD_SYNTAX = """
            [Unit]
            Description=site kubelet for ${node}
            [Service]
            EnvironmentFile=-/etc/default/kubelet
            ExecStartPre=/bin/sh -c 'test -r /var/lib/kubelet/kubelet-config.yaml || exec /bin/false "$@"' sh %n
            ExecStart=/usr/local/bin/kubelet \\
              --config=/var/lib/kubelet/kubelet-config.yaml \\
              $KUBELET_EXTRA_ARGS
            ExecReload=/bin/kill -HUP $MAINPID
            """;

    @Test
    void templateOverride_unitInSystemdsCommandLineSyntax_isGenerated() throws Exception {
        Path templates = override("kubelet/kubelet.service.ftl", KUBELET_IN_SYSTEMD_SYNTAX);

        GenerationResult result = generate(TestClusters.sample("minimal"), templates);

        assertTrue(result.written().contains(out().resolve("worker-0.tar.gz")), result.written().toString());
        assertEquals(KUBELET_IN_SYSTEMD_SYNTAX.replace("${node}", "worker-0"), result.rendered().bundle("worker-0")
                .file("/etc/systemd/system/kubelet.service").text());
    }

    @Test
    void templateOverride_startingTheDaemonThroughAWrapper_isNotComparedByItsMainProcess() throws Exception {
        // install.sh compares what a service's main process runs with its executable; through sh -c it runs /bin/sh
        Path templates = override("kubelet/kubelet.service.ftl", KUBELET_IN_SYSTEMD_SYNTAX.replace(
                "ExecStart=/usr/local/bin/kubelet \\", "ExecStart=/bin/sh -c 'exec /usr/local/bin/kubelet \"$@\"' sh \\"));

        GenerationResult result = generate(TestClusters.sample("minimal"), templates);

        String manifest = result.rendered().installManifests().get("worker-0");
        assertTrue(manifest.contains("/bin/linux/amd64/kubelet - - - kubelet\n"), manifest);
        assertTrue(manifest.contains("/bin/linux/amd64/kube-proxy - - kube-proxy kube-proxy\n"), manifest);
    }

    @Test
    void templateOverride_unitWithUnbalancedQuote_failsNamingFileAndLine_andWritesNothing() throws Exception {
        Path templates = override("kubelet/kubelet.service.ftl",
                KUBELET_IN_SYSTEMD_SYNTAX.replace("\"$@\"' sh %n", "\"$@\" sh %n"));

        TemplateException e = assertThrows(TemplateException.class,
                () -> generate(TestClusters.sample("minimal"), templates));

        assertTrue(e.getMessage().startsWith("kubelet/kubelet.service.ftl (your override "
                + templates.resolve("kubelet/kubelet.service.ftl") + ") rendered /etc/systemd/system/kubelet.service "
                + "that systemd would not read as written: line 5 (ExecStartPre=): the single quote in <'test"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("is never closed, so systemd refuses the whole line ('Unbalanced "
                + "quoting')"), e.getMessage());
        assertEquals(java.util.OptionalInt.of(5), e.line());
        assertFalse(Files.exists(pki()), "a failed run must not touch the PKI");
        assertFalse(Files.exists(out()));
    }

    @Test
    void templateOverride_unitWithUnknownSpecifier_failsNamingFileAndLine_andWritesNothing() throws Exception {
        Path templates = override("kubelet/kubelet.service.ftl",
                KUBELET_IN_SYSTEMD_SYNTAX.replace("  $KUBELET_EXTRA_ARGS", "  --hostname-override=%Q"));

        TemplateException e = assertThrows(TemplateException.class,
                () -> generate(TestClusters.sample("minimal"), templates));

        assertTrue(e.getMessage().contains("(your override " + templates.resolve("kubelet/kubelet.service.ftl")
                + ") rendered /etc/systemd/system/kubelet.service that systemd would not read as written: line 6 "
                + "(ExecStart=): '%Q' in '--hostname-override=%Q' is not a specifier systemd knows"), e.getMessage());
        assertTrue(e.getMessage().contains("('Failed to resolve unit specifiers'); write %% for a percent sign"),
                e.getMessage());
        assertEquals(java.util.OptionalInt.of(6), e.line());
        assertFalse(Files.exists(pki()));
        assertFalse(Files.exists(out()));
    }

    /** Kubernetes the Hard Way's kubelet unit of the dockershim years, as an operator brings it along. */
    private static final String KUBELET_OF_AN_OLDER_TUTORIAL = """
            [Unit]
            Description=Kubernetes Kubelet
            <#-- from the team's old runbook; ${node} is filled in by hardway -->
            <#if node?starts_with("worker")>
            After=containerd.service
            Requires=containerd.service
            </#if>

            [Service]
            ExecStart=/usr/local/bin/kubelet \\
              --config=/var/lib/kubelet/kubelet-config.yaml \\
              --container-runtime=remote \\
              --network-plugin=cni \\
              --kubeconfig=/var/lib/kubelet/kubeconfig \\
              --v=2
            Restart=on-failure
            """;

    @Test
    void templateOverride_givingKubeletAFlagItsReleaseRemoved_failsNamingTheFlagTheReleaseAndTheOverridesLine()
            throws Exception {
        Path templates = override("kubelet/kubelet.service.ftl", KUBELET_OF_AN_OLDER_TUTORIAL);

        TemplateException e = assertThrows(TemplateException.class,
                () -> generate(TestClusters.sample("minimal"), templates));

        // the flag is on line 9 as rendered, in ExecStart='s continuation; the override's author finds it on line 12
        assertTrue(e.getMessage().contains("(your override " + templates.resolve("kubelet/kubelet.service.ftl")
                + ") rendered /etc/systemd/system/kubelet.service that systemd would not read as written: line 12 "
                + "of your override (line 9 as rendered) (ExecStart=): '--container-runtime=remote': kubelet 1.32 "
                + "would not start: it has no flag --container-runtime (removed in Kubernetes 1.27"), e.getMessage());
        assertEquals(java.util.OptionalInt.of(12), e.line());
        assertFalse(Files.exists(pki()), "a failed run must not touch the PKI");
        assertFalse(Files.exists(out()));

        // the same unit with the flags of its release goes through
        generate(TestClusters.sample("minimal"), override("kubelet/kubelet.service.ftl", KUBELET_OF_AN_OLDER_TUTORIAL
                .replace("  --container-runtime=remote \\\n", "").replace("  --network-plugin=cni \\\n", "")));
        assertTrue(Files.exists(out().resolve("worker-0.tar.gz")));
    }

    @Test
    void templateOverride_givingADaemonABracelessVariableInsideAWord_failsSayingWhatSystemdPassesOn()
            throws Exception {
        Path templates = override("kubelet/kubelet.service.ftl",
                KUBELET_IN_SYSTEMD_SYNTAX.replace("  $KUBELET_EXTRA_ARGS", "  --node-ip=$NODE_IP"));

        TemplateException e = assertThrows(TemplateException.class,
                () -> generate(TestClusters.sample("minimal"), templates));

        assertTrue(e.getMessage().endsWith("line 8 (ExecStart=): '--node-ip=$NODE_IP': systemd replaces $NODE_IP only "
                + "as a word of its own; inside a word it passes it on as written, so kubelet would be given "
                + "'$NODE_IP' itself. Write ${NODE_IP}, or $$NODE_IP for the text itself"), e.getMessage());
        assertFalse(Files.exists(out()));
    }

    @Test
    void render_writesNothing() {
        RenderedCluster r = Hardway.render(TestClusters.request(TestClusters.sample("minimal"), pki()).build());
        assertTrue(r.outputs().containsKey("worker-0.tar.gz"));
        assertFalse(Files.exists(pki()));
    }

    @Test
    void render_reportsWhatTheSpecAsksForThatIsDeprecated_withThePkiWarnings() {
        var spec = dev.hardway.model.ClusterSpec.builder().name("demo").kubernetesVersion("1.35.0")
                .apiServer(a -> a.endpoint("https://server.kubernetes.local:6443"))
                .network(n -> n.clusterCidr("10.200.0.0/16").serviceCidr("10.32.0.0/24")
                        .clusterDns("10.32.0.10").clusterDomain("cluster.local"))
                .kubeProxy(new dev.hardway.model.KubeProxySpec("ipvs", null))
                .controller(c -> c.name("controller-0").internalIp("10.240.0.10"))
                .worker(w -> w.name("worker-0").internalIp("10.240.0.20")).build();
        RenderedCluster r = Hardway.render(GenerationRequest.builder().spec(spec).pkiDirectory(pki()).build());
        assertTrue(r.warnings().stream().anyMatch(w -> w.startsWith("kubeProxy.mode: ipvs is deprecated")),
                r.warnings().toString());
    }

    @Test
    void generate_fromJavaBuiltSpec_matchesTheYamlSample() throws Exception {
        var spec = dev.hardway.model.ClusterSpec.builder().name("demo").kubernetesVersion("1.32.3")
                .apiServer(a -> a.endpoint("https://server.kubernetes.local:6443")
                        .extraSans("k8s.example.com", "203.0.113.10"))
                .network(n -> n.clusterCidr("10.200.0.0/16").serviceCidr("10.32.0.0/24")
                        .clusterDns("10.32.0.10").clusterDomain("cluster.local"))
                .controller(c -> c.name("controller-0").internalIp("10.240.0.10"))
                .worker(w -> w.name("worker-0").internalIp("10.240.0.20").podCidr("10.200.0.0/24")).build();
        RenderedCluster fromYaml = Hardway.render(TestClusters.request(TestClusters.sample("minimal"), pki())
                .random(TestClusters.repeatableRandom("x")).build());
        RenderedCluster fromJava = Hardway.render(GenerationRequest.builder().spec(spec).pkiDirectory(pki())
                .clock(TestClusters.fixedClock()).random(TestClusters.repeatableRandom("x")).build());
        assertEquals(dev.hardway.api.Golden.snapshot(fromYaml), dev.hardway.api.Golden.snapshot(fromJava));
    }

    @Test
    void removedWorker_losesItsBundle() throws Exception {
        Path spec = tmp.resolve("cluster.yaml");
        String yaml = Files.readString(TestClusters.sample("minimal"));
        Files.writeString(spec, yaml + "  - name: worker-1\n    internalIp: 10.240.0.21\n");
        generate(spec, null);
        assertTrue(Files.exists(out().resolve("worker-1.tar.gz")));
        Files.writeString(spec, yaml);
        GenerationResult r = generate(spec, null);
        assertEquals(List.of(out().resolve("worker-1.tar.gz")), r.removed());
        assertFalse(Files.exists(out().resolve("worker-1.tar.gz")));
    }
}
