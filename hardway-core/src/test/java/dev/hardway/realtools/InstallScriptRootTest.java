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
import java.util.ArrayList;
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
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
    private static final String BINARIES_RECORD = "/var/lib/hardway/binaries.sha256";
    private static final String PENDING = "/var/lib/hardway/pending-restarts";

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
        // install.sh's own record of the executables (none here), like its pending restarts, is no bundle file
        assertEquals("", recordIn(root), "the record of no executable");
        installed.remove(BINARIES_RECORD);
        assertEquals(installed.size(), summary(run)[0], "every directory and file created counts as a change\n"
                + run.describe());
        assertEquals(0, summary(run)[1]);
        Map<String, GeneratedCluster.TarFile> expected = bundleFiles();
        assertEquals(19, expected.size(), "files in the worker bundle: " + expected.keySet());
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

    // ---- a bundle that cannot half-install ----

    /** Runs install.sh expecting it to refuse; returns the run. */
    private RealTools.Result refused(Path bundleDir, String... args) {
        RealTools.Result run = install(bundleDir, args).run();
        assertTrue(run.exitCode() != 0, "install.sh accepted what it must refuse\n" + run.describe());
        return run;
    }

    private List<String> rootEntries() throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.map(p -> "/" + root.relativize(p)).sorted().toList();
        }
    }

    private static List<String> leftovers(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.map(Path::toString).filter(p -> p.contains(".hardway-tmp.")).toList();
        }
    }

    @Test
    void tamperedInstallManifest_isRefusedBeforeItIsRead() throws IOException {
        // install.sh reads its manifest as shell: a changed one must not run, not even for --list-binaries
        Path manifest = bundle.resolve("install.manifest");
        Path marker = scratch.resolve("manifest-ran");
        Files.writeString(manifest, Files.readString(manifest) + "touch '" + marker + "'\n");
        for (String[] args : new String[][] {{"--root", root.toString()}, {"--list-binaries"}}) {
            RealTools.Result run = refused(bundle, args);
            assertTrue(run.stderr().contains("install.manifest: content differs from SHA256SUMS"), run.describe());
            assertTrue(run.stderr().contains("nothing was written"), run.describe());
        }
        assertFalse(Files.exists(marker), "install.sh ran a tampered install.manifest");

        Files.delete(manifest);
        RealTools.Result missing = refused(bundle, "--root", root.toString());
        assertTrue(missing.stderr().contains("install.manifest: missing"), missing.describe());
        Path sums = bundle.resolve("SHA256SUMS");
        Files.write(sums, Files.readAllLines(sums).stream().filter(l -> !l.endsWith(" install.manifest")).toList());
        RealTools.Result unlisted = refused(bundle, "--root", root.toString());
        assertTrue(unlisted.stderr().contains("install.manifest: not listed in SHA256SUMS"), unlisted.describe());
        assertEquals(List.of("/"), rootEntries(), "install.sh wrote into the root");
    }

    @Test
    void installScript_isOneProgramOnEveryNode_theManifestIsPerNode() throws IOException {
        Path controller = cluster.unpack("controller-0", scratch.resolve("controller"));
        assertEquals(Files.readString(bundle.resolve("install.sh")), Files.readString(controller.resolve("install.sh")));
        assertNotEquals(Files.readString(bundle.resolve("install.manifest")),
                Files.readString(controller.resolve("install.manifest")));
    }

    @Test
    void tamperedBundle_truncatedCertificateOrEmptiedKey_isRefusedBeforeAnythingIsWritten() throws IOException {
        Path cert = bundle.resolve("files/var/lib/kubelet/kubelet.crt");
        Files.write(cert, java.util.Arrays.copyOf(Files.readAllBytes(cert), 100));
        Files.writeString(bundle.resolve("files/var/lib/kubelet/kubelet.key"), "");

        RealTools.Result run = refused(bundle, "--root", root.toString());

        assertTrue(run.stderr().contains("files/var/lib/kubelet/kubelet.crt: content differs from SHA256SUMS"),
                run.describe());
        assertTrue(run.stderr().contains("files/var/lib/kubelet/kubelet.key: content differs from SHA256SUMS"),
                run.describe());
        assertTrue(run.stderr().contains("nothing was written"), run.describe());
        assertEquals(List.of("/"), rootEntries(), "install.sh wrote into the root");
    }

    @Test
    void damagedBundle_missingFileOrManifestLine_isRefusedNamingIt() throws IOException {
        Files.delete(bundle.resolve("files/etc/containerd/config.toml"));
        RealTools.Result missing = refused(bundle, "--root", root.toString());
        assertTrue(missing.stderr().contains("files/etc/containerd/config.toml: missing"), missing.describe());

        Path manifest = bundle.resolve("SHA256SUMS");
        Files.write(manifest, Files.readAllLines(manifest).stream().filter(l -> !l.contains("config.toml")).toList());
        RealTools.Result unlisted = refused(bundle, "--root", root.toString());
        assertTrue(unlisted.stderr().contains("files/etc/containerd/config.toml: not listed in SHA256SUMS"),
                unlisted.describe());

        Files.delete(manifest);
        RealTools.Result noManifest = refused(bundle, "--root", root.toString());
        assertTrue(noManifest.stderr().contains("the bundle has no SHA256SUMS"), noManifest.describe());
        assertEquals(List.of("/"), rootEntries(), "install.sh wrote into the root");
    }

    @Test
    void emptyRoot_isAnErrorNotTheRunningHost() throws IOException {
        for (List<String> args : List.of(List.of("--root", ""), List.of("--root="))) {
            RealTools.Result run = refused(bundle, args.toArray(String[]::new));
            assertEquals(2, run.exitCode(), run.describe());
            assertTrue(run.stderr().contains("--root needs a directory; to install on this host, leave --root out"),
                    run.describe());
        }
        assertEquals("", hostCommandsCalled());
    }

    @Test
    void rootThatIsTheRunningHostsSlash_isAnErrorNotTheRunningHost() throws IOException {
        Path linkToSlash = Files.createSymbolicLink(scratch.resolve("host-root"), Path.of("/"));
        Path tmpDotDot = Path.of(System.getProperty("java.io.tmpdir"), "..");
        for (String dir : List.of("/", "//", tmpDotDot.toString(), linkToSlash.toString())) {
            // --dry-run: were the check gone, the run would still write nothing on the machine running the tests
            for (List<String> args : List.of(List.of("--root", dir, "--dry-run"),
                    List.of("--root=" + dir, "--dry-run"))) {
                RealTools.Result run = refused(bundle, args.toArray(String[]::new));
                assertEquals(2, run.exitCode(), run.describe());
                assertTrue(run.stderr().contains("--root " + dir + " is this host's /, and --root never touches the "
                        + "running host; to install on this host, leave --root out"), run.describe());
                assertEquals("", run.stdout(), "refused after it began: " + run.describe());
            }
        }
        assertEquals("", hostCommandsCalled());
    }

    @Test
    void symlinkedDirectoryInsideRoot_isRefusedAndNothingIsWrittenThroughIt() throws IOException {
        Path outside = Files.createDirectories(scratch.resolve("outside"));
        Files.createSymbolicLink(root.resolve("var"), outside);

        RealTools.Result run = refused(bundle, "--root", root.toString());

        assertTrue(run.stderr().contains("/var is a symbolic link"), run.describe());
        try (Stream<Path> written = Files.list(outside)) {
            assertEquals(List.of(), written.toList(), "install.sh wrote through the link, outside the root");
        }
        assertEquals(List.of("/", "/var"), rootEntries());
    }

    @Test
    void symlinkOrDirectoryAtATargetPath_isRefusedAndTheOtherFilesAreLeftAlone() throws IOException {
        install("--root", root.toString());
        Path outsideFile = Files.writeString(scratch.resolve("outside-file"), "not hardway's\n");
        Path conflist = root.resolve("etc/cni/net.d/10-hardway.conflist");
        Files.delete(conflist);
        Files.createSymbolicLink(conflist, outsideFile);
        Path kubeletConfig = root.resolve(KUBELET_CONFIG.substring(1));
        Files.delete(kubeletConfig);
        Files.createDirectory(kubeletConfig);
        Map<String, Stat> before = snapshot(root);

        RealTools.Result run = refused(bundle, "--root", root.toString());

        assertTrue(run.stderr().contains("/etc/cni/net.d/10-hardway.conflist is a symbolic link"), run.describe());
        assertTrue(run.stderr().contains(KUBELET_CONFIG + " is a directory"), run.describe());
        assertEquals("not hardway's\n", Files.readString(outsideFile));
        assertEquals(List.of(), changedPaths(before, snapshot(root)), "a refused run changed the root");
    }

    /**
     * A stand-in for {@code name} on PATH that runs the real one and then, on its {@code killAt}-th call, kills
     * the install.sh that called it with SIGKILL: no trap runs, exactly as when the machine loses power.
     */
    private Path killerOnPath(String name, int killAt) throws IOException {
        Path dir = Files.createDirectories(scratch.resolve("killer-" + name + "-" + killAt));
        Path counter = dir.resolve("calls");
        Path real = RealTools.tool(name);
        Path stub = dir.resolve(name);
        Files.writeString(stub, "#!/bin/sh\n"
                + "n=$(cat '" + counter + "' 2>/dev/null || echo 0); n=$((n + 1)); echo \"$n\" > '" + counter + "'\n"
                + "'" + real + "' \"$@\" || exit $?\n"
                + "[ \"$n\" -ne " + killAt + " ] || kill -9 \"$PPID\"\n");
        Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    private RealTools.Result installWith(Path extraPath, Path bundleDir) {
        return RealTools.command(List.of(RealTools.tool("bash").toString(), bundleDir.resolve("install.sh").toString(),
                        "--root", root.toString()))
                .env("PATH", extraPath + ":" + spies + ":" + System.getenv("PATH"))
                .directory(scratch)
                .run();
    }

    private static Map<String, String> contentsAndModes(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        snapshot(dir).forEach((path, stat) -> out.put(path, stat.type() + " " + Integer.toOctalString(stat.mode())
                + " " + stat.sha256()));
        return out;
    }

    @Test
    void killedWithSigkillAtSeveralPoints_nextRunConvergesAndLeavesNoTemporaryFile() throws IOException {
        Path reference = Files.createDirectories(scratch.resolve("reference"));
        install("--root", reference.toString());
        Map<String, String> expected = contentsAndModes(reference);
        int leftBehind = 0;
        // chmod runs for every directory created and for every temporary file before its content lands
        for (int killAt : List.of(2, 9, 14, 19, 25)) {
            Path fresh = Files.createDirectories(scratch.resolve("root-" + killAt));
            root = fresh;
            RealTools.Result killed = installWith(killerOnPath("chmod", killAt), bundle);
            assertEquals(137, killed.exitCode(), "not killed at chmod call " + killAt + "\n" + killed.describe());
            leftBehind += leftovers(fresh).size();

            RealTools.Result next = install("--root", fresh.toString());

            assertEquals(List.of(), leftovers(fresh), "after the run following a kill at " + killAt);
            assertEquals(expected, contentsAndModes(fresh), "did not converge after a kill at " + killAt);
            assertTrue(summary(next)[0] > 0, next.describe());
            assertEquals("0 changed", install("--root", fresh.toString()).lastLine().replaceFirst(",.*", ""));
        }
        assertTrue(leftBehind > 0, "no kill landed between a temporary file's creation and its rename");
    }

    @Test
    void killedAfterReplacingAFileBeforeRestarting_nextRunStillRestartsItsService() throws IOException {
        install("--root", root.toString());
        Path next = changed.unpack(NODE, scratch.resolve("changed"));

        // mv #1 records the owed restart, mv #2 replaces the kubelet config; then the run dies
        RealTools.Result killed = installWith(killerOnPath("mv", 2), next);
        assertEquals(137, killed.exitCode(), killed.describe());
        assertTrue(Files.readString(root.resolve(KUBELET_CONFIG.substring(1))).contains("maxPods: 111"));
        assertEquals("kubelet\n", Files.readString(root.resolve("var/lib/hardway/pending-restarts")));

        RealTools.Result rerun = install(next, "--root", root.toString()).runOk();

        assertTrue(rerun.lastLine().startsWith("0 changed,"), "the file was already in place\n" + rerun.describe());
        assertTrue(rerun.stdout().contains("restarts owed by an interrupted run: kubelet"), rerun.describe());
        assertTrue(rerun.stdout().contains("--root: on a host this run would restart kubelet"), rerun.describe());
        assertFalse(Files.exists(root.resolve("var/lib/hardway/pending-restarts")), "the owed restart was done");
        RealTools.Result third = install(next, "--root", root.toString()).runOk();
        assertFalse(third.stdout().contains("would restart"), third.describe());
    }

    @Test
    void dryRunAfterSpecChange_printsUnifiedDiffOfTheChangedLineAndWritesNothing() throws IOException {
        int items = summary(install("--root", root.toString()))[0];
        Map<String, Stat> before = snapshot(root);
        Path next = changed.unpack(NODE, scratch.resolve("changed"));

        RealTools.Result dry = install(next, "--dry-run", "--root", root.toString()).runOk();

        List<String> out = dry.stdout().lines().toList();
        assertTrue(out.contains("--- " + KUBELET_CONFIG) && out.contains("+++ " + KUBELET_CONFIG), dry.describe());
        assertTrue(out.contains("-maxPods: 110") && out.contains("+maxPods: 111"), dry.describe());
        assertTrue(out.contains("--root: on a host this run would restart kubelet"), dry.describe());
        assertEquals("1 changed, " + (items - 1) + " unchanged", dry.lastLine());
        assertEquals(List.of(), changedPaths(before, snapshot(root)), "the dry run changed the root");
    }

    @Test
    void dryRun_onChangedKeyAndKubeconfig_redactsEveryKeyAndShowsModes() throws IOException {
        install("--root", root.toString());
        Path key = root.resolve("var/lib/kubelet/kubelet.key");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nSEEKRIT\n-----END PRIVATE KEY-----\n");
        Path kubeconfig = root.resolve("var/lib/kubelet/kubeconfig");
        String bundled = Files.readString(kubeconfig);
        String bundledKey = bundled.lines().filter(l -> l.contains("client-key-data")).findFirst().orElseThrow()
                .replaceFirst(".*client-key-data:\\s*", "").replace("\"", "");
        Files.writeString(kubeconfig, bundled.replace("server.kubernetes.local", "old.kubernetes.local")
                .replaceFirst("client-certificate-data:.*", "client-certificate-data: T0xEQ0VSVA==")
                .replaceFirst("client-key-data:.*", "client-key-data: T0xES0VZ"));
        Files.setPosixFilePermissions(kubeconfig, PosixFilePermissions.fromString("rw-r--r--"));

        RealTools.Result dry = install("--dry-run", "--root", root.toString());

        String out = dry.stdout();
        assertTrue(out.contains("would write /var/lib/kubelet/kubelet.key (0600)\n  (secret: the content is not shown)"),
                dry.describe());
        assertTrue(out.contains("client-key-data: (redacted)"), dry.describe());
        assertTrue(out.contains("  mode 644 -> 0600"), dry.describe());
        for (String secret : List.of("PRIVATE KEY", "SEEKRIT", "T0xES0VZ", bundledKey)) {
            assertFalse(out.contains(secret), "the dry run shows key material: " + secret.substring(0, Math.min(8, secret.length())) + "\n" + dry.describe());
        }
        assertTrue(out.contains("\n-      server: \"https://old.kubernetes.local:6443\"\n"
                + "+      server: \"https://server.kubernetes.local:6443\"\n"), dry.describe());
        assertTrue(dry.lastLine().startsWith("2 changed,"), dry.describe());
    }

    @Test
    void resolvConf_rootWithSystemdResolvedEnabled_getsSystemdResolvedsFile() throws IOException {
        Path wants = Files.createDirectories(root.resolve("etc/systemd/system/multi-user.target.wants"));
        Files.createSymbolicLink(wants.resolve("systemd-resolved.service"),
                Path.of("/lib/systemd/system/systemd-resolved.service"));

        RealTools.Result run = install("--root", root.toString());

        assertTrue(run.stdout().contains("kubelet resolvConf: /run/systemd/resolve/resolv.conf"), run.describe());
        assertArrayEquals(bundleFiles().get(KUBELET_CONFIG).content(),
                Files.readAllBytes(root.resolve(KUBELET_CONFIG.substring(1))), "installed as bundled");
    }

    @Test
    void resolvConf_setInSpec_isInstalledAsWrittenOnEveryHost() throws IOException {
        GeneratedCluster fixed = cluster.regenerate(cluster.editedSpec(scratch.resolve("fixed"), "workers:",
                "kubelet:\n  resolvConf: /etc/resolv.conf.upstream\nworkers:"), scratch.resolve("fixed/out"));
        Path fixedBundle = fixed.unpack(NODE, scratch.resolve("fixed-unpacked"));

        RealTools.Result run = install(fixedBundle, "--root", root.toString()).runOk();

        assertFalse(run.stdout().contains("kubelet resolvConf:"), run.describe());
        assertTrue(Files.readString(root.resolve(KUBELET_CONFIG.substring(1)))
                .contains("resolvConf: \"/etc/resolv.conf.upstream\""));
    }

    @Test
    void apiServerAddress_keepsOneMarkedHostsBlockAndTheRestOfEtcHosts() throws IOException {
        GeneratedCluster withAddress = cluster.regenerate(cluster.editedSpec(scratch.resolve("hosts"),
                "  extraSans:", "  address: 10.240.0.10\n  extraSans:"), scratch.resolve("hosts/out"));
        Path hostsBundle = withAddress.unpack(NODE, scratch.resolve("hosts-unpacked"));
        Path hosts = Files.createDirectories(root.resolve("etc")).resolve("hosts");
        Files.writeString(hosts, "127.0.0.1 localhost\n10.0.0.5 other\n");

        install(hostsBundle, "--root", root.toString()).runOk();
        String block = "# BEGIN hardway cluster demo: apiServer.endpoint\n10.240.0.10 server.kubernetes.local\n"
                + "# END hardway cluster demo\n";
        assertEquals("127.0.0.1 localhost\n10.0.0.5 other\n" + block, Files.readString(hosts));

        RealTools.Result again = install(hostsBundle, "--root", root.toString()).runOk();
        assertTrue(again.lastLine().startsWith("0 changed,"), again.describe());
        assertEquals("127.0.0.1 localhost\n10.0.0.5 other\n" + block, Files.readString(hosts));
    }

    @Test
    void preflight_binaryVersionsOtherThanTheBundles_areNamed() throws IOException {
        Path bin = Files.createDirectories(root.resolve("usr/local/bin"));
        Path kubelet = Files.writeString(bin.resolve("kubelet"), "#!/bin/sh\necho 'Kubernetes v1.31.4'\n");
        Files.setPosixFilePermissions(kubelet, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path proxy = Files.writeString(bin.resolve("kube-proxy"), "#!/bin/sh\necho 'Kubernetes v1.32.3'\n");
        Files.setPosixFilePermissions(proxy, PosixFilePermissions.fromString("rwxr-xr-x"));
        // Debian 13's real containerd 1.7, where the bundle's config.toml is version 3, for containerd 2
        Files.copy(RealTools.tool("containerd"), bin.resolve("containerd"));

        RealTools.Result run = install("--root", root.toString());

        assertTrue(run.stdout().contains("/usr/local/bin/kubelet is version 1.31.4; this bundle needs 1.32.3"),
                run.describe());
        assertFalse(run.stdout().contains("/usr/local/bin/kube-proxy is version"), run.describe());
        assertTrue(run.stdout().matches("(?s).*/usr/local/bin/containerd is version 1\\.7\\.\\d+; this bundle "
                + "needs 2 \\(config.toml is written in version 3, for containerd 2\\).*"), run.describe());
    }

    @Test
    void dryRunOnThisHost_inAnEmptyNetworkNamespace_namesUnresolvableEndpointAndCgroupVersion() throws IOException {
        // read-only on the real host: --dry-run writes nothing, the host commands are spies, and the empty
        // namespace has no route anywhere, so the name lookup cannot send a packet off this machine
        String ns = "hw-dry-" + Long.toHexString(System.nanoTime());
        RealTools.command("ip", "netns", "add", ns).runOk();
        try {
            RealTools.Result dry = RealTools.command(List.of(RealTools.tool("ip").toString(), "netns", "exec", ns,
                            RealTools.tool("bash").toString(), bundle.resolve("install.sh").toString(), "--dry-run"))
                    .env("PATH", spies + ":" + System.getenv("PATH"))
                    .directory(scratch)
                    .runOk();
            assertTrue(dry.stdout().contains("the API server endpoint's host server.kubernetes.local does not resolve"
                    + " on this host (getent hosts server.kubernetes.local)"), dry.describe());
            String cgroup = RealTools.command("stat", "-fc", "%T", "/sys/fs/cgroup").runOk().stdout().strip();
            assertEquals(!cgroup.equals("cgroup2fs"), dry.stdout().contains("cgroup v1 is deprecated, and kubelet "
                    + "1.35 refuses it"), dry.describe());
            assertTrue(dry.lastLine().matches("\\d+ changed, \\d+ unchanged"), dry.describe());
        } finally {
            RealTools.command("ip", "netns", "del", ns).runOk();
        }
    }

    // ---- the node's executables from an offline directory (install.sh --binaries DIR) ----

    private static final List<String> WORKER_EXECUTABLES = List.of("containerd", "containerd-shim-runc-v2", "runc",
            "kubelet", "kube-proxy", "bridge", "host-local", "portmap", "loopback");

    /** A mirror directory with a stand-in for each executable and its {@code .sha256} as dl.k8s.io publishes it. */
    private Path mirror() throws IOException {
        Path dir = Files.createDirectories(scratch.resolve("mirror"));
        for (String name : WORKER_EXECUTABLES) {
            Path file = Files.writeString(dir.resolve(name), "#!/bin/sh\necho 'stand-in " + name + "'\n");
            Files.writeString(dir.resolve(name + ".sha256"), sha256(file) + "\n");
        }
        return dir;
    }

    @Test
    void binaries_fromMirrorWithMatchingChecksums_areInstalledAndASecondRunChangesNothing() throws IOException {
        Path mirror = mirror();

        RealTools.Result run = install("--binaries", mirror.toString(), "--root", root.toString());

        for (String name : WORKER_EXECUTABLES) {
            String target = name.equals("runc") ? "usr/local/sbin/runc"
                    : List.of("bridge", "host-local", "portmap", "loopback").contains(name) ? "opt/cni/bin/" + name
                    : "usr/local/bin/" + name;
            assertArrayEquals(Files.readAllBytes(mirror.resolve(name)), Files.readAllBytes(root.resolve(target)), name);
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve(target))));
        }
        assertTrue(run.stdout().contains("install /usr/local/bin/kubelet 1.32.3 from " + mirror.toRealPath()
                + "/kubelet"), run.describe());
        assertFalse(run.stdout().contains("/usr/local/bin/kubelet is missing"), run.describe());
        RealTools.Result again = install("--binaries", mirror.toString(), "--root", root.toString());
        assertTrue(again.lastLine().startsWith("0 changed,"), again.describe());
        assertFalse(again.stdout().contains("would restart"), again.describe());
    }

    @Test
    void binaries_checksumMismatchOrNoChecksum_isRefusedAndNothingIsWritten() throws IOException {
        Path mirror = mirror();
        Files.writeString(mirror.resolve("kubelet"), "#!/bin/sh\necho tampered\n");
        Files.delete(mirror.resolve("runc.sha256"));

        RealTools.Result run = refused(bundle, "--binaries", mirror.toString(), "--root", root.toString());

        assertTrue(run.stderr().contains("kubelet: sha256 "), run.describe());
        assertTrue(run.stderr().contains("runc: no checksum (pin it in cluster.yaml as binaries.checksums: "
                + "[{name: runc, sha256: ...}], or put runc.sha256 beside it)"), run.describe());
        assertEquals(List.of("/"), rootEntries(), "install.sh wrote into the root");
    }

    @Test
    void binaries_checksumPinnedInSpec_winsOverTheMirrorsOwn() throws IOException {
        Path mirror = mirror();
        String wrong = "0".repeat(64);
        GeneratedCluster pinned = cluster.regenerate(cluster.editedSpec(scratch.resolve("pinned"), "workers:",
                "binaries:\n  checksums:\n    - name: kubelet\n      sha256: " + wrong + "\nworkers:"), scratch.resolve("pinned/out"));
        Path pinnedBundle = pinned.unpack(NODE, scratch.resolve("pinned-unpacked"));

        RealTools.Result run = refused(pinnedBundle, "--binaries", mirror.toString(), "--root", root.toString());

        assertTrue(run.stderr().contains("kubelet: sha256 " + sha256(mirror.resolve("kubelet")) + ", expected " + wrong),
                run.describe());
        assertEquals(List.of("/"), rootEntries());
    }

    @Test
    void preflightAndListBinaries_nameTheExactUpstreamFileToFetch() throws IOException {
        List<String> listed = install("--list-binaries", "--root", root.toString()).stdout().lines().toList();
        assertEquals(WORKER_EXECUTABLES.size(), listed.size(), String.join("\n", listed));
        assertTrue(listed.contains("/usr/local/sbin/runc 1.3.6 linux/amd64 "
                + "https://github.com/opencontainers/runc/releases/download/v1.3.6/runc.amd64 sha256:-"), listed.toString());
        assertEquals(List.of("/"), rootEntries(), "--list-binaries wrote something");

        RealTools.Result run = install("--root", root.toString());
        assertTrue(run.stdout().contains("/usr/local/bin/kubelet is missing (not executable): fetch "
                + "https://dl.k8s.io/release/v1.32.3/bin/linux/amd64/kubelet"), run.describe());
        String containerd = cluster.cluster().containerdVersion().toString();
        assertTrue(run.stdout().contains("/usr/local/bin/containerd-shim-runc-v2 is missing (not executable): fetch "
                + "https://github.com/containerd/containerd/releases/download/v" + containerd + "/containerd-"
                + containerd + "-linux-amd64.tar.gz (bin/containerd-shim-runc-v2)"), run.describe());

    }

    // ---- executables replaced by hand (not by --binaries) since the last run ----

    /** Replaces {@code file} as a user would, with a new file (a new inode), answering --version with {@code line}. */
    private static void replaceByHand(Path file, String versionLine) throws IOException {
        Files.delete(file);
        Files.writeString(file, "#!/bin/sh\necho '" + versionLine + "'\n# rebuilt " + System.nanoTime() + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The record of the executables install.sh keeps in {@code dir}, or "(none)". */
    private static String recordIn(Path dir) throws IOException {
        Path record = dir.resolve(BINARIES_RECORD.substring(1));
        return Files.exists(record) ? Files.readString(record) : "(none)";
    }

    private static List<String> wouldRestart(RealTools.Result run) {
        return run.stdout().lines().filter(l -> l.startsWith("--root: on a host this run would restart "))
                .map(l -> l.substring("--root: on a host this run would restart ".length())).toList();
    }

    @Test
    void binaryReplacedByHand_nextRunRestartsTheServicesUsingIt_andTheRunAfterRestartsNothing() throws IOException {
        standInExecutables(root);
        install("--root", root.toString());
        assertEquals(List.of(), wouldRestart(install("--root", root.toString())), "nothing changed yet");
        String kubeletBefore = sha256(root.resolve("usr/local/bin/kubelet"));

        replaceByHand(root.resolve("usr/local/bin/kubelet"), "Kubernetes v1.32.3");
        replaceByHand(root.resolve("usr/local/sbin/runc"), "runc version 1.3.6");
        replaceByHand(root.resolve("opt/cni/bin/bridge"), "CNI bridge");
        Map<String, Stat> before = snapshot(root);

        RealTools.Result dry = install("--dry-run", "--root", root.toString());
        assertEquals(List.of(), changedPaths(before, snapshot(root)), "the dry run wrote something");
        assertTrue(dry.stdout().contains("/usr/local/bin/kubelet changed since install.sh last ran (restarts "
                + "kubelet)"), dry.describe());
        assertEquals(List.of("containerd", "kubelet"), wouldRestart(dry), dry.describe());

        RealTools.Result run = install("--root", root.toString());

        assertEquals(List.of("containerd", "kubelet"), wouldRestart(run), "runc restarts containerd, the kubelet "
                + "its own; a CNI plugin restarts nothing and kube-proxy's executable is the same\n" + run.describe());
        assertTrue(run.stdout().contains("/opt/cni/bin/bridge changed since install.sh last ran\n"), run.describe());
        assertTrue(run.lastLine().startsWith("0 changed,"), "no bundle file changed\n" + run.describe());
        assertEquals(List.of(BINARIES_RECORD), changedPaths(withoutDirectoryTimes(before),
                withoutDirectoryTimes(snapshot(root))), "only the record moves on");
        assertFalse(Files.exists(root.resolve(PENDING.substring(1))), "reported is all a --root run does");
        String recorded = recordIn(root);
        assertTrue(recorded.contains(sha256(root.resolve("usr/local/bin/kubelet")) + "  /usr/local/bin/kubelet\n")
                && !recorded.contains(kubeletBefore + "  /usr/local/bin/kubelet\n"), recorded);

        Map<String, Stat> settled = snapshot(root);
        RealTools.Result again = install("--root", root.toString());
        assertEquals(List.of(), wouldRestart(again), again.describe());
        assertFalse(again.stdout().contains("changed since install.sh last ran"), again.describe());
        assertEquals(List.of(), changedPaths(settled, snapshot(root)), "a run with nothing changed touched a path");
        assertEquals("", hostCommandsCalled());
    }

    /**
     * The owed restarts are recorded (mv #1) before anything else happens; the record of the executables moves on
     * (mv #2) only after the restarts, and the owed ones are cleared after that: a run killed at either point leaves
     * the next run owing the kubelet its restart.
     */
    @Test
    void binaryReplacedByHand_runKilledBeforeOrAfterRecordingIt_nextRunStillRestartsItsService() throws IOException {
        for (int killAt : List.of(1, 2)) {
            root = Files.createDirectories(scratch.resolve("root-" + killAt));
            standInExecutables(root);
            install("--root", root.toString());
            String oldRecord = recordIn(root);
            replaceByHand(root.resolve("usr/local/bin/kubelet"), "Kubernetes v1.32.3");

            RealTools.Result killed = installWith(killerOnPath("mv", killAt), bundle);

            assertEquals(137, killed.exitCode(), "not killed at mv " + killAt + "\n" + killed.describe());
            assertEquals("kubelet\n", Files.readString(root.resolve(PENDING.substring(1))), "killed at mv " + killAt);
            assertEquals(killAt == 1, oldRecord.equals(recordIn(root)), "killed at mv " + killAt);
            RealTools.Result next = install("--root", root.toString());
            assertTrue(next.stdout().contains("restarts owed by an interrupted run: kubelet"), next.describe());
            assertEquals(List.of("kubelet"), wouldRestart(next), "killed at mv " + killAt + "\n" + next.describe());
            assertFalse(Files.exists(root.resolve(PENDING.substring(1))));
            RealTools.Result third = install("--root", root.toString());
            assertEquals(List.of(), wouldRestart(third), third.describe());
        }
    }

    /**
     * A root installed by an install.sh that kept no record (an earlier hardway): its first run records the
     * executables and restarts nothing for them, and says it could not compare them with running services (a
     * --root run never looks at the host's; a host run does, see ExecutableReplacedByHandHostTest).
     */
    @Test
    void noRecordYet_executablesAreRecordedAndRestartNothing_aLaterReplacementDoes() throws IOException {
        standInExecutables(root);
        install("--root", root.toString());
        Files.deleteIfExists(root.resolve(BINARIES_RECORD.substring(1)));
        replaceByHand(root.resolve("usr/local/bin/kube-proxy"), "Kubernetes v1.32.3");

        RealTools.Result first = install("--root", root.toString());

        assertEquals(List.of(), wouldRestart(first), first.describe());
        replaceByHand(root.resolve("usr/local/bin/kube-proxy"), "Kubernetes v1.32.3");
        assertEquals(List.of("kube-proxy"), wouldRestart(install("--root", root.toString())));
        assertTrue(first.stdout().contains("--root: skipped comparing each running service with its executable"),
                first.describe());
        assertTrue(first.stdout().contains("note: no record of /usr/local/bin/containerd "
                + "/usr/local/bin/containerd-shim-runc-v2 /usr/local/sbin/runc /usr/local/bin/kubelet "
                + "/usr/local/bin/kube-proxy yet ("
                + BINARIES_RECORD + "), so one replaced by hand since the last install restarts nothing this time"),
                first.describe());
        assertTrue(recordIn(root).contains(sha256(root.resolve("usr/local/bin/kube-proxy"))
                + "  /usr/local/bin/kube-proxy\n"), recordIn(root));
    }

    /**
     * The reviewer's reproduction: a controller on a patch upgrade, whose units and configuration (but for the
     * scheduler's) do not change, with the new executables put in place by hand. Every service whose executable
     * changed restarts; etcd, whose executable and files stay, does not.
     */
    @Test
    void controllerPatchUpgrade_executablesReplacedByHand_restartsEveryServiceWhoseExecutableChanged()
            throws IOException {
        GeneratedCluster v1 = GeneratedCluster.generate(cluster.editedSpec(scratch.resolve("c1"), "name: demo",
                "name: demo"), scratch.resolve("c1"));
        GeneratedCluster v2 = v1.regenerate(v1.editedSpec(scratch.resolve("c2"), "kubernetesVersion: 1.32.3",
                "kubernetesVersion: 1.32.4"), scratch.resolve("c2/out"));
        Path old = v1.unpack("controller-0", scratch.resolve("c1-unpacked"));
        Path next = v2.unpack("controller-0", scratch.resolve("c2-unpacked"));
        List<String> kubernetes = List.of("kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl");
        Path bin = Files.createDirectories(root.resolve("usr/local/bin"));
        for (String name : List.of("etcd", "etcdctl")) {
            Files.writeString(bin.resolve(name), "#!/bin/sh\necho 'etcd Version: 3.5.16'\n");
            Files.setPosixFilePermissions(bin.resolve(name), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        for (String name : kubernetes) {
            Files.writeString(bin.resolve(name), "#!/bin/sh\necho 'Kubernetes v1.32.3'\n");
            Files.setPosixFilePermissions(bin.resolve(name), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        install(old, "--root", root.toString()).runOk();
        for (String name : kubernetes) {
            replaceByHand(bin.resolve(name), "Kubernetes v1.32.4");
        }

        RealTools.Result run = install(next, "--root", root.toString()).runOk();

        assertFalse(run.stdout().contains("is version"), "the executables are the bundle's\n" + run.describe());
        assertEquals(List.of("kube-apiserver", "kube-controller-manager", "kube-scheduler"), wouldRestart(run),
                run.describe());
        assertEquals(List.of(), wouldRestart(install(next, "--root", root.toString()).runOk()));
    }

    // ---- host mode (no --root), inside a private mount namespace ----

    /**
     * Runs install.sh as on a host (no {@code --root}), but inside a private mount namespace in which scratch
     * directories are bind-mounted over /etc, /var/lib, /opt and /usr/local: everything it writes lands there, and
     * the mounts vanish with the process. If any mount fails, install.sh is never started ({@code &&}). systemctl,
     * modprobe, sysctl and swapon are stand-ins that log their calls and succeed (systemctl's restart fails while
     * {@code host/restart-fails} exists, and systemctl runs {@code host/systemctl-hook} with its arguments, failing
     * as it fails, where the test wrote one): only this test uses succeeding stand-ins, to see what a host run
     * restarts.
     */
    private RealTools.Result installOnHost(Path host, Path bundleDir, Path extraPath) throws IOException {
        Path standIns = Files.createDirectories(host.resolve("stand-ins"));
        Path log = host.resolve("host-commands.log");
        for (String command : List.of("systemctl", "modprobe", "sysctl", "swapon")) {
            Path stub = standIns.resolve(command);
            String body = "#!/bin/sh\necho \"" + command + " $*\" >> '" + log + "'\n"
                    + (command.equals("systemctl") ? "[ \"$1\" != restart ] || [ ! -e '" + host.resolve("restart-fails")
                    + "' ] || exit 1\n[ ! -x '" + host.resolve("systemctl-hook") + "' ] || exec '"
                    + host.resolve("systemctl-hook") + "' \"$@\"\n" : "")
                    + "exit 0\n";
            Files.writeString(stub, body);
            Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        List<String> mounts = new ArrayList<>();
        for (String dir : List.of("etc", "var/lib", "opt", "usr/local")) {
            Path over = Files.createDirectories(host.resolve("fs").resolve(dir));
            mounts.add("mount --bind '" + over + "' /" + dir);
        }
        String path = (extraPath == null ? "" : extraPath + ":") + standIns + ":" + System.getenv("PATH");
        return RealTools.command(List.of(RealTools.tool("unshare").toString(), "--mount", "--propagation", "private",
                        "sh", "-c", String.join(" && ", mounts) + " && exec bash \"$1\"", "sh",
                        bundleDir.resolve("install.sh").toString()))
                .env("PATH", path)
                .directory(scratch)
                .run();
    }

    /** Stand-in executables where the units expect them, answering --version as the bundle's releases do. */
    private static void standInBinaries(Path host) throws IOException {
        standInExecutables(host.resolve("fs"));
    }

    /** {@link #standInBinaries}, into the root {@code fs}. */
    private static void standInExecutables(Path fs) throws IOException {
        Map<String, String> versions = Map.of(
                "usr/local/bin/kubelet", "Kubernetes v1.32.3", "usr/local/bin/kube-proxy", "Kubernetes v1.32.3",
                "usr/local/bin/containerd", "containerd github.com/containerd/containerd/v2 v2.1.4 0123abc",
                "usr/local/bin/containerd-shim-runc-v2", "shim", "usr/local/sbin/runc", "runc version 1.3.6",
                "opt/cni/bin/bridge", "CNI bridge", "opt/cni/bin/host-local", "CNI host-local",
                "opt/cni/bin/portmap", "CNI portmap", "opt/cni/bin/loopback", "CNI loopback");
        for (Map.Entry<String, String> e : versions.entrySet()) {
            Path bin = fs.resolve(e.getKey());
            Files.createDirectories(bin.getParent());
            Files.writeString(bin, "#!/bin/sh\necho '" + e.getValue() + "'\n");
            Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static String hostLog(Path host) throws IOException {
        Path log = host.resolve("host-commands.log");
        String text = Files.exists(log) ? Files.readString(log) : "";
        Files.deleteIfExists(log);
        return text;
    }

    @Test
    void hostRun_interruptedBeforeItsRestarts_nextRunRestartsAndAFailedRestartIsOwedAgain() throws IOException {
        RealTools.requireRoot("a private mount namespace");
        GeneratedCluster v1 = cluster.regenerate(cluster.editedSpec(scratch.resolve("v1"), "  extraSans:",
                "  address: 10.240.0.10\n  extraSans:"), scratch.resolve("v1/out"));
        GeneratedCluster v2 = v1.regenerate(v1.editedSpec(scratch.resolve("v2"), "workers:",
                "kubelet:\n  maxPods: 111\nworkers:"), scratch.resolve("v2/out"));
        Path first = v1.unpack(NODE, scratch.resolve("v1-unpacked"));
        Path next = v2.unpack(NODE, scratch.resolve("v2-unpacked"));
        Path host = Files.createDirectories(scratch.resolve("host"));
        Files.createDirectories(host.resolve("fs/etc"));
        standInBinaries(host);
        Path pending = host.resolve("fs/var/lib/hardway/pending-restarts");
        // the empty /etc would break Debian's /usr/sbin/iptables -> /etc/alternatives/iptables link
        RealTools.command("cp", "-a", "/etc/alternatives", host.resolve("fs/etc").toString()).runOk();

        RealTools.Result initial = installOnHost(host, first, null);
        assertEquals(0, initial.exitCode(), initial.describe());
        assertTrue(hostLog(host).contains("systemctl restart kubelet"), "a first install starts what it wrote");
        assertTrue(Files.readString(host.resolve("fs/etc/hosts")).contains("10.240.0.10 server.kubernetes.local"));

        // the kubelet config is replaced (mv #2, after mv #1 recorded the owed restart), then the run dies
        RealTools.Result killed = installOnHost(host, next, killerOnPath("mv", 2));
        assertEquals(137, killed.exitCode(), killed.describe());
        assertFalse(hostLog(host).contains("systemctl restart"), "killed before any restart");
        assertEquals("kubelet\n", Files.readString(pending));

        // the next run finds every file in place, and still owes the kubelet a restart; that restart fails
        Files.createFile(host.resolve("restart-fails"));
        RealTools.Result failing = installOnHost(host, next, null);
        assertNotEquals(0, failing.exitCode(), failing.describe());
        assertTrue(hostLog(host).contains("systemctl restart kubelet"), failing.describe());
        assertEquals("kubelet\n", Files.readString(pending), "a failed restart stays owed");

        Files.delete(host.resolve("restart-fails"));
        RealTools.Result rerun = installOnHost(host, next, null);
        assertEquals(0, rerun.exitCode(), rerun.describe());
        assertTrue(rerun.lastLine().startsWith("0 changed,"), rerun.describe());
        String calls = hostLog(host);
        assertTrue(calls.contains("systemctl daemon-reload") && calls.contains("systemctl restart kubelet"), calls);
        assertFalse(calls.contains("restart containerd") || calls.contains("restart kube-proxy"), calls);
        assertFalse(Files.exists(pending), "cleared once the restart succeeded");

        RealTools.Result quiet = installOnHost(host, next, null);
        assertEquals(0, quiet.exitCode(), quiet.describe());
        assertFalse(hostLog(host).contains("systemctl restart"), "nothing owed, nothing changed: no restart");
    }

    @Test
    void hostRun_binaryReplacedByHand_restartsTheServiceUsingIt_andASecondRunRestartsNothing() throws IOException {
        RealTools.requireRoot("a private mount namespace");
        GeneratedCluster v1 = cluster.regenerate(cluster.editedSpec(scratch.resolve("v1"), "  extraSans:",
                "  address: 10.240.0.10\n  extraSans:"), scratch.resolve("v1/out"));
        Path bundleDir = v1.unpack(NODE, scratch.resolve("v1-unpacked"));
        Path host = Files.createDirectories(scratch.resolve("host-bin"));
        Files.createDirectories(host.resolve("fs/etc"));
        RealTools.command("cp", "-a", "/etc/alternatives", host.resolve("fs/etc").toString()).runOk();
        standInBinaries(host);
        RealTools.Result initial = installOnHost(host, bundleDir, null);
        assertEquals(0, initial.exitCode(), initial.describe());
        hostLog(host);

        replaceByHand(host.resolve("fs/usr/local/bin/kubelet"), "Kubernetes v1.32.3");
        RealTools.Result run = installOnHost(host, bundleDir, null);

        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(run.lastLine().startsWith("0 changed,"), run.describe());
        String calls = hostLog(host);
        assertEquals(List.of("systemctl restart kubelet"), calls.lines().filter(l -> l.startsWith("systemctl restart"))
                .toList(), calls);
        assertFalse(Files.exists(host.resolve("fs/var/lib/hardway/pending-restarts")), "cleared once it restarted");

        RealTools.Result again = installOnHost(host, bundleDir, null);
        assertEquals(0, again.exitCode(), again.describe());
        assertFalse(hostLog(host).contains("systemctl restart"), "nothing changed: no restart");
    }

    @Test
    void hostRun_kubelet135OnCgroupV1_isRefusedNamingCgroupV2AndNothingIsWritten() throws IOException {
        RealTools.requireRoot("a private mount namespace");
        String cgroup = RealTools.command("stat", "-fc", "%T", "/sys/fs/cgroup").runOk().stdout().strip();
        GeneratedCluster v135 = cluster.regenerate(cluster.editedSpec(scratch.resolve("v135"), "  extraSans:",
                "  address: 10.240.0.10\n  extraSans:"), scratch.resolve("v135/out"));
        // a cluster of its own: the shared PKI records 1.32, from which 1.35 is no upgrade step
        v135 = GeneratedCluster.generate(v135.editedSpec(scratch.resolve("v135b"), "kubernetesVersion: 1.32.3",
                "kubernetesVersion: 1.35.0"), scratch.resolve("v135b"));
        Path bundle135 = v135.unpack(NODE, scratch.resolve("v135-unpacked"));
        Path host = Files.createDirectories(scratch.resolve("host135"));
        Files.createDirectories(host.resolve("fs/etc"));
        RealTools.command("cp", "-a", "/etc/alternatives", host.resolve("fs/etc").toString()).runOk();
        standInBinaries(host);
        for (String k8s : List.of("usr/local/bin/kubelet", "usr/local/bin/kube-proxy")) {
            Files.writeString(host.resolve("fs").resolve(k8s), "#!/bin/sh\necho 'Kubernetes v1.35.0'\n");
        }
        Path containerd = host.resolve("fs/usr/local/bin/containerd");
        Files.writeString(containerd, "#!/bin/sh\necho 'containerd github.com/containerd/containerd/v2 v2.2.0 abc'\n");

        RealTools.Result run = installOnHost(host, bundle135, null);

        if (cgroup.equals("cgroup2fs")) {
            assertEquals(0, run.exitCode(), run.describe());
        } else {
            assertEquals(1, run.exitCode(), run.describe());
            assertTrue(run.stderr().contains("/sys/fs/cgroup is " + cgroup + ", not cgroup2fs: kubelet 1.35 needs "
                    + "cgroup v2 (boot with systemd.unified_cgroup_hierarchy=1)"), run.describe());
            assertTrue(run.stderr().contains("nothing was written"), run.describe());
            assertFalse(Files.exists(host.resolve("fs/var/lib/kubelet")), "written although refused");
            assertEquals("", hostLog(host), "a refused run called host commands");
        }
    }

    /**
     * A peer whose internalIp is off this node's link: the kernel refuses its pod route, so hardway-pod-routes (the
     * first service) fails. install.sh still starts containerd, the kubelet and kube-proxy after it, names the
     * failed service, fails the run and owes that one restart to the next run. The stand-in systemctl runs the
     * installed apply script for real, in a network namespace where this node has 10.240.0.20/24.
     */
    @Test
    void hostRun_podRouteUnitFails_theOtherServicesStillStart_andTheRunFailsNamingIt() throws IOException {
        RealTools.requireRoot("a private mount namespace and a network namespace");
        String spec = Files.readString(cluster.specFile())
                .replace("  extraSans:", "  address: 10.240.0.10\n  extraSans:")
                .replace("    podCidr: 10.200.0.0/24\n", "    podCidr: 10.200.0.0/24\n"
                        + "  - name: worker-1\n    internalIp: 10.240.1.21\n    podCidr: 10.200.1.0/24\n"
                        + "  - name: worker-2\n    internalIp: 10.240.0.22\n    podCidr: 10.200.2.0/24\n");
        Path specFile = Files.writeString(Files.createDirectories(scratch.resolve("offlink")).resolve("cluster.yaml"),
                spec);
        GeneratedCluster offLink = GeneratedCluster.generate(specFile, scratch.resolve("offlink"));
        Path bundleDir = offLink.unpack(NODE, scratch.resolve("offlink-unpacked"));
        Path host = Files.createDirectories(scratch.resolve("host-routes"));
        Files.createDirectories(host.resolve("fs/etc"));
        RealTools.command("cp", "-a", "/etc/alternatives", host.resolve("fs/etc").toString()).runOk();
        standInBinaries(host);
        String ns = "hw-install-routes-" + ProcessHandle.current().pid();
        RealTools.command("ip", "netns", "add", ns).runOk();
        try {
            for (List<String> ip : List.of(List.of("link", "set", "lo", "up"),
                    List.of("link", "add", "eth0", "type", "veth", "peer", "name", "eth1"),
                    List.of("link", "set", "eth1", "up"), List.of("addr", "add", "10.240.0.20/24", "dev", "eth0"),
                    List.of("link", "set", "eth0", "up"))) {
                List<String> argv = new ArrayList<>(List.of(RealTools.tool("ip").toString(), "-n", ns));
                argv.addAll(ip);
                RealTools.command(argv).runOk();
            }
            // what systemd would run for the unit: its ExecStart, in the node's network namespace
            Path hook = host.resolve("systemctl-hook");
            Files.writeString(hook, "#!/bin/sh\ncase \"$1 $2\" in\n"
                    + "  'restart hardway-pod-routes'|'start hardway-pod-routes')\n    exec nsenter --net=/run/netns/" + ns
                    + " sh /usr/local/lib/hardway/apply-pod-routes.sh apply /etc/hardway/pod-routes ;;\nesac\nexit 0\n");
            Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path pending = host.resolve("fs/var/lib/hardway/pending-restarts");

            RealTools.Result run = installOnHost(host, bundleDir, null);
            assertEquals(1, run.exitCode(), run.describe());
            String calls = hostLog(host);
            int routes = calls.indexOf("systemctl restart hardway-pod-routes");
            assertTrue(routes >= 0, calls);
            for (String service : List.of("containerd", "kubelet", "kube-proxy")) {
                assertTrue(calls.indexOf("systemctl restart " + service) > routes, service + " not started:\n" + calls);
            }
            assertTrue(run.stderr().contains("node worker-1 (internalIp 10.240.1.21), pod subnet 10.200.1.0/24: "
                    + "10.240.1.21 is not on a network this host is directly attached to"), run.describe());
            assertTrue(run.stderr().contains("install.sh: every file is installed, but these services failed to "
                    + "start: hardway-pod-routes."), run.describe());
            assertTrue(SUMMARY.matcher(run.lastLine()).matches(), run.describe());
            assertEquals("hardway-pod-routes\n", Files.readString(pending), "only the failed restart stays owed");
            String routesNow = RealTools.command("ip", "-n", ns, "-4", "route", "show", "proto", "212").runOk()
                    .stdout();
            assertTrue(routesNow.contains("10.200.2.0/24 via 10.240.0.22"), "the on-link route is in:\n" + routesNow);

            // worker-1's network now on this node's link: the owed restart applies every route, and the run passes
            RealTools.command("ip", "-n", ns, "addr", "add", "10.240.1.20/24", "dev", "eth0").runOk();
            RealTools.Result fixed = installOnHost(host, bundleDir, null);
            assertEquals(0, fixed.exitCode(), fixed.describe());
            String again = hostLog(host);
            assertTrue(again.contains("systemctl restart hardway-pod-routes"), again);
            assertFalse(again.contains("systemctl restart kubelet"), "nothing of the kubelet's changed:\n" + again);
            assertFalse(Files.exists(pending), "cleared once the restart succeeded");
            routesNow = RealTools.command("ip", "-n", ns, "-4", "route", "show", "proto", "212").runOk().stdout();
            assertTrue(routesNow.contains("10.200.1.0/24 via 10.240.1.21"), routesNow);
        } finally {
            RealTools.command("ip", "netns", "del", ns).run();
        }
    }
}
