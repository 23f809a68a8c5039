package dev.hardway.realhost;

import dev.hardway.api.GenerationResult;
import dev.hardway.api.Hardway;
import dev.hardway.api.RenderedBundle;
import dev.hardway.model.ResolvedCluster;
import dev.hardway.testing.ProcessRun;
import dev.hardway.testing.TestClusters;
import dev.hardway.testing.ToolLookup;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import static dev.hardway.testing.ProcessRun.argv;

/**
 * The real-host fixture, booted once per test JVM and shared by the real-host test classes: two generated clusters,
 * every node booted (in parallel) as its own Debian 12 system and installed with plain {@code ./install.sh}.
 *
 * <ul>
 *   <li>{@code realhost} (cluster-containerd21.yaml): controller-0..2 (a 3-member TLS etcd) and worker-0..1,
 *       containerd 2.1 from Debian sid, config format 3;</li>
 *   <li>{@code realhost-v2} (cluster-containerd17.yaml): only its workers, worker-v2-0 (containerd 1.7 from Debian
 *       13, config format 2) and worker-v2-1 (kept for the installer robustness tests).</li>
 * </ul>
 *
 * <p>STAND-INS: kubelet, kube-proxy, kube-apiserver, kube-controller-manager and kube-scheduler are not packaged
 * anywhere reachable; /usr/local/bin holds scripts that log their arguments and stay running
 * (scripts/realhost/standin.sh), and /usr/local/sbin/modprobe reports only built-in modules. Everything else is
 * the real program: systemd 252, etcd 3.5, containerd 2.1 and 1.7, runc 1.1.5, the CNI plugins, iptables, kubectl.
 *
 * <p>Test-only host adaptations (this machine, not the product): containerd gets {@code restrict_oom_score_adj}
 * (CAP_SYS_RESOURCE is outside this machine's bounding set) through a drop-in naming a test-only config: for
 * format 3 it imports the generated /etc/containerd/config.toml (containerd 2 merges imports deeply); for format 2
 * it is the generated file with that one line added (containerd 1.7 replaces a whole plugin section from an
 * import).
 */
final class RealHostCluster implements AutoCloseable {
    static final Duration INSTALL_LIMIT = Duration.ofMinutes(5);

    /**
     * What {@code systemctl is-enabled} says of an installed service: every one is enabled, but for
     * hardway-etcd-members, which has no [Install] section (static) so that no boot reconciles etcd's members with
     * a members file that may be stale; install.sh starts it.
     */
    static String expectedEnablement(String service) {
        return service.equals("hardway-etcd-members") ? "static" : "enabled";
    }
    private static RealHostCluster shared;
    private static AssertionError failure;

    final Path work;
    final GenerationResult main;
    final GenerationResult v2;
    final Map<String, BootedNode> nodes = new LinkedHashMap<>();
    final Map<String, ProcessRun> firstInstall = new ConcurrentHashMap<>();
    final Map<String, RenderedBundle> bundles = new LinkedHashMap<>();
    private final HubNetwork network;
    final Duration rootfsTime;
    Duration setupTime;

