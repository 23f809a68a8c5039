package dev.hardway.realtools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated {@code /etc/cni/net.d/10-hardway.conflist} run through Debian's real CNI plugins (bridge,
 * host-local, portmap) the way containerd's libcni runs a list: each plugin in turn with the list's name and
 * version, the previous plugin's result as {@code prevResult}, and {@code runtimeConfig.portMappings} for a plugin
 * that declares the {@code portMappings} capability; and the generated {@code hardway-pod-masquerade.service}'s
 * iptables commands, run as systemd would run them.
 *
 * <p>Isolation: everything happens in network namespaces this test creates. A "host" namespace holds cni0, the
 * veth pairs and every iptables rule; a "pod" namespace is the pod; a "peer" namespace, linked to the host by a
 * veth, stands for both another node's pod (an address inside clusterCidr) and a machine outside the cluster (a
 * TEST-NET-2 address). host-local's state goes to a scratch directory bind-mounted over {@code /var/lib} in a
 * private mount namespace. No packet leaves these namespaces.
 */
class CniPluginsInNetnsTest {
    private static final String NODE = "worker-0";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LISTEN = Duration.ofSeconds(20);
    /** The host's side of the link to the peer, and the peer's. */
    private static final String HOST_LINK_IP = "192.0.2.1";
    private static final String PEER_LINK_IP = "192.0.2.2";
    /** A pod on another node: inside clusterCidr 10.200.0.0/16, outside worker-0's 10.200.0.0/24. */
    private static final String REMOTE_POD_IP = "10.200.1.10";
    /** Somewhere outside the cluster. */
    private static final String OUTSIDE_IP = "198.51.100.10";

    @TempDir
    static Path scratch;
    static GeneratedCluster cluster;
    static Path conflist;
    static Path masqueradeUnit;
    static String podCidr;

    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private String hostNs;
    private String podNs;
    private String peerNs;
    private String containerId;
    private Path ipamRoot;

    @BeforeAll
    static void generate() {
        RealTools.requireRoot("creating network namespaces");
        cluster = GeneratedCluster.minimal(scratch);
        Path files = cluster.unpack(NODE, scratch.resolve("unpacked")).resolve("files");
        conflist = files.resolve("etc/cni/net.d/10-hardway.conflist");
        masqueradeUnit = files.resolve("etc/systemd/system/hardway-pod-masquerade.service");
        podCidr = cluster.cluster().workers().stream().filter(w -> w.name().equals(NODE)).findFirst()
                .orElseThrow().podCidr();
        assertEquals("10.200.0.0/24", podCidr, "samples/minimal's worker-0 podCidr");
        assertEquals("10.200.0.0/16", cluster.cluster().clusterCidr());
    }

    @BeforeEach
    void createNamespaces() throws IOException {
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        String suffix = HexFormat.of().formatHex(random);
        hostNs = "hw-host-" + suffix;
        podNs = "hw-pod-" + suffix;
        peerNs = "hw-peer-" + suffix;
        containerId = "hardway-test-" + suffix;
        for (String ns : List.of(hostNs, podNs, peerNs)) {
            RealTools.command("ip", "netns", "add", ns).runOk();
            namespaces.add(ns);
            RealTools.command("ip", "-n", ns, "link", "set", "lo", "up").runOk();
        }
        String veth = "hwp" + suffix;
        RealTools.command("ip", "-n", hostNs, "link", "add", veth, "type", "veth", "peer", "name", "eth0",
                "netns", peerNs).runOk();
        RealTools.command("ip", "-n", hostNs, "addr", "add", HOST_LINK_IP + "/24", "dev", veth).runOk();
        RealTools.command("ip", "-n", hostNs, "link", "set", veth, "up").runOk();
        RealTools.command("ip", "-n", hostNs, "route", "add", REMOTE_POD_IP + "/32", "dev", veth).runOk();
        RealTools.command("ip", "-n", hostNs, "route", "add", OUTSIDE_IP + "/32", "dev", veth).runOk();
        for (String address : List.of(PEER_LINK_IP + "/24", REMOTE_POD_IP + "/32", OUTSIDE_IP + "/32")) {
            RealTools.command("ip", "-n", peerNs, "addr", "add", address, "dev", "eth0").runOk();
        }
        RealTools.command("ip", "-n", peerNs, "link", "set", "eth0", "up").runOk();
        RealTools.command("ip", "-n", peerNs, "route", "add", "default", "via", HOST_LINK_IP).runOk();
        ipamRoot = Files.createTempDirectory(scratch, "var-lib-");
    }

