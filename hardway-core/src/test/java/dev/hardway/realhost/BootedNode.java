package dev.hardway.realhost;

import dev.hardway.testing.ProcessRun;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import static dev.hardway.testing.ProcessRun.argv;

/**
 * One node: a Debian 12 system booted by systemd-nspawn ({@code -b}: systemd is its PID 1) in its own network
 * namespace. Its root is an overlay this test mounts: the shared cached root filesystem below, the node's own upper
 * directory above, kept on disk so that a rebooted node comes back with what it had ({@code --volatile=overlay}
 * would lose it). Commands run inside with {@code nsenter} into all of the node's namespaces.
 *
 * <p>What this machine needs and a real host does not (see package-info):
 * {@code SYSTEMD_NSPAWN_API_VFS_WRITABLE=1} (writable {@code /proc/sys} for the sysctls), {@code --capability=all},
 * {@code @keyring} allowed (runc joins a session keyring), the cgroup v1 controller hierarchies remounted writable
 * after boot, and {@code /var/lib/containerd} on a real directory (overlay on overlay fails).
 *
 * <p>Each node's systemd-nspawn starts in a cgroup of its own (in the name=systemd and unified hierarchies):
 * with {@code --keep-unit} nspawn puts the container in a "payload" child of the cgroup it runs in, and without
 * this every node of every test JVM on the machine got the same {@code /payload}; then one node's systemd removing
 * the empty cgroup of a unit (say hardway-pod-routes.service, once it exited) removed it for a node starting that
 * same unit at the same moment, which failed with "Failed to attach to cgroup ... No such file or directory"
 * (status 219/CGROUP).
 */
final class BootedNode implements AutoCloseable {
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final Duration BOOT_LIMIT = Duration.ofSeconds(90);
    private static final List<String> CGROUP_CONTROLLERS =
            List.of("blkio", "pids", "cpuset", "freezer", "memory", "cpuacct", "devices", "cpu", "net_cls",
                    "perf_event", "hugetlb", "net_prio", "misc", "rdma");

    /** The hierarchies systemd-nspawn takes its container's cgroup from (cgroup v1 hybrid, as on this machine). */
    private static final List<String> CGROUP_HIERARCHIES = List.of("systemd", "unified");
    /** The parent of every node's cgroup, in each of those hierarchies. */
    static final String CGROUP_PARENT = "hardway-realhost";

    final String name;
    final String address;
    private final String netns;
    private final Path lower;
    private final Path dir;
    private final Path bundle;
    private final Path kit;
    private final boolean bundleWritable;
    private Process nspawn;
    private long pid;
    private boolean mounted;
    private final List<Duration> boots = new ArrayList<>();

    BootedNode(String name, String address, String netns, Path lower, Path dir, Path bundle, Path kit,
               boolean bundleWritable) {
        this.name = name;
        this.address = address;
        this.netns = netns;
        this.lower = lower;
        this.dir = dir;
        this.bundle = bundle;
        this.kit = kit;
        this.bundleWritable = bundleWritable;
    }

