package dev.hardway.realhost;

import dev.hardway.api.GenerationResult;
import dev.hardway.api.Hardway;
import dev.hardway.api.RenderedBundle;
import dev.hardway.artifacts.PodRoutes;
import dev.hardway.model.ResolvedCluster;
import dev.hardway.testing.ProcessRun;
import dev.hardway.testing.TestClusters;
import dev.hardway.testing.ToolLookup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.hardway.testing.ProcessRun.argv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9, a stacked control plane on real hosts: three controllers that are also Nodes
 * ({@code controlPlane.enableWorker}, no workers, cluster-stacked.yaml), each a booted Debian 12 system, each bundle
 * installed with plain {@code ./install.sh}, all three at once as an operator's loop would. On the booted hosts:
 * etcd forms a three-member cluster; containerd runs on every controller from the generated configuration with its
 * CRI plugin loaded; a pod sandbox created through the CRI API on each controller gets an address from that
 * controller's pod subnet through the generated CNI configuration; the sandboxes reach each other across the
 * controllers through the generated pod routes, with their own addresses; and a second install changes nothing and
 * restarts nothing.
 *
 * <p>Its own three nodes and network (tag {@code sk}, addresses 10.243.0.0/24), apart from {@link RealHostCluster}'s
 * and {@link EtcdMembershipHostTest}'s. Real: systemd, etcd 3.5, containerd 2.1, runc, the CNI plugins, iptables, ip.
 * <b>STAND-INS</b>, as in the rest of the suite (scripts/realhost/standin.sh): kube-apiserver,
 * kube-controller-manager, kube-scheduler, kubelet and kube-proxy; and kubectl (kit/kubectl-standin): the stand-in
 * API server serves nothing, so the real kubectl would make install.sh wait its full add-on timeout on the first
 * controller and keep the generated hardway-node-role unit failing and restarting every 10 s; the stand-in
 * answers and records what it was asked, so the test checks that systemd ran the generated label command. The pod
 * sandboxes are created through containerd's real CRI API as the kubelet would (kit/cri.py), with the pause image
 * the suite builds from Debian's static busybox. This machine's adaptations for containerd are the suite's own
 * ({@link RealHostCluster#useContainerd}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StackedControlPlaneHostTest {
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final Duration SETTLE_LIMIT = Duration.ofSeconds(90);
    private static final String NODE_ROLE_LABEL = "node-role.kubernetes.io/control-plane=";

    private static Path work;
    private static HubNetwork network;
    private static ResolvedCluster resolved;
    private static final Map<String, BootedNode> nodes = new LinkedHashMap<>();
    private static java.net.URI specUri;
    private static final Map<String, ProcessRun> lastInstall = new ConcurrentHashMap<>();
    private static final Map<String, RenderedBundle> bundles = new LinkedHashMap<>();
    private static final Map<String, ProcessRun> firstInstall = new ConcurrentHashMap<>();
    private static final List<String> timings = new ArrayList<>();

    @BeforeAll
    static void boot() throws IOException, URISyntaxException {
        ToolLookup.requireRoot("the real-host tests (network namespaces, overlay mounts, systemd-nspawn)");
        long started = System.nanoTime();
        Path repo = TestClusters.repositoryRoot();
        ProcessRun rootfs = ProcessRun.ok(Duration.ofMinutes(15), argv(repo.resolve("scripts/realhost-rootfs.sh")));
        List<String> lines = rootfs.output().lines().toList();
        Path lower = Path.of(lines.get(lines.size() - 1).strip());
        RealHostCluster.removeLeftoversOfDeadRuns();
        work = Files.createTempDirectory(Path.of("/var/tmp"), "hardway-realhost-" + ProcessHandle.current().pid()
                + "-stacked-");
        specUri = StackedControlPlaneHostTest.class.getResource("cluster-stacked.yaml").toURI();
        Path spec = Path.of(specUri);
        GenerationResult generated = Hardway.generate(TestClusters.request(spec, work.resolve("pki"))
                .clock(Clock.systemUTC()).outputDirectory(work.resolve("out")).build());
        resolved = generated.rendered().cluster();
        Path kit = kit();
        network = HubNetwork.create("sk");
        try {
            for (ResolvedCluster.Node controller : resolved.controllers()) {
                String name = controller.name();
                Path bundles = Files.createDirectories(work.resolve("bundles"));
                ProcessRun.ok(Duration.ofSeconds(30), argv("tar", "-xzf", work.resolve("out").resolve(name + ".tar.gz"),
                        "-C", bundles));
                StackedControlPlaneHostTest.bundles.put(name, generated.rendered().bundle(name));
                nodes.put(name, new BootedNode(name, controller.internalIp(),
                        network.node(name, controller.internalIp()), lower,
                        Files.createDirectories(work.resolve("nodes").resolve(name)), bundles.resolve(name), kit,
                        false));
            }
            long t = System.nanoTime();
            RealHostCluster.parallel(nodes.values(), BootedNode::boot);
            timings.add("boot 3 nodes: " + millis(t) + " ms");
            t = System.nanoTime();
            RealHostCluster.parallel(nodes.values(), StackedControlPlaneHostTest::prepareAndInstall);
            timings.add("first install of 3 controllers, at once: " + millis(t) + " ms ("
                    + firstInstall.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().took().toMillis()
                    + " ms").sorted().toList() + ")");
        } catch (RuntimeException | AssertionError e) {
            close();
            throw e;
        }
        timings.add("set-up (rootfs " + rootfs.took().toMillis() + " ms, generate, boot, install): " + millis(started)
                + " ms");
    }

    /** The test kit bound read-only at /opt/hardway-realhost/test in every node. */
    private static Path kit() throws IOException {
        Path kit = Files.createDirectories(work.resolve("kit"));
        RealHostCluster.writeCriClient(kit);
        RealHostCluster.writeContainerdAdaptation(kit);
        Files.writeString(kit.resolve("kubectl-standin"), """
                #!/bin/sh
                # STAND-IN kubectl (StackedControlPlaneHostTest only): the stand-in API server serves nothing; this
                # answers install.sh's readiness probe and hardway-node-role's label command, and records both
                mkdir -p /run/hardway-standin
                printf '%s\\n' "$*" >> /run/hardway-standin/kubectl.calls
                exit 0
                """, StandardCharsets.UTF_8);
        return kit;
    }

    private static void prepareAndInstall(BootedNode node) {
        RealHostCluster.useContainerd(node, "2.1");
        node.shOk(STEP, "install -m 0755 /opt/hardway-realhost/test/kubectl-standin /usr/local/bin/kubectl");
        ProcessRun install = install(node);
        firstInstall.put(node.name, install);
        if (!install.succeeded()) {
            throw new AssertionError(node.name + ": first ./install.sh failed\n" + install.describe()
                    + "\n--- the node's failed units and their journals, addresses and routes:\n" + node.sh(STEP,
                    "systemctl --failed --no-pager; for u in $(systemctl --failed --plain --no-legend | cut -d' ' -f1);"
                    + " do journalctl -u \"$u\" --no-pager -n 30; done; journalctl -b --no-pager -o short-precise"
                    + " | grep -e 'attach to cgroup' -e 'Reloading' -e 'systemd.*\\(Started\\|Starting\\) '; ip addr; ip route")
                    .output());
        }
        RealHostCluster.importPauseImage(node);
    }

    @AfterAll
    static void close() {
        System.out.println("stacked control plane timings:\n  " + String.join("\n  ", timings));
        RealHostCluster.tearDown(nodes.values(), network, work);
        nodes.clear();
        network = null;
    }

    // --- the tests, in order: the installed cluster, etcd, containerd, pods, a second install

    @Test
    @Order(1)
    void spec_threeStackedControllersNoWorkers_eachBundleCarriesEtcdAndTheNodeServices() {
        assertTrue(resolved.workers().isEmpty(), resolved.workers()::toString);
        assertEquals(3, resolved.controllers().size());
        assertEquals(3, podCidrs().values().stream().distinct().count(), podCidrs()::toString);
        for (BootedNode node : nodes.values()) {
            List<String> services = bundles.get(node.name).services();
            assertEquals("controller", bundles.get(node.name).role(), node.name);
            assertTrue(services.containsAll(List.of("etcd", "kube-apiserver", "containerd", "kubelet", "kube-proxy",
                    "hardway-pod-routes", "hardway-node-role")), node.name + ": " + services);
        }
    }

    @Test
    @Order(2)
    void install_everyServiceEnabledAndActive_standInsStartedWithTheGeneratedFlags() {
        long t = System.nanoTime();
        List<String> problems = new ArrayList<>();
        for (BootedNode node : nodes.values()) {
            String last = lastLine(firstInstall.get(node.name));
            if (!last.matches("\\d+ changed, \\d+ unchanged")) {
                problems.add(node.name + ": install.sh's last line is " + last);
            }
            for (String service : bundles.get(node.name).services()) {
                String enabled = node.exec(STEP, "systemctl", "is-enabled", service).output().strip();
                String active = awaitActive(node, service);
                if (!enabled.equals(RealHostCluster.expectedEnablement(service)) || !active.equals("active")) {
                    problems.add(node.name + " " + service + ": " + enabled + "/" + active + "\n" + journal(node,
                            service));
                }
            }
            // systemd started the stand-ins from the generated units: the kubelet registers this controller
            String kubelet = node.shOk(STEP, "cat /run/hardway-standin/kubelet.args").output();
            if (!kubelet.lines().toList().containsAll(List.of("--hostname-override=" + node.name,
                    "--node-ip=" + node.address, "--config=/var/lib/kubelet/kubelet-config.yaml"))) {
                problems.add(node.name + ": kubelet started with " + kubelet);
            }
            String proxy = node.sh(STEP, "cat /run/hardway-standin/kube-proxy.args").output();
            if (!proxy.contains("--config=")) {
                problems.add(node.name + ": kube-proxy started with " + proxy);
            }
            // and hardway-node-role ran the generated label command for this controller, through the stand-in
            String calls = node.sh(STEP, "cat /run/hardway-standin/kubectl.calls").output();
            if (calls.lines().noneMatch(l -> l.endsWith("label node " + node.name + " --overwrite " + NODE_ROLE_LABEL))) {
                problems.add(node.name + ": hardway-node-role did not label the Node; kubectl was called with:\n"
                        + calls);
            }
        }
        assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
        timings.add("services active: " + millis(t) + " ms");
    }

    @Test
    @Order(3)
    void etcd_threeMembers_healthyThroughEveryControllersOwnClientCertificate_writeReplicated() {
        long t = System.nanoTime();
        for (BootedNode node : nodes.values()) {
            awaitHealthy(node);
        }
        BootedNode first = nodes.get("stacked-0");
        String members = first.shOk(STEP, etcdctl(first, ownEndpoint(first)) + " member list").output();
        Map<String, String> started = new LinkedHashMap<>();
        for (String line : members.strip().lines().toList()) {
            String[] f = line.split(", ", -1);
            if (f.length >= 5 && f[1].equals("started")) {
                started.put(f[2], f[4]);
            }
        }
        Map<String, String> expected = new LinkedHashMap<>();
        nodes.values().forEach(n -> expected.put(n.name, ownEndpoint(n)));
        assertEquals(new java.util.TreeMap<>(expected), new java.util.TreeMap<>(started), members);
        assertEquals(3, members.strip().lines().count(), "no other (unstarted) member:\n" + members);
        String value = "written-on-stacked-0-" + System.nanoTime();
        first.shOk(STEP, etcdctl(first, ownEndpoint(first)) + " put /hardway/stacked " + value);
        for (BootedNode node : nodes.values()) {
            // a linearizable read through this controller's own member only
            String read = node.shOk(STEP, etcdctl(node, ownEndpoint(node)) + " get /hardway/stacked --print-value-only")
                    .output().strip();
            assertEquals(value, read, node.name);
        }
        timings.add("etcd healthy with 3 members, write replicated: " + millis(t) + " ms");
    }

    @Test
    @Order(4)
    void containerd_activeOnEveryController_generatedConfig_criPluginLoaded_generatedCniNetwork() {
        long t = System.nanoTime();
        for (BootedNode node : nodes.values()) {
            assertEquals("active", node.exec(STEP, "systemctl", "is-active", "containerd").output().strip(), node.name);
            String version = node.shOk(STEP, "containerd --version").output();
            assertTrue(version.contains(" 2.1."), node.name + ": " + version);
            // the installed configuration is the generated one, byte for byte, and the running daemon reads it
            node.shOk(STEP, "cmp /root/bundle/files/etc/containerd/config.toml /etc/containerd/config.toml");
            String cmdline = node.shOk(STEP, "tr '\\0' ' ' < /proc/$(systemctl show -p MainPID --value containerd)"
                    + "/cmdline").output();
            assertTrue(cmdline.contains("--config /etc/hardway-realhost/containerd.toml"), node.name + ": " + cmdline);
            node.shOk(STEP, "grep -qx \"imports = \\['/etc/containerd/config.toml'\\]\" "
                    + "/etc/hardway-realhost/containerd.toml");
            String plugins = node.shOk(STEP, "ctr plugins ls").output();
            String cri = plugins.lines().filter(l -> l.matches("io\\.containerd\\.cri\\.v1\\s+runtime\\s.*"))
                    .findFirst().orElse("");
            assertTrue(cri.strip().endsWith("ok"), node.name + ": CRI plugin not ok:\n" + plugins);
            String status = node.shOk(STEP, Sandbox.CRI + " status").output();
            assertTrue(status.contains("RuntimeReady") && status.contains("NetworkReady")
                    && !status.contains("\"status\": false") && !status.contains("reason"), node.name + ": " + status);
            // what the running CRI plugin uses: the generated runtime settings and the generated CNI network
            String config = node.shOk(STEP, Sandbox.CRI + " status-info config").output();
            for (String expected : List.of("\"BinaryName\":\"/usr/local/sbin/runc\"", "\"SystemdCgroup\":true",
                    "\"binDirs\":[\"/opt/cni/bin\"]", "\"confDir\":\"/etc/cni/net.d\"")) {
                assertTrue(config.replace(" ", "").contains(expected), node.name + ": no " + expected + " in " + config);
            }
            String cni = node.shOk(STEP, Sandbox.CRI + " status-info cniconfig").output();
            assertTrue(cni.contains("\"Name\": \"hardway\"") || cni.contains("\"Name\":\"hardway\""),
                    node.name + ": " + cni);
            assertTrue(cni.contains("\\\"subnet\\\": \\\"" + podCidrs().get(node.name) + "\\\""),
                    node.name + ": the loaded CNI network is not this controller's subnet " + podCidrs().get(node.name)
                            + ": " + cni);
        }
        timings.add("containerd checked: " + millis(t) + " ms");
    }

    @Test
    @Order(5)
    void pods_sandboxOnEveryController_addressInItsPodCidr_reachEachOtherAcrossThePodRoutes_withTheirOwnAddresses() {
        long t = System.nanoTime();
        Map<String, Sandbox> pods = new ConcurrentHashMap<>();
        try {
            RealHostCluster.parallel(nodes.values(), n -> pods.put(n.name, Sandbox.run(n, "pod-" + n.name)));
            timings.add("3 sandboxes through CRI: " + millis(t) + " ms");
            for (BootedNode node : nodes.values()) {
                Sandbox pod = pods.get(node.name);
                assertTrue(RealHostClusterTest.inCidr(pod.ip(), podCidrs().get(node.name)),
                        node.name + ": " + pod.ip() + " not in " + podCidrs().get(node.name));
                // the bridge the generated CNI configuration names, holding the subnet's gateway
                String bridge = node.shOk(STEP, "ip -4 -o addr show dev cni0").output();
                assertTrue(bridge.contains(" " + gateway(podCidrs().get(node.name)) + "/"), node.name + ": " + bridge);
                // the generated pod routes: every other controller's subnet via that controller, none for its own
                String routes = node.shOk(STEP, "ip -4 route show proto " + PodRoutes.ROUTE_PROTOCOL).output();
                for (BootedNode other : nodes.values()) {
                    String route = podCidrs().get(other.name) + " via " + other.address + " dev eth0";
                    assertEquals(other != node, routes.lines().anyMatch(l -> l.startsWith(route)),
                            node.name + ": route " + route + " in\n" + routes);
                }
            }
            long pings = System.nanoTime();
            for (BootedNode from : nodes.values()) {
                for (BootedNode to : nodes.values()) {
                    if (from == to) {
                        continue;
                    }
                    String target = pods.get(to.name).ip();
                    String path = from.shOk(STEP, "ip -4 route get " + target).output();
                    assertTrue(path.contains(" via " + to.address + " dev eth0"), from.name + " -> " + target + ": "
                            + path);
                    ProcessRun ping = pods.get(from.name).inNetns(Duration.ofSeconds(30),
                            "busybox ping -c 3 -i 0.2 -W 2 " + target);
                    assertTrue(ping.succeeded(), () -> "pod on " + from.name + " -> pod on " + to.name + ": "
                            + ping.describe());
                }
            }
            timings.add("6 pod-to-pod pings across controllers: " + millis(pings) + " ms");
            assertPeerSeesOwnAddress(pods.get("stacked-0"), pods.get("stacked-2"));
        } finally {
            pods.values().forEach(Sandbox::close);
        }
        timings.add("pods checked: " + millis(t) + " ms");
    }

    /** The server pod's view of a TCP connection from the client pod: the client's own address, no NAT. */
    private static void assertPeerSeesOwnAddress(Sandbox client, Sandbox server) {
        server.node().shOk(Duration.ofSeconds(10), "setsid nsenter --net=" + server.netns() + " busybox timeout 30"
                + " busybox nc -l -p 7777 -e busybox netstat -tn </dev/null >/dev/null 2>&1 &");
        String view = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            ProcessRun seen = client.inNetns(Duration.ofSeconds(15), "busybox nc -w 5 " + server.ip() + " 7777");
            view = seen.output().lines().filter(l -> l.contains(server.ip() + ":7777")).findFirst().orElse("");
            if (!view.isEmpty()) {
                break;
            }
            BootedNode.sleep(250);
        }
        assertFalse(view.isEmpty(), "no answer from the server pod " + server.ip());
        // an IPv6 socket shows an IPv4 peer as ::ffff:a.b.c.d
        String peer = view.trim().split("\\s+")[4].replaceFirst("^::ffff:", "");
        assertTrue(peer.startsWith(client.ip() + ":"), "the pod " + server.ip() + " on " + server.node().name
                + " sees the connection from " + client.ip() + " as from " + peer + ": pod-to-pod traffic is NATed");
    }

    @Test
    @Order(6)
    void install_secondRun_zeroChanged_andNoServiceRestarted() {
        long t = System.nanoTime();
        Map<String, Map<String, String>> before = new LinkedHashMap<>();
        nodes.values().forEach(n -> before.put(n.name, invocations(n)));
        Map<String, ProcessRun> second = new ConcurrentHashMap<>();
        RealHostCluster.parallel(nodes.values(), n -> second.put(n.name, install(n)));
        List<String> problems = new ArrayList<>();
        for (BootedNode node : nodes.values()) {
            ProcessRun run = second.get(node.name);
            if (!run.succeeded() || !lastLine(run).matches("0 changed, \\d+ unchanged")) {
                problems.add(node.name + ": " + run.describe());
            }
            List<String> actions = run.output().lines()
                    .filter(l -> l.startsWith("restart ") || l.startsWith("start ") || l.startsWith("write ")).toList();
            if (!actions.isEmpty()) {
                problems.add(node.name + ": the second install did " + actions);
            }
            Map<String, String> after = invocations(node);
            if (!after.equals(before.get(node.name)) || after.containsValue("")) {
                problems.add(node.name + ": InvocationIDs before " + before.get(node.name) + ", after " + after);
            }
        }
        assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
        timings.add("second install of 3 controllers, at once: " + millis(t) + " ms ("
                + second.entrySet().stream().map(e -> e.getKey() + ": " + lastLine(e.getValue())).sorted().toList()
                + ")");
    }

    /**
     * A worker joins the spec and leaves it again, the same PKI directory throughout, each time installed on the
     * three booted controllers: its pod route appears on every one of them and then is gone from every one, while
     * the controllers' own routes stay and nothing but the route unit restarts. (The worker's own host is never
     * booted: a route via its address needs only the address on the nodes' link.)
     */
    @Test
    @Order(7)
    void workerAddedThenRemoved_itsRouteAppearsOnEveryNode_thenIsGoneFromEveryNode() throws IOException {
        long t = System.nanoTime();
        Path spec = work.resolve("cluster-with-worker.yaml");
        String original = Files.readString(Path.of(specUri));
        // without workers the controllers default to schedulable (Talos' rule); pinning it keeps their kubelet
        // configuration what it was, so the worker's arrival and departure change the route table alone
        String withWorker = original.replace("controlPlane:\n  enableWorker: true\n",
                "controlPlane:\n  enableWorker: true\n  allowSchedulingOnControlPlanes: true\n");
        assertFalse(withWorker.equals(original), "the spec's controlPlane block moved");
        Files.writeString(spec, withWorker + "workers:\n  - name: stacked-w\n    internalIp: 10.243.0.20\n");
        GenerationResult grown = regenerateAndInstall(spec);
        String workerCidr = grown.rendered().cluster().workers().get(0).podCidr();
        for (BootedNode node : nodes.values()) {
            assertTrue(routes(node).lines().anyMatch(l -> l.startsWith(workerCidr + " via 10.243.0.20 ")),
                    node.name + ": no route to the new worker's " + workerCidr + " in\n" + routes(node));
        }

        Map<String, Map<String, String>> before = new LinkedHashMap<>();
        nodes.values().forEach(n -> before.put(n.name, invocations(n)));
        GenerationResult shrunk = regenerateAndInstall(Path.of(specUri));
        assertEquals(podCidrs(), shrunk.rendered().cluster().controllers().stream().collect(
                java.util.stream.Collectors.toMap(ResolvedCluster.Node::name, c -> c.kubelet().podCidr(),
                        (a, b) -> a, LinkedHashMap::new)), "the controllers keep their subnets");
        for (BootedNode node : nodes.values()) {
            String routes = routes(node);
            assertFalse(routes.contains(workerCidr), node.name + ": the removed worker's route stayed:\n" + routes);
            for (BootedNode other : nodes.values()) {
                String route = podCidrs().get(other.name) + " via " + other.address + " dev eth0";
                assertEquals(other != node, routes.lines().anyMatch(l -> l.startsWith(route)),
                        node.name + ": route " + route + " in\n" + routes);
            }
            Map<String, String> after = invocations(node);
            Map<String, String> changed = new java.util.TreeMap<>();
            after.forEach((unit, id) -> {
                if (!id.equals(before.get(node.name).get(unit))) {
                    changed.put(unit, id);
                }
            });
            assertEquals(java.util.Set.of(PodRoutes.SERVICE), changed.keySet(),
                    node.name + ": only the route unit restarts when a worker leaves:\n"
                            + lastInstall.get(node.name).describe());
        }
        timings.add("worker added then removed, routes checked on 3 nodes: " + millis(t) + " ms");
    }

    /** Generates {@code spec} with the test's PKI directory and installs the new bundles on every node. */
    private static GenerationResult regenerateAndInstall(Path spec) {
        GenerationResult result = Hardway.generate(TestClusters.request(spec, work.resolve("pki"))
                .clock(Clock.systemUTC()).outputDirectory(work.resolve("out")).build());
        for (BootedNode node : nodes.values()) {
            // the node sees its bundle through a bind mount of this directory: replace what is in it, not it
            Path dir = work.resolve("bundles").resolve(node.name);
            ProcessRun.ok(Duration.ofSeconds(30), argv("find", dir, "-mindepth", "1", "-delete"));
            ProcessRun.ok(Duration.ofSeconds(30), argv("tar", "-xzf", work.resolve("out").resolve(node.name
                    + ".tar.gz"), "-C", work.resolve("bundles")));
        }
        Map<String, ProcessRun> runs = lastInstall;
        runs.clear();
        RealHostCluster.parallel(nodes.values(), n -> runs.put(n.name, install(n)));
        runs.forEach((name, run) -> assertTrue(run.succeeded(), name + ": " + run.describe()));
        return result;
    }

    private static String routes(BootedNode node) {
        return node.shOk(STEP, "ip -4 route show proto " + PodRoutes.ROUTE_PROTOCOL).output();
    }

    // --- helpers

    private static ProcessRun install(BootedNode node) {
        return node.sh(RealHostCluster.INSTALL_LIMIT, "cd /root/bundle && ./install.sh");
    }

    private static Map<String, String> podCidrs() {
        Map<String, String> out = new LinkedHashMap<>();
        resolved.controllers().forEach(c -> out.put(c.name(), c.kubelet().podCidr()));
        return out;
    }

    /** The bridge plugin's gateway: the subnet's first address. */
    private static String gateway(String cidr) {
        String[] octets = cidr.split("/")[0].split("\\.");
        return octets[0] + "." + octets[1] + "." + octets[2] + "." + (Integer.parseInt(octets[3]) + 1);
    }

    private static String ownEndpoint(BootedNode node) {
        return "https://" + node.address + ":2379";
    }

    /**
     * etcdctl on {@code node} with the client certificate its kube-apiserver uses for etcd, read from the installed
     * kube-apiserver unit, against {@code endpoints}.
     */
    private static String etcdctl(BootedNode node, String endpoints) {
        String unit = node.shOk(STEP, "cat /etc/systemd/system/kube-apiserver.service").output();
        Map<String, String> flags = new LinkedHashMap<>();
        Matcher m = Pattern.compile("--(etcd-cafile|etcd-certfile|etcd-keyfile)=(\\S+)").matcher(unit);
        while (m.find()) {
            flags.put(m.group(1), m.group(2));
        }
        assertEquals(3, flags.size(), unit);
        return "ETCDCTL_API=3 etcdctl --dial-timeout=2s --command-timeout=5s --endpoints=" + endpoints
                + " --cacert=" + flags.get("etcd-cafile") + " --cert=" + flags.get("etcd-certfile")
                + " --key=" + flags.get("etcd-keyfile");
    }

    /**
     * Polls until the member {@code node}'s kube-apiserver is given (its own: a stacked kube-apiserver talks to the
     * etcd beside it) and, through it, every member of the cluster answers endpoint health.
     */
    private static void awaitHealthy(BootedNode node) {
        String unit = node.shOk(STEP, "cat /etc/systemd/system/kube-apiserver.service").output();
        Matcher m = Pattern.compile("--etcd-servers=(\\S+)").matcher(unit);
        assertTrue(m.find(), unit);
        assertEquals(ownEndpoint(node), m.group(1), node.name + ": --etcd-servers");
        long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
        ProcessRun health = null;
        while (System.nanoTime() < deadline) {
            health = node.sh(STEP, etcdctl(node, m.group(1)) + " endpoint health --cluster");
            if (health.succeeded() && health.output().lines().filter(l -> l.contains(" is healthy")).count() == 3) {
                return;
            }
            BootedNode.sleep(1000);
        }
        throw new AssertionError(node.name + ": etcd not healthy within " + SETTLE_LIMIT.toSeconds() + " s: "
                + (health == null ? "" : health.describe()) + "\n" + journal(node, "etcd"));
    }

    private static String awaitActive(BootedNode node, String service) {
        long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
        String active = "";
        while (System.nanoTime() < deadline) {
            active = node.exec(STEP, "systemctl", "is-active", service).output().strip();
            if (active.equals("active") || active.equals("failed")) {
                return active;
            }
            BootedNode.sleep(500);
        }
        return active;
    }

    /** systemd's InvocationID of each of the node's services: it changes whenever a service is (re)started. */
    private static Map<String, String> invocations(BootedNode node) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (String service : bundles.get(node.name).services()) {
            ids.put(service, node.exec(STEP, "systemctl", "show", "-p", "InvocationID", "--value", service).output()
                    .strip());
        }
        return ids;
    }

    private static String journal(BootedNode node, String unit) {
        return node.sh(STEP, "journalctl -u " + unit + " --no-pager -n 40").output();
    }

    private static String lastLine(ProcessRun run) {
        return run.output().strip().lines().reduce((a, b) -> b).orElse("");
    }

    private static long millis(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
    }
}