    @AfterEach
    void stopAndDeleteNamespaces() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        processes.clear();
        List<String> failures = new ArrayList<>();
        for (String ns : namespaces) {
            RealTools.Result del = RealTools.command("ip", "netns", "del", ns).run();
            if (del.exitCode() != 0) {
                failures.add(del.describe());
            }
        }
        String left = RealTools.command("ip", "netns", "list").runOk().stdout();
        List<String> created = List.copyOf(namespaces);
        namespaces.clear();
        assertTrue(failures.isEmpty(), "could not delete namespaces: " + failures);
        for (String ns : created) {
            assertFalse(left.lines().anyMatch(l -> l.startsWith(ns + " ") || l.equals(ns)),
                    "namespace left behind: " + left);
        }
    }

    /** Runs one CNI plugin as containerd would, from inside the test's "host" namespace. */
    private RealTools.Result cni(String command, String plugin, String ifname, byte[] config) {
        return RealTools.command(List.of(
                        RealTools.tool("ip").toString(), "netns", "exec", hostNs,
                        RealTools.tool("unshare").toString(), "--mount", "--propagation", "private",
                        "sh", "-c", "mount --bind \"$1\" /var/lib && exec \"$2\"", "sh",
                        ipamRoot.toString(), RealTools.cniPlugin(plugin).toString()))
                .env("CNI_COMMAND", command)
                .env("CNI_CONTAINERID", containerId)
                .env("CNI_NETNS", "/var/run/netns/" + podNs)
                .env("CNI_IFNAME", ifname)
                .env("CNI_PATH", RealTools.CNI_PLUGIN_DIR.toString())
                .stdin(config)
                .run();
    }

    /**
     * ADD through every plugin of the list, as libcni's AddNetworkList does; returns the last plugin's result.
     *
     * @param portMappings runtimeConfig.portMappings for plugins with that capability, or {@code null}
     */
    private JsonNode addList(ArrayNode portMappings) throws IOException {
        JsonNode list = JSON.readTree(conflist.toFile());
        JsonNode previous = null;
        for (JsonNode plugin : list.path("plugins")) {
            ObjectNode config = ((ObjectNode) plugin).deepCopy();
            config.put("cniVersion", list.path("cniVersion").asText());
            config.put("name", list.path("name").asText());
            if (previous != null) {
                config.set("prevResult", previous);
            }
            if (plugin.path("capabilities").path("portMappings").asBoolean() && portMappings != null) {
                config.putObject("runtimeConfig").set("portMappings", portMappings);
            }
            RealTools.Result add = cni("ADD", plugin.path("type").asText(), "eth0",
                    JSON.writeValueAsBytes(config));
            assertEquals(0, add.exitCode(), plugin.path("type").asText() + " rejected its part of "
                    + conflist.getFileName() + "\n" + add.describe());
            previous = JSON.readTree(add.stdout());
        }
        return previous;
    }

    private static JsonNode ipJson(String ns, String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of(RealTools.tool("ip").toString(), "-n", ns, "-j"));
        argv.addAll(List.of(args));
        return JSON.readTree(RealTools.command(argv).runOk().stdout());
    }

    private static String gatewayOf(String cidr) {
        IPAddress network = new IPAddressString(cidr).getAddress();
        return network.getLower().increment(1).withoutPrefixLength().toCanonicalString();
    }

    private static String podAddress(JsonNode result) {
        return result.at("/ips/0/address").asText().replaceFirst("/.*", "");
    }

    /**
     * A one-connection TCP server in {@code ns} that prints the address the connection came from; bounded by
     * {@link #LISTEN}.
     */
    private Process listen(String ns, int port, Path out) throws IOException {
        String server = "import socket\n"
                + "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                + "s.bind(('0.0.0.0', " + port + ")); s.listen(1); s.settimeout(" + LISTEN.toSeconds() + ")\n"
                + "c, a = s.accept(); print(a[0], flush=True); c.sendall(b'ok'); c.close()\n";
        Process p = new ProcessBuilder(RealTools.tool("ip").toString(), "netns", "exec", ns,
                RealTools.tool("python3").toString(), "-c", server)
                .redirectOutput(out.toFile()).redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.appendTo(out.resolveSibling(out.getFileName() + ".err")
                        .toFile()))
                .start();
        processes.add(p);
        return p;
    }

    /** Connects from {@code ns} to {@code host:port} until the listener answers (bounded); returns what it read. */
    private String connect(String ns, String host, int port) throws InterruptedException {
        String client = "import socket, sys\n"
                + "c = socket.create_connection(('" + host + "', " + port + "), timeout=3)\n"
                + "sys.stdout.write(c.recv(2).decode())\n";
        RealTools.Result last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            last = RealTools.command(List.of(RealTools.tool("ip").toString(), "netns", "exec", ns,
                    RealTools.tool("python3").toString(), "-c", client)).timeout(Duration.ofSeconds(10)).run();
            if (last.exitCode() == 0) {
                return last.stdout();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no connection from " + ns + " to " + host + ":" + port + "\n" + last.describe());
    }

    /** The source address {@code listener} saw, once it exited. */
    private static String seenFrom(Process listener, Path out) throws IOException, InterruptedException {
        assertTrue(listener.waitFor(LISTEN.toSeconds() + 5, TimeUnit.SECONDS), "the listener did not finish");
        return Files.readString(out, StandardCharsets.UTF_8).strip();
    }

    /** The generated unit's iptables commands, run in the host namespace in systemd's order. */
    private void startMasqueradeUnit() throws IOException {
        List<String> lines = Files.readAllLines(masqueradeUnit);
        for (String prefix : List.of("ExecStartPre=", "ExecStart=")) {
            for (String line : lines) {
                if (!line.startsWith(prefix)) {
                    continue;
                }
                String command = line.substring(prefix.length());
                boolean mayFail = command.startsWith("-");
                List<String> argv = new ArrayList<>(List.of(RealTools.tool("ip").toString(), "netns", "exec",
                        hostNs));
                argv.addAll(List.of((mayFail ? command.substring(1) : command).split(" ")));
                RealTools.Result run = RealTools.command(argv).run();
                assertTrue(mayFail || run.exitCode() == 0, line + "\n" + run.describe());
            }
        }
    }

    @Test
    void conflistAdd_withGeneratedConfig_putsPodInWorkerPodCidrBehindGatewayWithHairpin() throws IOException {
        JsonNode result = addList(null);

        assertEquals("1.0.0", result.path("cniVersion").asText());
        String address = result.at("/ips/0/address").asText();
        IPAddress pod = new IPAddressString(address).getAddress();
        assertTrue(new IPAddressString(podCidr).getAddress().contains(pod.withoutPrefixLength()),
                address + " is outside worker-0's podCidr " + podCidr);
        assertEquals("10.200.0.1", gatewayOf(podCidr));
        assertEquals(gatewayOf(podCidr), result.at("/ips/0/gateway").asText());

        JsonNode eth0 = ipJson(podNs, "-4", "addr", "show", "dev", "eth0").get(0);
        assertEquals(address, eth0.at("/addr_info/0/local").asText() + "/" + eth0.at("/addr_info/0/prefixlen").asInt());
        JsonNode routes = ipJson(podNs, "-4", "route", "show", "default");
        assertEquals(1, routes.size(), "default routes in the pod: " + routes);
        assertEquals(gatewayOf(podCidr), routes.get(0).path("gateway").asText());

        // hairpin on the pod's bridge port: a pod reaching its own Service VIP gets its packets back
        JsonNode ports = ipJson(hostNs, "-d", "link", "show", "master", "cni0");
        assertEquals(1, ports.size(), "ports of cni0: " + ports);
        assertTrue(ports.get(0).at("/linkinfo/info_slave_data/hairpin").asBoolean(),
                "hairpin mode is off on " + ports.get(0).path("ifname").asText() + ": " + ports.get(0));

        Path reservation = ipamRoot.resolve("cni/networks/hardway").resolve(pod.withoutPrefixLength().toString());
        assertTrue(Files.isRegularFile(reservation), "no host-local reservation at " + reservation);
        assertTrue(Files.readString(reservation).contains(containerId), "reservation not for " + containerId);
    }

    @Test
    void portmap_hostPortFromConflist_reachesThePodFromOutsideTheNode() throws IOException, InterruptedException {
        ArrayNode mappings = JSON.createArrayNode();
        mappings.addObject().put("hostPort", 18080).put("containerPort", 8080).put("protocol", "tcp");
        String pod = podAddress(addList(mappings));
        Path out = scratch.resolve("hostport-" + containerId + ".txt");
        Process listener = listen(podNs, 8080, out);

        // the peer dials the node's address, port 18080; portmap's DNAT delivers it to the pod's 8080
        assertEquals("ok", connect(peerNs, HOST_LINK_IP, 18080));

        assertEquals(PEER_LINK_IP, seenFrom(listener, out), "the pod saw the client's own address");
        String nat = RealTools.command("ip", "netns", "exec", hostNs, "iptables-save", "-t", "nat").runOk().stdout();
        assertTrue(nat.contains("--to-destination " + pod + ":8080"), "no DNAT to the pod:\n" + nat);
    }

    @Test
    void masqueradeUnit_podToRemotePod_keepsThePodAddress() throws IOException, InterruptedException {
        String pod = podAddress(addList(null));
        startMasqueradeUnit();
        Path out = scratch.resolve("remote-pod-" + containerId + ".txt");
        Process listener = listen(peerNs, 9000, out);

        assertEquals("ok", connect(podNs, REMOTE_POD_IP, 9000));

        assertEquals(pod, seenFrom(listener, out), "pod-to-pod traffic inside clusterCidr must not be NATed");
    }

    @Test
    void masqueradeUnit_podToOutsideClusterCidr_isMasqueradedAndRestartAddsNoSecondRule()
            throws IOException, InterruptedException {
        String pod = podAddress(addList(null));
        startMasqueradeUnit();
        startMasqueradeUnit(); // a restart: ExecStartPre removes the earlier rules first
        Path out = scratch.resolve("outside-" + containerId + ".txt");
        Process listener = listen(peerNs, 9001, out);

        assertEquals("ok", connect(podNs, OUTSIDE_IP, 9001));

        String seen = seenFrom(listener, out);
        assertNotEquals(pod, seen, "traffic leaving clusterCidr keeps the pod address");
        assertEquals(HOST_LINK_IP, seen, "masqueraded to the node's address on the outgoing link");
        String nat = RealTools.command("ip", "netns", "exec", hostNs, "iptables-save", "-t", "nat").runOk().stdout();
        assertEquals(1, nat.lines().filter(l -> l.startsWith("-A POSTROUTING") && l.contains("HARDWAY-POD-EGRESS"))
                .count(), "POSTROUTING jumps to the chain once:\n" + nat);
    }

    @Test
    void conflistDel_afterAdd_removesPodInterfaceAndReleasesAddress() throws IOException {
        JsonNode result = addList(null);
        String address = podAddress(result);
        Path reservation = ipamRoot.resolve("cni/networks/hardway").resolve(address);
        assertTrue(Files.exists(reservation), "ADD reserved " + reservation);

        // DEL runs the list in reverse, each plugin with the cached ADD result
        JsonNode list = JSON.readTree(conflist.toFile());
        List<JsonNode> plugins = new ArrayList<>();
        list.path("plugins").forEach(plugins::add);
        java.util.Collections.reverse(plugins);
        for (JsonNode plugin : plugins) {
            ObjectNode config = ((ObjectNode) plugin).deepCopy();
            config.put("cniVersion", list.path("cniVersion").asText());
            config.put("name", list.path("name").asText());
            config.set("prevResult", result);
            RealTools.Result del = cni("DEL", plugin.path("type").asText(), "eth0", JSON.writeValueAsBytes(config));
            assertEquals(0, del.exitCode(), plugin.path("type").asText() + " DEL failed\n" + del.describe());
        }

        RealTools.Result eth0 = RealTools.command("ip", "-n", podNs, "link", "show", "dev", "eth0").run();
        assertNotEquals(0, eth0.exitCode(), "eth0 still in the pod namespace\n" + eth0.describe());
        assertFalse(Files.exists(reservation), "host-local did not release " + address);
    }
}