    /** Mounts the node's root (once) and boots it; returns when systemd reports the system up. */
    synchronized void boot() {
        long started = System.nanoTime();
        try {
            Path upper = Files.createDirectories(dir.resolve("upper"));
            Path work = Files.createDirectories(dir.resolve("work"));
            Path root = Files.createDirectories(dir.resolve("root"));
            Path containerd = Files.createDirectories(dir.resolve("var-lib-containerd"));
            if (!mounted) {
                ProcessRun.ok(Duration.ofSeconds(20), argv("mount", "-t", "overlay", "overlay", "-o",
                        "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work, root));
                mounted = true;
            }
            Files.createDirectories(Path.of("/run/systemd/nspawn"));
            // a cgroup of its own, joined before exec so that nspawn sees it from its first instruction
            List<String> argv = argv("sh", "-c", "for h in " + String.join(" ", CGROUP_HIERARCHIES) + "; do"
                    + " [ -d \"/sys/fs/cgroup/$h\" ] || continue; d=\"/sys/fs/cgroup/$h/" + cgroup() + "\";"
                    + " mkdir -p \"$d\" && echo $$ > \"$d/cgroup.procs\" || exit 1; done; exec \"$@\"", "sh",
                    "systemd-nspawn", "-q", "-D", root, "--register=no", "--keep-unit", "-b",
                    "--console=passive", "--capability=all", "--system-call-filter=@keyring",
                    "--network-namespace-path=/run/netns/" + netns,
                    (bundleWritable ? "--bind=" : "--bind-ro=") + bundle + ":/root/bundle",
                    "--bind-ro=" + kit + ":/opt/hardway-realhost/test",
                    "--bind=" + containerd + ":/var/lib/containerd",
                    "--hostname=" + name, "--machine=" + machine());
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("nspawn.log").toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().put("SYSTEMD_NSPAWN_API_VFS_WRITABLE", "1");
            nspawn = pb.start();
            pid = waitForInit();
            waitRunning();
            for (String c : CGROUP_CONTROLLERS) {
                if (Files.isDirectory(Path.of("/sys/fs/cgroup", c))) {
                    ProcessRun.run(Duration.ofSeconds(10), argv("nsenter", "-t", pid, "-m", "mount", "-o",
                            "remount,bind,rw", "/sys/fs/cgroup/" + c));
                }
            }
            boots.add(Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The node's machine name: unique on this machine, and naming the test JVM (see removeLeftoversOfDeadRuns). */
    private String machine() {
        return "hwrh-" + name + "-" + ProcessHandle.current().pid();
    }

    /** The node's cgroup, relative to each hierarchy's root. */
    private String cgroup() {
        return CGROUP_PARENT + "/" + machine();
    }

    /** Removes the node's cgroups (innermost first) once nothing runs in them any more; bounded. */
    private void removeCgroups() {
        for (String h : CGROUP_HIERARCHIES) {
            Path dir = Path.of("/sys/fs/cgroup", h, cgroup());
            if (Files.isDirectory(dir)) {
                ProcessRun.run(Duration.ofSeconds(20), argv("find", dir, "-depth", "-type", "d", "-exec", "rmdir",
                        "{}", ";"));
            }
        }
    }

    private long waitForInit() {
        long deadline = System.nanoTime() + BOOT_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!nspawn.isAlive()) {
                throw new AssertionError(name + ": systemd-nspawn exited " + nspawn.exitValue() + "\n" + log());
            }
            Optional<ProcessHandle> init = nspawn.descendants()
                    .filter(p -> "systemd".equals(comm(p.pid())))
                    .min(Comparator.comparingLong(ProcessHandle::pid));
            if (init.isPresent()) {
                return init.get().pid();
            }
            sleep(100);
        }
        throw new AssertionError(name + ": no systemd inside within " + BOOT_LIMIT.toSeconds() + " s\n" + log());
    }

    private void waitRunning() {
        long deadline = System.nanoTime() + BOOT_LIMIT.toNanos();
        String state = "";
        while (System.nanoTime() < deadline) {
            state = exec(Duration.ofSeconds(20), "systemctl", "is-system-running").output().strip();
            if (state.equals("running") || state.equals("degraded")) {
                return;
            }
            sleep(200);
        }
        throw new AssertionError(name + ": not booted within " + BOOT_LIMIT.toSeconds() + " s (state " + state
                + ")\n" + exec(Duration.ofSeconds(20), "systemctl", "--failed", "--no-pager").output());
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** Runs {@code argv} inside the node (all its namespaces), with a clean environment and a PATH. */
    ProcessRun exec(Duration limit, Object... argv) {
        return ProcessRun.run(limit, argv("nsenter", "-t", pid, "-a", "env", "-i", "PATH=" + PATH, "HOME=/root",
                "LANG=C.UTF-8", argv(argv)));
    }

    /** Runs a bash script inside the node. */
    ProcessRun sh(Duration limit, String script) {
        return exec(limit, "bash", "-c", script);
    }

    /** Runs a bash script inside the node and fails the test unless it exits 0. */
    ProcessRun shOk(Duration limit, String script) {
        ProcessRun e = sh(limit, script);
        if (!e.succeeded()) {
            throw new AssertionError(name + ": " + e.describe());
        }
        return e;
    }

    /** The node's PID 1 as the host sees it. */
    long pid() {
        return pid;
    }

    /** {@code path} inside the node, from the host. */
    Path hostPath(String path) {
        return Path.of("/proc/" + pid + "/root" + path);
    }

    List<Duration> boots() {
        return List.copyOf(boots);
    }

    /** {@code systemctl reboot} inside; systemd-nspawn exits 133 for a reboot, and this boots the node again. */
    synchronized void reboot() {
        sh(Duration.ofSeconds(30), "systemctl reboot");
        try {
            if (!nspawn.waitFor(BOOT_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError(name + ": did not go down within " + BOOT_LIMIT.toSeconds() + " s\n" + log());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (nspawn.exitValue() != 133) {
            throw new AssertionError(name + ": systemd-nspawn exited " + nspawn.exitValue() + ", not 133 (reboot)\n"
                    + log());
        }
        boot();
    }

    String log() {
        try {
            return Files.readString(dir.resolve("nspawn.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no nspawn log)";
        }
    }

    /** Thread.sleep for the suite's bounded polling loops; an interrupt ends the test. */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Halts the node (SIGTERM to systemd-nspawn; SIGKILL after 30 s) and unmounts its root. */
    @Override
    public synchronized void close() {
        if (nspawn != null && nspawn.isAlive()) {
            nspawn.destroy();
            try {
                if (!nspawn.waitFor(30, TimeUnit.SECONDS)) {
                    nspawn.descendants().forEach(ProcessHandle::destroyForcibly);
                    nspawn.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                nspawn.destroyForcibly();
            }
        }
        removeCgroups();
        if (mounted) {
            ProcessRun u = ProcessRun.run(Duration.ofSeconds(20), argv("umount", dir.resolve("root")));
            if (!u.succeeded()) {
                ProcessRun.run(Duration.ofSeconds(20), argv("umount", "-l", dir.resolve("root")));
            }
            mounted = false;
        }
    }
}
