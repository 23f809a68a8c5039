package dev.hardway.realtools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated {@code /etc/cni/net.d} files run through Debian's real CNI plugins (bridge, host-local, loopback),
 * exactly as containerd would call them, inside network namespaces this test creates.
 *
 * <p>Isolation: the bridge plugin runs inside a "host" namespace of its own, so {@code cni0}, the veth pair and
 * the masquerade rules never touch the real host's network; and inside a private mount namespace where a scratch
 * directory is bind-mounted over {@code /var/lib}, so host-local's state ({@code /var/lib/cni/networks}, the
 * generated config sets no {@code dataDir}) lands in the scratch directory. No packet is sent anywhere.
 */
class CniPluginsInNetnsTest {
    private static final String NODE = "worker-0";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path scratch;
    static GeneratedCluster cluster;
    static Path netd;
    static String podCidr;

    private final List<String> namespaces = new ArrayList<>();
    private String hostNs;
    private String podNs;
    private String containerId;
    private Path ipamRoot;

    @BeforeAll
    static void generate() {
        RealTools.requireRoot("creating network namespaces");
        cluster = GeneratedCluster.minimal(scratch);
        netd = cluster.unpack(NODE, scratch.resolve("unpacked")).resolve("files/etc/cni/net.d");
        podCidr = cluster.cluster().workers().stream().filter(w -> w.name().equals(NODE)).findFirst()
                .orElseThrow().podCidr();
        assertEquals("10.200.0.0/24", podCidr, "samples/minimal's worker-0 podCidr");
    }

    @BeforeEach
    void createNamespaces() throws IOException {
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        String suffix = HexFormat.of().formatHex(random);
        hostNs = "hw-host-" + suffix;
        podNs = "hw-pod-" + suffix;
        containerId = "hardway-test-" + suffix;
        for (String ns : List.of(hostNs, podNs)) {
            RealTools.command("ip", "netns", "add", ns).runOk();
            namespaces.add(ns);
        }
        RealTools.command("ip", "-n", hostNs, "link", "set", "lo", "up").runOk();
        ipamRoot = Files.createTempDirectory(scratch, "var-lib-");
    }

    @AfterEach
    void deleteNamespaces() {
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

    /** Runs a CNI plugin as containerd would, from inside the test's "host" namespace. */
    private RealTools.Result cni(String command, String plugin, String ifname, Path config) {
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

    private RealTools.Result addBridge() {
        RealTools.Result add = cni("ADD", "bridge", "eth0", netd.resolve("10-bridge.conf"));
        assertEquals(0, add.exitCode(), "bridge plugin rejected 10-bridge.conf\n" + add.describe());
        return add;
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

    @Test
    void bridgeAdd_withGeneratedConfig_putsPodInWorkerPodCidrBehindGateway() throws IOException {
        JsonNode result = JSON.readTree(addBridge().stdout());

        assertEquals("1.0.0", result.path("cniVersion").asText());
        String address = result.at("/ips/0/address").asText();
        IPAddress pod = new IPAddressString(address).getAddress();
        assertTrue(new IPAddressString(podCidr).getAddress().contains(pod.withoutPrefixLength()),
                address + " is outside worker-0's podCidr " + podCidr);
        assertEquals("10.200.0.1", gatewayOf(podCidr));
        assertEquals(gatewayOf(podCidr), result.at("/ips/0/gateway").asText());

        // what the pod really got, read back from its namespace
        JsonNode eth0 = ipJson(podNs, "-4", "addr", "show", "dev", "eth0").get(0);
        assertEquals(address, eth0.at("/addr_info/0/local").asText() + "/" + eth0.at("/addr_info/0/prefixlen").asInt());
        JsonNode routes = ipJson(podNs, "-4", "route", "show", "default");
        assertEquals(1, routes.size(), "default routes in the pod: " + routes);
        assertEquals(gatewayOf(podCidr), routes.get(0).path("gateway").asText());

        // the gateway address sits on cni0 in the (test's) host namespace
        JsonNode cni0 = ipJson(hostNs, "-4", "addr", "show", "dev", "cni0").get(0);
        assertEquals(gatewayOf(podCidr) + "/24",
                cni0.at("/addr_info/0/local").asText() + "/" + cni0.at("/addr_info/0/prefixlen").asInt());

        // host-local recorded the reservation in the isolated state directory, not on the real host
        Path reservation = ipamRoot.resolve("cni/networks/bridge").resolve(pod.withoutPrefixLength().toString());
        assertTrue(Files.isRegularFile(reservation), "no host-local reservation at " + reservation);
        assertTrue(Files.readString(reservation).contains(containerId), "reservation not for " + containerId);
    }

    @Test
    void loopbackAdd_withGeneratedConfig_bringsPodLoopbackUp() throws IOException {
        assertFalse(flags(podNs, "lo").contains("UP"), "a new namespace's lo starts down");

        RealTools.Result add = cni("ADD", "loopback", "lo", netd.resolve("99-loopback.conf"));

        assertEquals(0, add.exitCode(), "loopback plugin rejected 99-loopback.conf\n" + add.describe());
        assertEquals("1.0.0", JSON.readTree(add.stdout()).path("cniVersion").asText());
        assertTrue(flags(podNs, "lo").contains("UP"), "lo flags: " + flags(podNs, "lo"));
    }

    private static List<String> flags(String ns, String dev) throws IOException {
        List<String> flags = new ArrayList<>();
        ipJson(ns, "link", "show", "dev", dev).get(0).path("flags").forEach(f -> flags.add(f.asText()));
        return flags;
    }

    @Test
    void bridgeDel_afterAdd_removesPodInterfaceAndReleasesAddress() throws IOException {
        String address = JSON.readTree(addBridge().stdout()).at("/ips/0/address").asText();
        Path reservation = ipamRoot.resolve("cni/networks/bridge").resolve(address.replaceFirst("/.*", ""));
        assertTrue(Files.exists(reservation), "ADD reserved " + reservation);

        RealTools.Result del = cni("DEL", "bridge", "eth0", netd.resolve("10-bridge.conf"));

        assertEquals(0, del.exitCode(), "bridge plugin DEL failed\n" + del.describe());
        RealTools.Result eth0 = RealTools.command("ip", "-n", podNs, "link", "show", "dev", "eth0").run();
        assertNotEquals(0, eth0.exitCode(), "eth0 still in the pod namespace\n" + eth0.describe());
        assertFalse(Files.exists(reservation), "host-local did not release " + address);
    }
}
