package dev.hardway.realhost;

import dev.hardway.model.ResolvedCluster;
import dev.hardway.testing.ProcessRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated bundles installed for real: every node a booted Debian 12 system (systemd-nspawn, systemd as PID 1)
 * in its own network namespace, on one bridge in a namespace this test creates, each bundle installed with plain
 * {@code ./install.sh} (see {@link RealHostCluster}).
 *
 * <p><b>STAND-INS, said loudly:</b> kubelet, kube-proxy, kube-apiserver, kube-controller-manager and
 * kube-scheduler are scripts that log their arguments and stay running (no reachable archive packages them), and
 * modprobe reports only built-in modules. etcd, containerd (2.1 and 1.7), runc, the CNI plugins, iptables, systemd
 * and kubectl are the real programs. The pod sandboxes are created through containerd's real CRI API, as the
 * kubelet would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealHostClusterTest {
    private static RealHostCluster cluster;

    @BeforeAll
    static void boot() {
        cluster = RealHostCluster.shared();
        StringBuilder report = new StringBuilder("real-host: rootfs " + cluster.rootfsTime.toMillis() + " ms, setup "
                + cluster.setupTime.toMillis() + " ms\n");
        cluster.nodes.values().forEach(n -> report.append("  ").append(n.name).append(": boot ")
                .append(n.boots().get(0).toMillis()).append(" ms, first install ")
                .append(cluster.firstInstall.get(n.name).took().toMillis()).append(" ms\n"));
        System.out.println(report);
    }

    @Test
    @Order(1)
    void install_everyServiceOfEveryNode_enabledAndActive() {
        List<String> problems = new ArrayList<>();
        for (BootedNode node : cluster.nodes.values()) {
            for (String service : cluster.bundles.get(node.name).services()) {
                String enabled = node.exec(Duration.ofSeconds(20), "systemctl", "is-enabled", service).output().strip();
                String active = node.exec(Duration.ofSeconds(20), "systemctl", "is-active", service).output().strip();
                if (!enabled.equals(RealHostCluster.expectedEnablement(service)) || !active.equals("active")) {
                    problems.add(node.name + " " + service + ": " + enabled + "/" + active + "\n"
                            + node.exec(Duration.ofSeconds(20), "journalctl", "-u", service, "--no-pager", "-n",
                            "20").output());
                }
            }
        }
        assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
    }

    @Test
    @Order(2)
    void install_lastLineIsTheSummary_andStandInsRunWithTheGeneratedFlags() {
        for (BootedNode node : cluster.nodes.values()) {
            String out = cluster.firstInstall.get(node.name).output().strip();
            String last = out.lines().reduce((a, b) -> b).orElse("");
            assertTrue(last.matches("\\d+ changed, \\d+ unchanged"), node.name + ": " + last);
        }
        // the stand-ins prove that systemd started them from the generated units, with the generated flags
        String args = cluster.node("controller-0").shOk(Duration.ofSeconds(10),
                "cat /run/hardway-standin/kube-apiserver.args").output();
        assertTrue(args.contains("--etcd-servers="), args);
        String kubelet = cluster.node("worker-0").shOk(Duration.ofSeconds(10),
                "cat /run/hardway-standin/kubelet.args").output();
        assertTrue(kubelet.contains("--config=/var/lib/kubelet/kubelet-config.yaml") || kubelet.contains("--config"),
                kubelet);
    }

    /** The flags the generated kube-apiserver unit passes to etcd's client, read from the installed unit. */
    private static Map<String, String> apiserverEtcdFlags(BootedNode controller) {
        String unit = controller.shOk(Duration.ofSeconds(10), "cat /etc/systemd/system/kube-apiserver.service")
                .output();
        Map<String, String> flags = new LinkedHashMap<>();
        Matcher m = Pattern.compile("--(etcd-servers|etcd-cafile|etcd-certfile|etcd-keyfile)=(\\S+)").matcher(unit);
        while (m.find()) {
            flags.put(m.group(1), m.group(2));
        }
        assertEquals(4, flags.size(), unit);
        return flags;
    }

    @Test
    @Order(3)
    void etcd_threeMembersFormedBySystemd_writtenAndReadWithTheApiserversClientCertificate() {
        BootedNode c0 = cluster.node("controller-0");
        BootedNode c2 = cluster.node("controller-2");
        Map<String, String> f = apiserverEtcdFlags(c0);
        String etcdctl = "ETCDCTL_API=3 etcdctl --command-timeout=5s --endpoints=" + f.get("etcd-servers")
                + " --cacert=" + f.get("etcd-cafile") + " --cert=" + f.get("etcd-certfile") + " --key="
                + f.get("etcd-keyfile");
        ProcessRun health = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            health = c0.sh(Duration.ofSeconds(30), etcdctl + " endpoint health --cluster");
            if (health.succeeded()) {
                break;
            }
            BootedNode.sleep(1000);
        }
        ProcessRun lastHealth = health;
        assertTrue(lastHealth != null && lastHealth.succeeded(), () -> "etcd not healthy: " + lastHealth.describe());
        String members = c0.shOk(Duration.ofSeconds(30), etcdctl + " member list -w simple").output();
        assertEquals(3, members.lines().filter(l -> l.contains(", started, ")).count(), members);
        for (String name : List.of("controller-0", "controller-1", "controller-2")) {
            assertTrue(members.contains(", " + name + ", https://"), members);
        }
        String value = "written-on-controller-0-" + System.nanoTime();
        c0.shOk(Duration.ofSeconds(30), etcdctl + " put /hardway/realhost " + value);
        // read on another controller through its own endpoint only: the write was replicated
        Map<String, String> f2 = apiserverEtcdFlags(c2);
        String own = "https://" + c2.address + ":2379";
        String read = c2.shOk(Duration.ofSeconds(30), "ETCDCTL_API=3 etcdctl --endpoints=" + own + " --cacert="
                + f2.get("etcd-cafile") + " --cert=" + f2.get("etcd-certfile") + " --key=" + f2.get("etcd-keyfile")
                + " get /hardway/realhost --print-value-only").output().strip();
        assertEquals(value, read);
        // and without a client certificate the member refuses
        ProcessRun anonymous = c2.sh(Duration.ofSeconds(30), "ETCDCTL_API=3 etcdctl --command-timeout=3s --endpoints="
                + own + " --cacert=" + f2.get("etcd-cafile") + " get /hardway/realhost");
        assertTrue(!anonymous.succeeded(), anonymous::describe);
    }

    @Test
    @Order(4)
    void containerd_startedBySystemdFromTheGeneratedConfig_criPluginLoaded_inBothFormats() {
        for (BootedNode worker : cluster.workers()) {
            boolean v3 = cluster.clusterOf(worker.name).containerdUsesConfigV3();
            String version = worker.shOk(Duration.ofSeconds(10), "containerd --version").output();
            assertTrue(version.contains(v3 ? " 2.1." : " 1.7."), worker.name + ": " + version);
            String config = worker.shOk(Duration.ofSeconds(10), "grep '^version' /etc/containerd/config.toml").output();
            assertEquals(v3 ? "version = 3" : "version = 2", config.strip(), worker.name);
            String plugins = worker.shOk(Duration.ofSeconds(30), "ctr plugins ls").output();
            String cri = plugins.lines().filter(l -> l.matches("io\\.containerd\\.(grpc\\.v1|cri\\.v1)\\s+(cri|runtime)\\s.*"))
                    .findFirst().orElse("");
            assertTrue(cri.strip().endsWith("ok"), worker.name + ": CRI plugin not ok:\n" + plugins);
            String criVersion = worker.shOk(Duration.ofSeconds(30), Sandbox.CRI + " version").output();
            assertTrue(criVersion.contains("\"runtimeName\": \"containerd\""), criVersion);
            String status = worker.shOk(Duration.ofSeconds(30), Sandbox.CRI + " status").output();
            assertTrue(status.contains("RuntimeReady") && status.contains("NetworkReady")
                    && !status.contains("\"status\": false") && !status.contains("reason"),
                    worker.name + ": " + status);
            // the running daemon uses the generated settings (pause image, runc, CNI directories)
            String dump = worker.shOk(Duration.ofSeconds(30),
                    "containerd --config /etc/hardway-realhost/containerd.toml config dump").output();
            assertTrue(dump.contains("/usr/local/sbin/runc") && dump.contains("/opt/cni/bin")
                    && dump.contains("registry.k8s.io/pause:"), dump);
        }
    }

    @Test
    @Order(5)
    void pods_sandboxOnEachWorker_addressInItsPodCidr_reachEachOtherAcrossThePodRoutes() {
        ResolvedCluster resolved = cluster.main.rendered().cluster();
        BootedNode w0 = cluster.node("worker-0");
        BootedNode w1 = cluster.node("worker-1");
        try (Sandbox a = Sandbox.run(w0, "pod-a"); Sandbox b = Sandbox.run(w1, "pod-b")) {
            assertTrue(inCidr(a.ip(), podCidr(resolved, "worker-0")), a.ip());
            assertTrue(inCidr(b.ip(), podCidr(resolved, "worker-1")), b.ip());
            ProcessRun ping = a.inNetns(Duration.ofSeconds(30), "busybox ping -c 5 -i 0.2 -W 2 " + b.ip());
            assertTrue(ping.succeeded(), ping::describe);
            ProcessRun back = b.inNetns(Duration.ofSeconds(30), "busybox ping -c 5 -i 0.2 -W 2 " + a.ip());
            assertTrue(back.succeeded(), back::describe);
            System.out.println("real-host: pod-to-pod " + a.ip() + " -> " + b.ip() + ": "
                    + ping.output().lines().filter(l -> l.contains("round-trip")).findFirst().orElse(ping.output()));
        }
    }

    @Test
    @Order(5)
    void pods_sandboxOnTheContainerd17Worker_addressInItsPodCidr() {
        BootedNode worker = cluster.node("worker-v2-0");
        try (Sandbox pod = Sandbox.run(worker, "pod-v2")) {
            assertTrue(inCidr(pod.ip(), podCidr(cluster.v2.rendered().cluster(), "worker-v2-0")), pod.ip());
            ProcessRun ping = worker.sh(Duration.ofSeconds(30), "busybox ping -c 2 -W 2 " + pod.ip());
            assertTrue(ping.succeeded(), ping::describe);
        }
    }

    /** systemd's InvocationID of each of the node's services: it changes whenever a service is (re)started. */
    static Map<String, String> invocations(RealHostCluster cluster, BootedNode node) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (String service : cluster.bundles.get(node.name).services()) {
            ids.put(service, node.exec(Duration.ofSeconds(20), "systemctl", "show", "-p", "InvocationID", "--value",
                    service).output().strip());
        }
        return ids;
    }

    @Test
    @Order(6)
    void install_secondRun_zeroChanged_andNoServiceRestarted() {
        Map<String, Map<String, String>> before = new LinkedHashMap<>();
        cluster.nodes.values().forEach(n -> before.put(n.name, invocations(cluster, n)));
        Map<String, ProcessRun> second = new java.util.concurrent.ConcurrentHashMap<>();
        RealHostCluster.parallel(cluster.nodes.values(), n -> second.put(n.name, cluster.install(n)));
        List<String> problems = new ArrayList<>();
        for (BootedNode node : cluster.nodes.values()) {
            ProcessRun run = second.get(node.name);
            String last = run.output().strip().lines().reduce((x, y) -> y).orElse("");
            if (!run.succeeded() || !last.matches("0 changed, \\d+ unchanged")) {
                problems.add(node.name + ": " + run.describe());
            }
            Map<String, String> after = invocations(cluster, node);
            if (!after.equals(before.get(node.name)) || after.containsValue("")) {
                problems.add(node.name + ": InvocationIDs before " + before.get(node.name) + ", after " + after);
            }
            System.out.println("real-host: " + node.name + " second install " + run.took().toMillis() + " ms: "
                    + last);
        }
        assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
    }

    /**
     * A controller (etcd member) and a worker rebooted with {@code systemctl reboot} inside, their disks kept: both
     * come back with every enabled service active (the static hardway-etcd-members not started: the next install.sh
     * starts it), the same pod routes, and etcd with three started members again.
     */
    @Test
    @Order(7)
    void reboot_nodesKeepTheirDisks_comeBackWithServicesActiveAndPodRoutes() {
        List<BootedNode> rebooted = List.of(cluster.node("controller-1"), cluster.node("worker-v2-0"));
        Map<String, String> routesBefore = new LinkedHashMap<>();
        rebooted.forEach(n -> routesBefore.put(n.name, podRoutes(n)));
        assertTrue(routesBefore.get("controller-1").contains("10.200.1.0/24 via 10.240.0.21"), routesBefore::toString);
        assertTrue(routesBefore.get("worker-v2-0").contains("10.210.1.0/24 via 10.240.0.31"), routesBefore::toString);
        RealHostCluster.parallel(rebooted, BootedNode::reboot);
        List<String> problems = new ArrayList<>();
        for (BootedNode node : rebooted) {
            List<Duration> boots = node.boots();
            System.out.println("real-host: " + node.name + " rebooted, up again in "
                    + boots.get(boots.size() - 1).toMillis() + " ms");
            List<String> notAtBoot = new ArrayList<>();
            for (String service : cluster.bundles.get(node.name).services()) {
                if (!RealHostCluster.expectedEnablement(service).equals("enabled")) {
                    // the boot is over (systemctl is-system-running said so): it started nothing more
                    String state = node.exec(Duration.ofSeconds(20), "systemctl", "is-active", service).output()
                            .strip();
                    if (!state.equals("inactive")) {
                        problems.add(node.name + " " + service + " ran at boot: " + state);
                    }
                    notAtBoot.add(service);
                    continue;
                }
                String active = "";
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (System.nanoTime() < deadline) {
                    active = node.exec(Duration.ofSeconds(20), "systemctl", "is-active", service).output().strip();
                    if (active.equals("active")) {
                        break;
                    }
                    BootedNode.sleep(500);
                }
                if (!active.equals("active")) {
                    problems.add(node.name + " " + service + ": " + active);
                }
            }
            if (!podRoutes(node).equals(routesBefore.get(node.name))) {
                problems.add(node.name + ": routes before " + routesBefore.get(node.name) + ", after " + podRoutes(node));
            }
            // the installed files survived the reboot: another install changes nothing
            ProcessRun again = cluster.install(node);
            String last = again.output().strip().lines().reduce((x, y) -> y).orElse("");
            if (!again.succeeded() || !last.startsWith("0 changed")) {
                problems.add(node.name + ": " + again.describe());
            }
            for (String service : notAtBoot) {
                String active = node.exec(Duration.ofSeconds(20), "systemctl", "is-active", service).output().strip();
                if (!again.output().lines().toList().contains("start " + service) || !active.equals("active")) {
                    problems.add(node.name + ": install.sh after the reboot did not start " + service + " ("
                            + active + ")\n" + again.output());
                }
            }
        }
        assertTrue(problems.isEmpty(), () -> "after reboot: " + problems);
        String status = cluster.node("worker-v2-0").shOk(Duration.ofSeconds(30), Sandbox.CRI + " status").output();
        assertTrue(!status.contains("\"status\": false"), status);
        etcd_threeMembersFormedBySystemd_writtenAndReadWithTheApiserversClientCertificate();
    }

    private static String podRoutes(BootedNode node) {
        return node.shOk(Duration.ofSeconds(10), "ip route show | grep ' via ' | sort").output().strip();
    }

    static String podCidr(ResolvedCluster resolved, String worker) {
        return resolved.workers().stream().filter(w -> w.name().equals(worker)).findFirst().orElseThrow().podCidr();
    }

    static boolean inCidr(String ip, String cidr) {
        try {
            String[] parts = cidr.split("/");
            int prefix = Integer.parseInt(parts[1]);
            int net = ByteBuffer.wrap(InetAddress.getByName(parts[0]).getAddress()).getInt();
            int addr = ByteBuffer.wrap(InetAddress.getByName(ip).getAddress()).getInt();
            int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
            return (net & mask) == (addr & mask);
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
