package dev.hardway.realtools;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated worker {@code install.sh}, run for real with bash into scratch roots ({@code --root}): what it
 * writes, the modes it sets, its summary line, and that a re-run leaves every file alone (content, mode, mtime,
 * ctime and inode, read with stat(2)).
 *
 * <p>Commands that act on the running host (systemctl, modprobe, sysctl, swapon, swapoff, ...) are replaced on
 * {@code PATH} by spies that log and fail, so a {@code --root} run that touched the host would be caught.
 */
class InstallScriptRootTest {
    private static final String NODE = "worker-0";
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) changed, (\\d+) unchanged");
    private static final List<String> HOST_COMMANDS = List.of("systemctl", "modprobe", "sysctl", "swapon", "swapoff",
            "systemd-escape", "apt-get", "mount");

    private static final String KUBELET_CONFIG = "/var/lib/kubelet/kubelet-config.yaml";

    @TempDir
    static Path shared;
    static GeneratedCluster cluster;
    static Map<String, GeneratedCluster.TarFile> tarEntries;
    /** The same cluster with one spec change (kubelet.maxPods), same PKI: only the kubelet config differs. */
    static GeneratedCluster changed;

    @TempDir
    Path scratch;
    Path bundle;
    Path root;
    Path spies;
    Path spyLog;

    @BeforeAll
    static void generate() {
        cluster = GeneratedCluster.minimal(shared);
        tarEntries = cluster.tarEntries(NODE);
        changed = cluster.regenerate(cluster.editedSpec(shared.resolve("changed"), "workers:",
                "kubelet:\n  maxPods: 111\nworkers:"), shared.resolve("changed/out"));
    }

    @BeforeEach
    void unpackAndPrepareRoot() throws IOException {
        bundle = cluster.unpack(NODE, scratch.resolve("unpacked"));
        root = Files.createDirectories(scratch.resolve("root"));
        spies = Files.createDirectories(scratch.resolve("spies"));
        spyLog = scratch.resolve("host-commands.log");
        for (String command : HOST_COMMANDS) {
            Path spy = spies.resolve(command);
            Files.writeString(spy, "#!/bin/sh\necho \"" + command + " $*\" >> '" + spyLog + "'\nexit 1\n");
            Files.setPosixFilePermissions(spy, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private RealTools.Result install(String... args) {
        return install(bundle, args).runOk();
    }

    private RealTools.Command install(Path bundleDir, String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of(RealTools.tool("bash").toString(),
                bundleDir.resolve("install.sh").toString()));
        argv.addAll(List.of(args));
        return RealTools.command(argv)
                .env("PATH", spies + ":" + System.getenv("PATH"))
                .directory(scratch); // not the bundle directory: the script must find its files itself
    }

    /**
     * What a bundle file becomes in a root without systemd-resolved: the kubelet config's resolvConf is chosen per
     * host, and such a host gets /etc/resolv.conf.
     */
    private static byte[] onRootWithoutResolved(String path, byte[] content) {
        if (!path.equals(KUBELET_CONFIG)) {
            return content;
        }
        String text = new String(content, java.nio.charset.StandardCharsets.UTF_8);
        String fixed = text.replace("resolvConf: \"/run/systemd/resolve/resolv.conf\"", "resolvConf: \"/etc/resolv.conf\"");
        assertFalse(fixed.equals(text), "the kubelet config names no systemd-resolved resolvConf");
        return fixed.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static int[] summary(RealTools.Result run) {
        Matcher m = SUMMARY.matcher(run.lastLine());
        assertTrue(m.matches(), "the last line is not exactly 'N changed, M unchanged'\n" + run.describe());
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    private String hostCommandsCalled() throws IOException {
        return Files.exists(spyLog) ? Files.readString(spyLog) : "";
    }

    /** One path's stat(2) facts and content digest: any rewrite, chmod or replacement changes it. */
    private record Stat(String type, int mode, long size, long mtimeNanos, long ctimeNanos, long inode,
                        String sha256) {
    }

    private static Map<String, Stat> snapshot(Path dir) throws IOException {
        Map<String, Stat> stats = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
                boolean file = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
                stats.put("/" + dir.relativize(p), new Stat(file ? "file" : Files.isDirectory(p) ? "dir" : "other",
                        (Integer) a.get("mode") & 07777, (Long) a.get("size"),
                        nanos(a.get("lastModifiedTime")), nanos(a.get("ctime")), (Long) a.get("ino"),
                        file ? sha256(p) : ""));
            }
        }
        return stats;
    }

    private static long nanos(Object fileTime) {
        java.time.Instant t = ((java.nio.file.attribute.FileTime) fileTime).toInstant();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> changedPaths(Map<String, Stat> before, Map<String, Stat> after) {
        TreeSet<String> all = new TreeSet<>(before.keySet());
        all.addAll(after.keySet());
        return all.stream().filter(p -> !Objects.equals(before.get(p), after.get(p))).toList();
    }

    /**
     * Like {@link #changedPaths}, but a directory counts only when it appeared, vanished or changed mode: replacing
     * a file inside it necessarily updates its own mtime.
     */
    private static List<String> changedFilesAndDirectoryModes(Map<String, Stat> before, Map<String, Stat> after) {
        return changedPaths(withoutDirectoryTimes(before), withoutDirectoryTimes(after));
    }

    private static Map<String, Stat> withoutDirectoryTimes(Map<String, Stat> stats) {
        Map<String, Stat> out = new TreeMap<>();
        stats.forEach((path, s) -> out.put(path, s.type().equals("dir")
                ? new Stat(s.type(), s.mode(), 0, 0, 0, s.inode(), "") : s));
        return out;
    }

    /** Target path on the host to the bundle's file, for every file the tarball carries. */
    private static Map<String, GeneratedCluster.TarFile> bundleFiles() {
        Map<String, GeneratedCluster.TarFile> files = new TreeMap<>();
        String prefix = NODE + "/files";
        tarEntries.forEach((name, file) -> {
            if (name.startsWith(prefix + "/")) {
                files.put(name.substring(prefix.length()), file);
            }
        });
        return files;
    }

    @Test
    void spies_onPath_recordHostCommands() throws IOException {
        // the harness check the other tests rely on: a host command run by bash lands in the spy log
        RealTools.command("bash", "-c", "systemctl is-enabled kubelet || true")
                .env("PATH", spies + ":" + System.getenv("PATH")).runOk();

        assertEquals("systemctl is-enabled kubelet\n", hostCommandsCalled());
    }

    @Test
    void installScript_firstRunIntoEmptyRoot_installsEveryBundleFileAndSkipsHostActions() throws IOException {
        Map<String, Stat> bundleBefore = snapshot(bundle);

        RealTools.Result run = install("--root", root.toString());

        assertEquals(List.of(), changedPaths(bundleBefore, snapshot(bundle)), "install.sh wrote into its bundle");
        try (Stream<Path> top = Files.list(scratch)) {
            assertEquals(List.of("root", "spies", "unpacked"), top.map(p -> p.getFileName().toString()).sorted()
                    .toList(), "install.sh wrote next to the root");
        }

        Map<String, Stat> installed = snapshot(root);
        installed.remove("/");
        assertEquals(installed.size(), summary(run)[0], "every directory and file created counts as a change\n"
                + run.describe());
        assertEquals(0, summary(run)[1]);
        Map<String, GeneratedCluster.TarFile> expected = bundleFiles();
        assertEquals(15, expected.size(), "files in the worker bundle: " + expected.keySet());
        assertTrue(run.stdout().contains("kubelet resolvConf: /etc/resolv.conf"), run.describe());
        for (Map.Entry<String, GeneratedCluster.TarFile> file : expected.entrySet()) {
            Path target = root.resolve(file.getKey().substring(1));
            assertTrue(Files.isRegularFile(target), "not installed: " + file.getKey());
            assertArrayEquals(onRootWithoutResolved(file.getKey(), file.getValue().content()),
                    Files.readAllBytes(target), file.getKey());
        }
        assertEquals(expected.keySet(), installed.entrySet().stream().filter(e -> e.getValue().type().equals("file"))
                .map(Map.Entry::getKey).collect(java.util.stream.Collectors.toCollection(TreeSet::new)),
                "files in the root other than the bundle's (temporary files left behind?)");
        assertTrue(run.stdout().contains("--root: skipped host actions"), run.describe());
        assertEquals("", hostCommandsCalled(), "--root must not act on the running host");
    }

    @Test
    void installScript_secondRunWithSameBundle_changesNothing() throws IOException {
        int items = summary(install("--root", root.toString()))[0];
        Map<String, Stat> before = snapshot(root);

        RealTools.Result second = install("--root", root.toString());

        assertEquals("0 changed, " + items + " unchanged", second.lastLine(), second.describe());
        assertEquals(List.of(), changedPaths(before, snapshot(root)), "paths touched by the second run");
        assertFalse(second.stdout().contains("write ") || second.stdout().contains("create ")
                || second.stdout().contains("would restart"), second.describe());
        assertEquals("", hostCommandsCalled());
    }

    @Test
    void installScript_dryRunOnEmptyRoot_writesNothingAndPredictsTheRealRun() throws IOException {
        RealTools.Result dry = install("--dry-run", "--root", root.toString());

        assertEquals(List.of("/"), List.copyOf(snapshot(root).keySet()), "the dry run wrote into the root");
        int[] predicted = summary(dry);
        assertTrue(predicted[0] > 0, dry.describe());
        assertTrue(dry.stdout().contains("dry run: nothing was written"), dry.describe());

        RealTools.Result real = install("--root", root.toString());

        assertEquals(predicted[0] + " changed, " + predicted[1] + " unchanged", real.lastLine());
        List<String> wouldDo = dry.stdout().lines().filter(l -> l.startsWith("would "))
                .map(l -> l.substring("would ".length())).toList();
        List<String> did = real.stdout().lines().filter(l -> l.startsWith("create ") || l.startsWith("write "))
                .toList();
        assertEquals(did, wouldDo, "the dry run's actions are not the real run's");
        assertEquals("", hostCommandsCalled());
    }

    @Test
    void installScript_intoScratchRoot_keysAre0600AndKubeletDirectoryIs0700() throws IOException {
        install("--root", root.toString());

        Map<String, Stat> installed = snapshot(root);
        for (String key : List.of("/var/lib/kubelet/kubelet.key", "/var/lib/kubelet/kubeconfig",
                "/var/lib/kube-proxy/kubeconfig")) {
            assertEquals("600", Integer.toOctalString(installed.get(key).mode()), key);
        }
        assertEquals("700", Integer.toOctalString(installed.get("/var/lib/kubelet").mode()), "/var/lib/kubelet");
        // and every other file has exactly the mode the tarball gives it
        bundleFiles().forEach((path, file) -> assertEquals(Integer.toOctalString(file.mode()),
                Integer.toOctalString(installed.get(path).mode()), path));
    }

    @Test
    void installScript_existingLooseModes_areTightenedWithoutRewriting() throws IOException {
        install("--root", root.toString());
        Path key = root.resolve("var/lib/kubelet/kubelet.key");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(root.resolve("var/lib/kubelet"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, Stat> before = snapshot(root);

        RealTools.Result run = install("--root", root.toString());

        Map<String, Stat> after = snapshot(root);
        assertEquals("600", Integer.toOctalString(after.get("/var/lib/kubelet/kubelet.key").mode()));
        assertEquals("700", Integer.toOctalString(after.get("/var/lib/kubelet").mode()));
        assertEquals(before.get("/var/lib/kubelet/kubelet.key").inode(), after.get("/var/lib/kubelet/kubelet.key")
                .inode(), "the key was replaced, not chmodded");
        assertEquals(before.get("/var/lib/kubelet/kubelet.key").mtimeNanos(),
                after.get("/var/lib/kubelet/kubelet.key").mtimeNanos());
        assertEquals(2, summary(run)[0], run.describe());
        assertTrue(run.stdout().contains("--root: on a host this run would restart kubelet"), run.describe());
    }

    @Test
    void installScript_afterOneSpecChange_rewritesOnlyThatFileAndRestartsOnlyItsService() throws IOException {
        int items = summary(install("--root", root.toString()))[0];
        Map<String, Stat> before = snapshot(root);
        Path next = changed.unpack(NODE, scratch.resolve("changed"));

        RealTools.Result run = install(next, "--root", root.toString()).runOk();

        assertEquals("1 changed, " + (items - 1) + " unchanged", run.lastLine(), run.describe());
        assertEquals(List.of(KUBELET_CONFIG), changedFilesAndDirectoryModes(before, snapshot(root)));
        assertTrue(Files.readString(root.resolve(KUBELET_CONFIG.substring(1))).contains("maxPods: 111"));
        assertEquals(List.of("write " + KUBELET_CONFIG + " (0644)", "--root: on a host this run would restart kubelet"),
                run.stdout().lines().filter(l -> l.startsWith("write ") || l.contains("would restart")).toList());
        assertEquals("", hostCommandsCalled());
    }
}