    /** The fixture, booted on first use; a failed boot fails every later caller with the same error. */
    static synchronized RealHostCluster shared() {
        if (failure != null) {
            throw failure;
        }
        if (shared == null) {
            try {
                shared = new RealHostCluster();
            } catch (RuntimeException | AssertionError e) {
                failure = new AssertionError("the real-host cluster did not come up: " + e.getMessage(), e);
                throw failure;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "realhost-cleanup"));
        }
        return shared;
    }

    private RealHostCluster() {
        ToolLookup.requireRoot("the real-host tests (network namespaces, overlay mounts, systemd-nspawn)");
        long started = System.nanoTime();
        Path repo = TestClusters.repositoryRoot();
        ProcessRun rootfs = ProcessRun.ok(Duration.ofMinutes(15), argv(repo.resolve("scripts/realhost-rootfs.sh")));
        rootfsTime = rootfs.took();
        List<String> lines = rootfs.output().lines().toList();
        Path lower = Path.of(lines.get(lines.size() - 1).strip());
        try {
            removeLeftoversOfDeadRuns();
            work = Files.createTempDirectory(Path.of("/var/tmp"),
                    "hardway-realhost-" + ProcessHandle.current().pid() + "-");
            main = generate("cluster-containerd21.yaml", "main");
            v2 = generate("cluster-containerd17.yaml", "v2");
            Path kit = kit();
            network = HubNetwork.create();
            try {
                List<Object[]> plan = new ArrayList<>();
                main.rendered().cluster().controllers().forEach(c -> plan.add(new Object[]{main, c.name(), c.internalIp()}));
                main.rendered().cluster().workers().forEach(w -> plan.add(new Object[]{main, w.name(), w.internalIp()}));
                v2.rendered().cluster().workers().forEach(w -> plan.add(new Object[]{v2, w.name(), w.internalIp()}));
                for (Object[] p : plan) {
                    GenerationResult cluster = (GenerationResult) p[0];
                    String node = (String) p[1];
                    Path bundle = unpack(cluster, node);
                    bundles.put(node, cluster.rendered().bundle(node));
                    String ns = network.node(node, (String) p[2]);
                    nodes.put(node, new BootedNode(node, (String) p[2], ns, lower,
                            Files.createDirectories(work.resolve("nodes").resolve(node)), bundle, kit,
                            node.equals(ROBUSTNESS_NODE)));
                }
                parallel(nodes.values(), BootedNode::boot);
                parallel(nodes.values(), this::prepareAndInstall);
            } catch (RuntimeException | AssertionError e) {
                close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        setupTime = Duration.ofNanos(System.nanoTime() - started);
    }

    /**
     * A run killed hard (SIGKILL of the test JVM: no shutdown hook) leaves its namespaces, nodes and overlay mounts;
     * each carries the dead JVM's pid in its name, so the next run removes them.
     */
    static void removeLeftoversOfDeadRuns() {
        java.util.regex.Pattern owned = java.util.regex.Pattern.compile("hwrh-.*-(\\d+)");
        List<String> namespaces = ProcessRun.run(Duration.ofSeconds(20), argv("ip", "netns", "list")).output().lines()
                .toList();
        for (String line : namespaces) {
            String ns = line.split(" ")[0];
            java.util.regex.Matcher m = owned.matcher(ns);
            if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                ProcessRun.run(Duration.ofSeconds(20), argv("ip", "netns", "pids", ns)).output().lines()
                        .map(String::strip).filter(l -> l.matches("\\d+"))
                        .forEach(p -> ProcessHandle.of(Long.parseLong(p)).ifPresent(ProcessHandle::destroyForcibly));
                ProcessRun.run(Duration.ofSeconds(20), argv("ip", "netns", "del", ns));
            }
        }
        for (String hierarchy : List.of("systemd", "unified")) {
            Path parent = Path.of("/sys/fs/cgroup", hierarchy, BootedNode.CGROUP_PARENT);
            if (!Files.isDirectory(parent)) {
                continue;
            }
            try (Stream<Path> cgroups = Files.list(parent)) {
                for (Path cgroup : cgroups.toList()) {
                    java.util.regex.Matcher m = owned.matcher(cgroup.getFileName().toString());
                    if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                        ProcessRun.run(Duration.ofSeconds(20), argv("find", cgroup, "-depth", "-type", "d", "-exec",
                                "rmdir", "{}", ";"));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        java.util.regex.Pattern workDir = java.util.regex.Pattern.compile("(/var/tmp/hardway-realhost-(\\d+)-[^/]*)/.*");
        List<String> mounts = ProcessRun.run(Duration.ofSeconds(20), argv("findmnt", "-rn", "-o", "TARGET")).output()
                .lines().toList();
        for (String target : mounts) {
            java.util.regex.Matcher m = workDir.matcher(target);
            if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(2))).isEmpty()) {
                ProcessRun.run(Duration.ofSeconds(20), argv("umount", "-l", target));
            }
        }
    }

    /**
     * The worker the installer robustness tests and ExecutableReplacedByHandHostTest tamper with; its bundle is
     * bound writable.
     */
    static final String ROBUSTNESS_NODE = "worker-v2-1";

    private GenerationResult generate(String spec, String label) {
        try {
            Path specFile = Path.of(RealHostCluster.class.getResource(spec).toURI());
            return Hardway.generate(TestClusters.request(specFile, work.resolve("pki-" + label))
                    .clock(Clock.systemUTC()).outputDirectory(work.resolve("out-" + label)).build());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path unpack(GenerationResult cluster, String node) throws IOException {
        Path dir = Files.createDirectories(work.resolve("bundles"));
        Path tarball = cluster.rendered().cluster().name().equals("realhost")
                ? work.resolve("out-main").resolve(node + ".tar.gz") : work.resolve("out-v2").resolve(node + ".tar.gz");
        ProcessRun.ok(Duration.ofSeconds(30), argv("tar", "-xzf", tarball, "-C", dir));
        return dir.resolve(node);
    }

    /** The test kit bound read-only at /opt/hardway-realhost/test in every node. */
    private Path kit() throws IOException {
        Path kit = Files.createDirectories(work.resolve("kit"));
        writeCriClient(kit);
        Path killpoint = Files.createDirectories(kit.resolve("killpoint"));
        try (InputStream in = RealHostCluster.class.getResourceAsStream("killpoint.sh")) {
            byte[] script = in.readAllBytes();
            for (String command : List.of("mv", "systemctl")) {
                Files.write(killpoint.resolve(command), script);
                Files.setPosixFilePermissions(killpoint.resolve(command),
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        writeContainerdAdaptation(kit);
        return kit;
    }

    /** The test's CRI client (kit/cri.py), into a test kit. */
    static void writeCriClient(Path kit) throws IOException {
        try (InputStream in = RealHostCluster.class.getResourceAsStream("cri.py")) {
            Files.write(kit.resolve("cri.py"), in.readAllBytes());
        }
    }

    /** This machine's containerd adaptation (see {@link #useContainerd}), into a test kit. */
    static void writeContainerdAdaptation(Path kit) throws IOException {
        // Test-only, for this machine (no CAP_SYS_RESOURCE): the generated config, imported unchanged, plus
        // restrict_oom_score_adj. ExecStart is the generated one but for the --config path.
        Files.writeString(kit.resolve("containerd-v3.toml"), """
                # real-host test only: the generated configuration plus what this machine needs
                version = 3
                imports = ['/etc/containerd/config.toml']
                [plugins.'io.containerd.cri.v1.runtime']
                  restrict_oom_score_adj = true
                """, StandardCharsets.UTF_8);
        Files.writeString(kit.resolve("90-realhost-test.conf"), """
                # real-host test only: this machine lacks CAP_SYS_RESOURCE, so containerd must not lower
                # oom_score_adj; the file named here imports the generated /etc/containerd/config.toml
                [Service]
                ExecStart=
                ExecStart=/usr/local/bin/containerd --config /etc/hardway-realhost/containerd.toml
                """, StandardCharsets.UTF_8);
    }

    /** The unpacked bundle of {@code node} on the host, bound at /root/bundle inside it. */
    Path bundleDir(String node) {
        return work.resolve("bundles").resolve(node);
    }

    boolean isWorker(String node) {
        return bundles.get(node).role().equals("worker");
    }

    /** "2.1" or "1.7": the containerd this worker runs, from its cluster's config format. */
    String containerdLine(String node) {
        return clusterOf(node).containerdUsesConfigV3() ? "2.1" : "1.7";
    }

    ResolvedCluster clusterOf(String node) {
        return main.rendered().bundles().stream().anyMatch(b -> b.node().equals(node))
                ? main.rendered().cluster() : v2.rendered().cluster();
    }

    private void prepareAndInstall(BootedNode node) {
        if (isWorker(node.name)) {
            useContainerd(node, containerdLine(node.name));
        }
        ProcessRun install = install(node);
        firstInstall.put(node.name, install);
        if (!install.succeeded()) {
            throw new AssertionError(node.name + ": first ./install.sh failed\n" + install.describe()
                    + "\n--- the node's failed units, journal, addresses and routes:\n" + node.sh(Duration.ofSeconds(30),
                    "systemctl --failed --no-pager; journalctl -n 60 --no-pager; ip addr; ip route").output());
        }
        if (isWorker(node.name)) {
            importPauseImage(node);
        }
    }

    /**
     * The operator's part on a node that runs containerd, before its first install: the binaries in place (here:
     * one of the two containerd releases, {@code line} "2.1" or "1.7"), and this machine's adaptation for
     * containerd (a test-only drop-in and config, from the kit written by {@link #writeContainerdAdaptation}).
     */
    static void useContainerd(BootedNode node, String line) {
        String format = line.equals("2.1") ? "v3" : "v2";
        node.shOk(Duration.ofSeconds(30), "set -e\n"
                + "for b in containerd containerd-shim-runc-v2 ctr; do\n"
                + "  ln -sfn /opt/hardway-realhost/containerd-" + line + "/bin/$b /usr/local/bin/$b\n"
                + "done\n"
                + "mkdir -p /etc/systemd/system/containerd.service.d /etc/hardway-realhost\n"
                + (format.equals("v3")
                ? "cp /opt/hardway-realhost/test/containerd-v3.toml /etc/hardway-realhost/containerd.toml\n"
                // containerd 1.7 replaces a whole plugin section from an import instead of merging it: the
                // test's file is the generated one with the one line added
                : "sed '/^\\[plugins.\"io.containerd.grpc.v1.cri\"\\]$/a\\  restrict_oom_score_adj = true"
                + " # real-host test only' /root/bundle/files/etc/containerd/config.toml"
                + " > /etc/hardway-realhost/containerd.toml\n"
                + "grep -q '^  restrict_oom_score_adj = true' /etc/hardway-realhost/containerd.toml\n")
                + "cp /opt/hardway-realhost/test/90-realhost-test.conf /etc/systemd/system/containerd.service.d/\n");
    }

    /** The pause image into containerd's k8s.io namespace, from the root filesystem: no registry is contacted. */
    static void importPauseImage(BootedNode node) {
        node.shOk(Duration.ofSeconds(60), "ctr -n k8s.io images import /opt/hardway-realhost/pause-oci.tar");
    }

    /** Plain {@code ./install.sh} in the bundle directory, as root, inside the node. */
    ProcessRun install(BootedNode node) {
        return node.sh(INSTALL_LIMIT, "cd /root/bundle && ./install.sh");
    }

    BootedNode node(String name) {
        BootedNode n = nodes.get(name);
        if (n == null) {
            throw new IllegalArgumentException("no node " + name + " in " + nodes.keySet());
        }
        return n;
    }

    List<BootedNode> mainNodes() {
        return nodes.values().stream().filter(n -> !n.name.contains("-v2-")).toList();
    }

    List<BootedNode> workers() {
        return nodes.values().stream().filter(n -> isWorker(n.name)).toList();
    }

    /** Runs {@code action} on every item at once, one thread each; rethrows the first failure. */
    static <T> void parallel(java.util.Collection<T> items, Consumer<T> action) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, items.size()));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> action.accept(item)));
            }
            List<Throwable> failures = new ArrayList<>();
            for (Future<?> f : futures) {
                try {
                    f.get(10, TimeUnit.MINUTES);
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(e.getCause());
                } catch (java.util.concurrent.TimeoutException e) {
                    failures.add(e);
                }
            }
            if (!failures.isEmpty()) {
                AssertionError error = new AssertionError(failures.size() + " of " + items.size() + " failed: "
                        + failures.get(0).getMessage(), failures.get(0));
                failures.stream().skip(1).forEach(error::addSuppressed);
                throw error;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Stops every node, deletes every namespace and the scratch directory. */
    @Override
    public synchronized void close() {
        tearDown(nodes.values(), network, work);
        nodes.clear();
    }

    /**
     * Stops {@code nodes} (in parallel; one by one if that fails), removes their hub network, and deletes the scratch
     * directory once nothing is mounted below it any more: what every real-host class does when it is done.
     */
    static void tearDown(java.util.Collection<BootedNode> nodes, HubNetwork network, Path work) {
        List<BootedNode> all = new ArrayList<>(nodes);
        try {
            parallel(all, BootedNode::close);
        } catch (RuntimeException | AssertionError e) {
            all.forEach(BootedNode::close);
        }
        if (network != null) {
            network.close();
        }
        if (work != null && Files.isDirectory(work)) {
            ProcessRun mounts = ProcessRun.run(Duration.ofSeconds(10), argv("findmnt", "-rn", "-o", "TARGET"));
            if (mounts.output().lines().noneMatch(l -> l.startsWith(work.toString()))) {
                try (Stream<Path> files = Files.walk(work)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                } catch (IOException ignored) {
                    // a scratch directory left in /var/tmp is harmless
                }
            }
        }
    }
}
