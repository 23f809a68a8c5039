package dev.hardway.realhost;

import dev.hardway.api.Hardway;
import dev.hardway.testing.ProcessRun;
import dev.hardway.testing.TestClusters;
import dev.hardway.testing.ToolLookup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.hardway.testing.ProcessRun.argv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Controllers added and removed as day-2 operations (issue 9), with real etcd 3.5 on booted Debian 12 systems: five
 * controller hosts are booted, three get the bundles of a 3-controller cluster; the spec then grows to five
 * controllers and the new bundles go on the two new hosts and then, one by one, on the three old ones; one of these
 * reboots first, its members file still the 3-controller one, and no boot reconciles with that stale list (the
 * members that joined stay). Then it shrinks back to three, with one departed host powered off and the other still
 * running, and the three remaining hosts are installed one by one. Nobody runs etcdctl against the membership: the
 * new members join by themselves (the generated membership script, from etcd.service's ExecStartPre) and the
 * departed ones are removed by the generated hardway-etcd-members unit. After every step a key written before it is
 * read back and every member answers {@code endpoint health}; no install restarts an old member's etcd.
 *
 * <p>Its own five nodes and network (tag {@code em}), apart from {@link RealHostCluster}'s. <b>STAND-INS</b>, as in
 * the rest of the suite: kube-apiserver, kube-controller-manager and kube-scheduler; and on the first controller
 * kubectl (kit/kubectl-standin): the stand-in API server serves nothing, so install.sh's add-on step would wait its
 * full 120 s on every install of that host; the stand-in answers the readiness probe and records the apply. The
 * add-ons are not what this test is about (RealHostClusterTest and the controller tests cover them).
 */
class EtcdMembershipHostTest {
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final Duration HEALTH_LIMIT = Duration.ofSeconds(90);
    private static final String CLUSTER = "etcdgrow";
    private static final String GROW_KEY = "/hardway/written-before-growing";
    private static final String SHRINK_KEY = "/hardway/written-before-shrinking";
    private static final String CTL = "etcdctl --cacert=/etc/kubernetes/pki/etcd/ca.crt"
            + " --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key"
            + " --dial-timeout=2s --command-timeout=5s";

    private static Path work;
    private static HubNetwork network;
    private static final Map<String, BootedNode> nodes = new LinkedHashMap<>();
    private static final List<String> timings = new ArrayList<>();

    @BeforeAll
    static void boot() throws IOException {
        ToolLookup.requireRoot("the real-host tests (network namespaces, overlay mounts, systemd-nspawn)");
        long started = System.nanoTime();
        Path repo = TestClusters.repositoryRoot();
        ProcessRun rootfs = ProcessRun.ok(Duration.ofMinutes(15), argv(repo.resolve("scripts/realhost-rootfs.sh")));
        List<String> lines = rootfs.output().lines().toList();
        Path lower = Path.of(lines.get(lines.size() - 1).strip());
        work = Files.createTempDirectory(Path.of("/var/tmp"), "hardway-realhost-" + ProcessHandle.current().pid()
                + "-etcd-");
        Path kit = Files.createDirectories(work.resolve("kit"));
        Files.writeString(kit.resolve("kubectl-standin"), """
                #!/bin/sh
                # STAND-IN kubectl (EtcdMembershipHostTest only): the stand-in API server serves nothing; this
                # answers install.sh's readiness probe and records what it was asked to apply
                mkdir -p /run/hardway-standin
                printf '%s\\n' "$*" >> /run/hardway-standin/kubectl.calls
                exit 0
                """, StandardCharsets.UTF_8);
        network = HubNetwork.create("em");
        try {
            for (int i = 0; i < 5; i++) {
                String name = controller(i);
                Path bundle = Files.createDirectories(work.resolve("bundles").resolve(name));
                nodes.put(name, new BootedNode(name, address(i), network.node(name, address(i)), lower,
                        Files.createDirectories(work.resolve("nodes").resolve(name)), bundle, kit, false));
            }
            RealHostCluster.parallel(nodes.values(), BootedNode::boot);
            node(0).shOk(STEP, "install -m 0755 /opt/hardway-realhost/test/kubectl-standin /usr/local/bin/kubectl");
        } catch (RuntimeException | AssertionError e) {
            close();
            throw e;
        }
        timings.add("boot 5 nodes (rootfs " + rootfs.took().toMillis() + " ms): " + millis(started) + " ms");
    }

    @AfterAll
    static void close() {
        System.out.println("etcd membership timings:\n  " + String.join("\n  ", timings));
        RealHostCluster.tearDown(nodes.values(), network, work);
        nodes.clear();
        network = null;
    }

    @Test
    void controllers_grownFrom3To5AndShrunkBack_etcdStaysAvailable_noMemberRestarted_noManualEtcdctl() {
        Path pki = work.resolve("pki");

        // three controllers, installed at once as an operator's loop would
        long t = System.nanoTime();
        deliver(generate(3, pki), 3);
        RealHostCluster.parallel(nodes(0, 3), n -> install(n, "3 controllers"));
        awaitHealthy(node(0), 3);
        assertMembers(3);
        for (BootedNode n : nodes(0, 3)) {
            assertTrue(bootstrapEnv(n).contains("ETCD_INITIAL_CLUSTER_STATE=new"), n.name + ": " + bootstrapEnv(n));
        }
        String before = put(node(0), GROW_KEY, "before-growing-" + UUID.randomUUID());
        // the reboot below restarts one old member's etcd: what it started is taken again then
        Map<String, String> oldEtcd = etcdProcesses(nodes(0, 3));
        timings.add("3 controllers installed and healthy: " + millis(t) + " ms");

        // five: the new hosts first, each joining by itself; then the old ones, whose etcd is left alone
        deliver(generate(5, pki), 5);
        for (int i = 3; i < 5; i++) {
            t = System.nanoTime();
            BootedNode joining = node(i);
            String out = install(joining, "5 controllers, new host");
            String env = bootstrapEnv(joining);
            assertTrue(env.contains("ETCD_INITIAL_CLUSTER_STATE=existing"), joining.name + " joined as existing: "
                    + env + "\n" + journal(joining, "etcd"));
            assertTrue(startsEtcd(out), out);
            awaitHealthy(node(0), i + 1);
            assertEquals(before, get(node(0), GROW_KEY), "the key written before the cluster grew");
            assertEquals(oldEtcd, etcdProcesses(nodes(0, 3)),
                    "installing " + joining.name + " restarted no etcd of the old members");
            timings.add("install of new " + joining.name + " (joined) and healthy: " + millis(t) + " ms");
        }

        // an old host reboots before its own new bundle goes in: its members file still lists the 3, and nothing
        // reconciles with it at boot, so the members that joined stay (and the next install.sh starts the unit)
        t = System.nanoTime();
        BootedNode stale = node(2);
        stale.reboot();
        assertEquals("inactive", stale.sh(STEP, "systemctl is-active hardway-etcd-members").output().strip(),
                stale.name + ": hardway-etcd-members ran at boot\n" + journal(stale, "hardway-etcd-members"));
        awaitHealthy(node(0), 5);
        assertMembers(5);
        assertEquals(before, get(node(4), GROW_KEY), "the newest member still serves");
        assertEquals(before, get(stale, GROW_KEY));
        oldEtcd = etcdProcesses(nodes(0, 3));
        timings.add("reboot of " + stale.name + " with its 3-controller members file: " + millis(t) + " ms");

        for (int i = 0; i < 3; i++) {
            t = System.nanoTime();
            String out = install(node(i), "5 controllers, old host");
            assertFalse(startsEtcd(out), node(i).name + " restarted its etcd:\n" + out);
            assertTrue(out.contains("restart hardway-etcd-members"), out);
            awaitHealthy(node(0), 5);
            assertEquals(before, get(node(i), GROW_KEY));
            assertEquals(oldEtcd, etcdProcesses(nodes(0, 3)), "installing the old hosts restarted no etcd");
            timings.add("install of old " + node(i).name + " with 5 controllers: " + millis(t) + " ms");
        }
        assertMembers(5);

        // three again: cp-4 is powered off (a host taken away), cp-3 still runs; the remaining three are installed
        // one by one and the first install removes both departed members, one at a time
        String beforeShrink = put(node(1), SHRINK_KEY, "before-shrinking-" + UUID.randomUUID());
        Map<String, String> remaining = etcdProcesses(nodes(0, 3));
        node(4).close();
        deliver(generate(3, pki), 3);
        for (int i = 0; i < 3; i++) {
            t = System.nanoTime();
            String out = install(node(i), "3 controllers again");
            assertFalse(startsEtcd(out), node(i).name + " restarted its etcd:\n" + out);
            awaitHealthy(node(0), 3);
            assertMembers(3);
            assertEquals(before, get(node(i), GROW_KEY));
            assertEquals(beforeShrink, get(node(i), SHRINK_KEY));
            assertEquals(remaining, etcdProcesses(nodes(0, 3)), "shrinking restarted no remaining etcd");
            timings.add("install of " + node(i).name + " with 3 controllers: " + millis(t) + " ms");
        }
        String log = journal(node(0), "hardway-etcd-members");
        assertTrue(log.contains("removing " + controller(3)) && log.contains("removing " + controller(4)), log);
        assertFalse(log.contains("would leave"), log);
    }

    // --- the cluster

    private static String controller(int i) {
        return "cp-" + i;
    }

    private static String address(int i) {
        return "10.241.0." + (10 + i);
    }

    private static BootedNode node(int i) {
        return nodes.get(controller(i));
    }

    private static List<BootedNode> nodes(int from, int to) {
        return IntStream.range(from, to).mapToObj(EtcdMembershipHostTest::node).toList();
    }

    /** The spec with {@code controllers} controllers, generated into its own output with the one PKI. */
    private static Path generate(int controllers, Path pki) {
        String spec = "name: " + CLUSTER + "\n"
                + "kubernetesVersion: 1.32.3\n"
                + "apiServer:\n  endpoint: https://api.etcdgrow.test:6443\n  address: " + address(0) + "\n"
                + "network:\n  clusterCidr: 10.200.0.0/16\n  serviceCidr: 10.32.0.0/24\n  clusterDns: 10.32.0.10\n  clusterDomain: cluster.local\n"
                + "controllers:\n" + IntStream.range(0, controllers).mapToObj(i -> "  - name: " + controller(i)
                + "\n    internalIp: " + address(i) + "\n").collect(Collectors.joining())
                + "workers:\n  - name: wk-0\n    internalIp: 10.241.0.20\n    podCidr: 10.200.0.0/24\n"
                + "containerd:\n  version: 2.1.9\n";
        try {
            Path dir = Files.createDirectories(work.resolve("spec-" + UUID.randomUUID()));
            Path file = Files.writeString(dir.resolve("cluster.yaml"), spec, StandardCharsets.UTF_8);
            Hardway.generate(TestClusters.request(file, pki).clock(Clock.systemUTC())
                    .outputDirectory(dir.resolve("out")).build());
            return dir.resolve("out");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unpacks the first {@code controllers} bundles into the directories bound at /root/bundle, replacing them. */
    private static void deliver(Path out, int controllers) {
        for (int i = 0; i < controllers; i++) {
            Path bundle = work.resolve("bundles").resolve(controller(i));
            Path tarball = out.resolve(controller(i) + ".tar.gz");
            // the bound directory stays; its content is the new bundle, as after "tar xzf" of a new tarball
            ProcessRun.ok(Duration.ofSeconds(30), argv("bash", "-c", "set -e; rm -rf -- \"$1\"/* \"$1\"/.[!.]*; "
                    + "tar -xzf \"$2\" -C \"$1\" --strip-components=1", "deliver", bundle, tarball));
        }
    }

    /** install.sh's own account: it (re)started etcd. */
    private static boolean startsEtcd(String installOutput) {
        return installOutput.lines().anyMatch(l -> l.equals("restart etcd") || l.equals("start etcd"));
    }

    private static String install(BootedNode node, String what) {
        ProcessRun run = node.sh(RealHostCluster.INSTALL_LIMIT, "cd /root/bundle && ./install.sh");
        if (!run.succeeded()) {
            throw new AssertionError(node.name + ": ./install.sh (" + what + ") failed\n" + run.describe()
                    + "\n--- etcd:\n" + journal(node, "etcd") + "\n--- hardway-etcd-members:\n"
                    + journal(node, "hardway-etcd-members"));
        }
        return run.output();
    }

    // --- etcd, through the etcdctl of a controller, with that controller's certificate

    private static String ctl(BootedNode node, String args) {
        return node.shOk(STEP, CTL + " " + args).output();
    }

    /** The started members' client URLs, as the cluster itself lists them. */
    private static Map<String, String> startedMembers(BootedNode node) {
        Map<String, String> out = new TreeMap<>();
        for (String line : ctl(node, "--endpoints=https://" + node.address + ":2379 member list").strip().lines()
                .toList()) {
            String[] f = line.split(", ", -1);
            if (f[1].equals("started")) {
                out.put(f[2], f[4]);
            }
        }
        return out;
    }

    /** Polls until {@code count} members are started and every one of them answers {@code endpoint health}. */
    private static void awaitHealthy(BootedNode via, int count) {
        long deadline = System.nanoTime() + HEALTH_LIMIT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            ProcessRun list = via.sh(STEP, CTL + " --endpoints=https://" + via.address + ":2379 member list");
            last = list.describe();
            if (list.succeeded()) {
                List<String[]> members = list.output().strip().lines().map(l -> l.split(", ", -1)).toList();
                List<String> urls = members.stream().map(f -> f[4]).filter(u -> !u.isEmpty()).toList();
                if (members.size() == count && urls.size() == count) {
                    ProcessRun health = via.sh(STEP, CTL + " --endpoints=" + String.join(",", urls)
                            + " endpoint health");
                    last = health.describe();
                    if (health.succeeded() && health.output().lines().filter(l -> l.contains("is healthy"))
                            .count() == count) {
                        return;
                    }
                }
            }
            BootedNode.sleep(1000);
        }
        throw new AssertionError("not " + count + " healthy members within " + HEALTH_LIMIT.toSeconds() + " s\n"
                + last);
    }

    private static void assertMembers(int count) {
        Map<String, String> expected = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            expected.put(controller(i), "https://" + address(i) + ":2379");
        }
        assertEquals(expected, startedMembers(node(0)), "the cluster's members");
        String all = ctl(node(0), "--endpoints=https://" + address(0) + ":2379 member list");
        assertEquals(count, all.strip().lines().count(), "no other (unstarted) member:\n" + all);
    }

    private static String put(BootedNode node, String key, String value) {
        String out = ctl(node, "--endpoints=https://" + node.address + ":2379 put " + key + " " + value);
        assertTrue(out.contains("OK"), out);
        return value;
    }

    /** A linearizable read through this node's own member. */
    private static String get(BootedNode node, String key) {
        return ctl(node, "--endpoints=https://" + node.address + ":2379 get " + key + " --print-value-only")
                .strip();
    }

    /** Each node's etcd process: MainPID and when it became active; any restart changes both. */
    private static Map<String, String> etcdProcesses(List<BootedNode> of) {
        Map<String, String> out = new TreeMap<>();
        for (BootedNode n : of) {
            String state = n.shOk(STEP, "systemctl show etcd -p MainPID -p ActiveEnterTimestamp -p NRestarts")
                    .output().strip();
            assertFalse(state.contains("MainPID=0"), n.name + ": etcd is not running: " + state);
            out.put(n.name, state.replace('\n', ' '));
        }
        return out;
    }

    private static String bootstrapEnv(BootedNode node) {
        return node.sh(STEP, "cat /run/etcd/bootstrap.env").output();
    }

    private static String journal(BootedNode node, String unit) {
        return node.sh(STEP, "journalctl -u " + unit + " --no-pager -n 40").output();
    }

    private static long millis(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
    }
}
