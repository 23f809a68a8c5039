package dev.hardway.realhost;

import dev.hardway.api.RenderedBundle;
import dev.hardway.api.RenderedFile;
import dev.hardway.testing.ProcessRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "An installer that cannot half-install" (issue 8, item 2), on a booted worker (worker-v2-1 of
 * {@link RealHostCluster}): each test fails on an install.sh without the behaviour it names. Each one leaves the node converged (bundle restored, install.sh run to
 * completion), so the other real-host tests are unaffected.
 *
 * <ul>
 *   <li>a tampered bundle file is refused before anything is written (checksum manifest);</li>
 *   <li>a file missing from the bundle is refused before anything is written, with no temporary file left;</li>
 *   <li>install.sh killed with SIGKILL at exact points (fault injection through PATH: {@code killpoint.sh} in
 *       place of {@code mv} and {@code systemctl} for that run) converges on the next run: every file as in the
 *       bundle, no temporary file left, and every service whose file changed restarted, also when the killed run
 *       had already replaced the file.</li>
 * </ul>
 */
class InstallerRobustnessHostTest {
    private static RealHostCluster cluster;
    private static BootedNode node;
    private static RenderedBundle bundle;

    @BeforeAll
    static void boot() {
        cluster = RealHostCluster.shared();
        node = cluster.node(RealHostCluster.ROBUSTNESS_NODE);
        bundle = cluster.bundles.get(node.name);
    }

    @Test
    void tamperedBundleFile_isRefusedBeforeAnythingIsWritten() throws IOException {
        RenderedFile cert = bundle.files().stream().filter(f -> f.kind() == RenderedFile.Kind.CERTIFICATE).findFirst()
                .orElseThrow();
        Path source = source(cert);
        byte[] original = Files.readAllBytes(source);
        String installedBefore = sha256(cert.path());
        try {
            Files.write(source, Arrays.copyOf(original, original.length / 2));
            ProcessRun run = cluster.install(node);
            assertNotEquals(0, run.exitCode(), () -> "a truncated " + cert.path() + " was installed:\n"
                    + run.describe());
            assertEquals(installedBefore, sha256(cert.path()), "the installed file changed");
            assertNoTemporaryFiles();
        } finally {
            Files.write(source, original);
            converge();
        }
    }

    @Test
    void fileMissingFromTheBundle_isRefusedBeforeAnythingIsWritten_noTemporaryFileLeft() throws IOException {
        List<RenderedFile> files = bundle.files();
        RenderedFile first = files.stream().filter(f -> f.kind() == RenderedFile.Kind.TEXT).findFirst().orElseThrow();
        RenderedFile last = files.get(files.size() - 1);
        Path missing = source(last);
        Path aside = missing.resolveSibling(missing.getFileName() + ".aside");
        try {
            drift(first);
            String drifted = sha256(first.path());
            Files.move(missing, aside, StandardCopyOption.REPLACE_EXISTING);
            ProcessRun run = cluster.install(node);
            assertNotEquals(0, run.exitCode(), run::describe);
            assertTrue(run.output().contains(last.path()) || run.output().contains("files" + last.path()),
                    () -> "the message does not name the missing file:\n" + run.describe());
            assertNoTemporaryFiles();
            assertEquals(drifted, sha256(first.path()), "install.sh wrote " + first.path() + " before refusing");
        } finally {
            if (Files.exists(aside)) {
                Files.move(aside, missing, StandardCopyOption.REPLACE_EXISTING);
            }
            converge();
        }
    }

    @ParameterizedTest(name = "kill -9 {0}")
    @ValueSource(strings = {"before:mv:1", "after:mv:2", "before:systemctl:1:daemon-reload",
            "before:systemctl:1:restart"})
    void killedAtAnyPoint_nextRunConverges_nothingLeftBehind_owedRestartsDone(String killAt) {
        // three installed files drift from the bundle: a config, a unit and another service's config, so the
        // run has writes, a daemon-reload and restarts to do
        List<RenderedFile> drifting = driftingFiles();
        Set<String> owed = drifting.stream().flatMap(f -> f.restarts().stream())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        Map<String, String> before = RealHostClusterTest.invocations(cluster, node);
        drifting.forEach(InstallerRobustnessHostTest::drift);
        try {
            ProcessRun killed = node.sh(RealHostCluster.INSTALL_LIMIT,
                    "rm -f /run/hardway-killpoint.count; cd /root/bundle"
                    + " && PATH=/opt/hardway-realhost/test/killpoint:$PATH KILL_AT=" + killAt + " ./install.sh");
            assertEquals(137, killed.exitCode(), () -> "the kill point was not reached:\n" + killed.describe());
            ProcessRun next = cluster.install(node);
            assertTrue(next.succeeded(), next::describe);
            List<String> problems = new ArrayList<>();
            String leftovers = temporaryFiles();
            if (!leftovers.isEmpty()) {
                problems.add("temporary files left behind: " + leftovers.replace('\n', ' '));
            }
            String differing = notAsBundled();
            if (!differing.isEmpty()) {
                problems.add("installed files differ from the bundle: " + differing.replace('\n', ' '));
            }
            Map<String, String> after = RealHostClusterTest.invocations(cluster, node);
            for (String service : owed) {
                if (after.get(service).equals(before.get(service))) {
                    problems.add(service + " not restarted although its file changed");
                }
                String stale = node.exec(Duration.ofSeconds(20), "systemctl", "show", "-p", "NeedDaemonReload",
                        "--value", service).output().strip();
                if (stale.equals("yes")) {
                    problems.add(service + ": systemd still has the old unit loaded (NeedDaemonReload=yes)");
                }
                String active = node.exec(Duration.ofSeconds(20), "systemctl", "is-active", service).output().strip();
                if (!active.equals("active")) {
                    problems.add(service + " " + active);
                }
            }
            ProcessRun third = cluster.install(node);
            if (!third.output().contains("\n0 changed")) {
                problems.add("a third run still changes things: " + third.output());
            }
            assertTrue(problems.isEmpty(), () -> "killed " + killAt + " (" + killed.output().lines()
                    .filter(l -> l.startsWith("killpoint:")).findFirst().orElse("") + "), then the next run:\n  "
                    + String.join("\n  ", problems) + "\nit printed:\n" + next.output());
        } finally {
            converge();
        }
    }

    /** A config, a unit and another service's config whose changes restart services. */
    private static List<RenderedFile> driftingFiles() {
        Map<String, RenderedFile> picked = new LinkedHashMap<>();
        for (RenderedFile f : bundle.files()) {
            if (f.kind() != RenderedFile.Kind.TEXT || f.restarts().isEmpty()) {
                continue;
            }
            String key = f.path().startsWith("/etc/systemd/system/") ? "unit" : "config-" + f.restarts();
            if (!picked.containsKey(key) && (key.equals("unit") || picked.size() < 3)) {
                picked.put(key, f);
            }
        }
        assertTrue(picked.containsKey("unit") && picked.size() >= 3, picked::toString);
        return List.copyOf(picked.values());
    }

    private static void drift(RenderedFile f) {
        node.shOk(Duration.ofSeconds(10), "echo '# drift made by the robustness test' >> " + f.path());
    }

    private static Path source(RenderedFile f) {
        return cluster.bundleDir(node.name).resolve("files" + f.path());
    }

    private static String sha256(String path) {
        return node.shOk(Duration.ofSeconds(10), "sha256sum " + path).output().split(" ")[0];
    }

    /** No temporary file of install.sh's (mktemp's tmp.XXXXXXXXXX) in any directory it writes to. */
    private static String targetDirectories() {
        return bundle.files().stream().map(f -> f.path().substring(0, f.path().lastIndexOf('/')))
                .collect(Collectors.toCollection(java.util.TreeSet::new)).stream().collect(Collectors.joining(" "));
    }

    /** Temporary files of install.sh's (mktemp's tmp.XXXXXXXXXX) in the directories it writes to. */
    private static String temporaryFiles() {
        return node.sh(Duration.ofSeconds(20), "find " + targetDirectories()
                + " -maxdepth 1 -name 'tmp.??????????' 2>/dev/null").output().strip();
    }

    private static void assertNoTemporaryFiles() {
        assertEquals("", temporaryFiles(), "temporary files left behind");
    }

    /** The installed files whose content differs from the bundle's, one a line. */
    private static String notAsBundled() {
        StringBuilder script = new StringBuilder();
        for (RenderedFile f : bundle.files()) {
            if (f.path().endsWith("/kubelet-config.yaml")) {
                // install.sh picks the kubelet's resolvConf for the host it runs on; the rest is as bundled
                script.append("sed '/^resolvConf:/d' /root/bundle/files").append(f.path()).append(" > /tmp/a; ")
                        .append("sed '/^resolvConf:/d' ").append(f.path()).append(" > /tmp/b; ")
                        .append("cmp -s /tmp/a /tmp/b || echo ").append(f.path()).append('\n');
                continue;
            }
            script.append("cmp -s /root/bundle/files").append(f.path()).append(' ').append(f.path())
                    .append(" || echo ").append(f.path()).append('\n');
        }
        return node.sh(Duration.ofSeconds(30), script.toString()).output().strip();
    }

    /**
     * Brings the node back to its bundle for the next test: install.sh to completion, then what the product does
     * not clean up yet (temporary files; services whose files a killed run replaced) cleaned up by the test.
     */
    private static void converge() {
        ProcessRun run = cluster.install(node);
        if (!run.succeeded()) {
            throw new AssertionError("the node did not converge: " + run.describe());
        }
        node.sh(Duration.ofSeconds(20), "find " + targetDirectories()
                + " -maxdepth 1 -name 'tmp.??????????' -delete 2>/dev/null");
        for (String service : bundle.services()) {
            node.sh(Duration.ofSeconds(60), "systemctl restart " + service);
        }
    }
}
