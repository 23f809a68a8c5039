package dev.hardway.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hardway.api.Hardway;
import dev.hardway.api.RenderedCluster;
import dev.hardway.testing.Poll;
import dev.hardway.testing.ProcessRun;
import dev.hardway.testing.TestClusters;
import dev.hardway.testing.ToolLookup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static dev.hardway.testing.ProcessRun.argv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A controller's {@code internalIp} changed in cluster.yaml, with real etcd 3.5 (Debian 13): the generated
 * membership script, run as {@code hardway-etcd-members.service} runs it on another controller, must move the
 * member (etcd's runtime reconfiguration: {@code member update} of its peer URL), not remove it as departed,
 * which kills the moved controller's etcd ("the data-dir used by this member must be removed").
 *
 * <p>Three members run on loopback addresses only (127.0.0.10-12, and 127.0.0.111 for the moved one): no network
 * namespace, nothing outside this machine's loopback. What the generator wrote is used as written, except:
 * <ul>
 *   <li>addresses: {@code https://10.240.0.N} becomes {@code https://127.0.0.N} in the members file and in
 *       etcd.service's flags, and each member's metrics listener (loopback port 2381 on every controller) gets its
 *       own address;</li>
 *   <li>paths: every absolute path of the script and the unit points into the member's scratch root, etcdctl is
 *       the test tools' (the test checks that no other line of the script differs);</li>
 *   <li>TLS: the generated certificates name 10.240.0.N, so each member gets one from a test etcd CA, made with
 *       openssl, naming its loopback address as the generated one names its internalIp (and 127.0.0.1, which
 *       the generated one names too: on loopback every peer connects from there).</li>
 * </ul>
 */
class EtcdMemberMovedTest {
    private static final Duration CALL = Duration.ofSeconds(30);
    private static final Duration SCRIPT = Duration.ofSeconds(120);
    private static final Duration HEALTH_LIMIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MEMBERS_FILE = "/etc/hardway/etcd-members";
    private static final String SCRIPT_PATH = "/usr/local/lib/hardway/etcd-membership.sh";
    private static final String ETCD_PKI = "/etc/kubernetes/pki/etcd/";
    private static final List<String> CONTROLLERS = List.of("controller-0", "controller-1", "controller-2");

    private final Map<String, Process> running = new LinkedHashMap<>();
    private final List<Path> logs = new ArrayList<>();

    @AfterEach
    void stopEtcd() {
        running.keySet().stream().toList().forEach(this::stop);
    }

    @Test
    void reconcile_controllerInternalIpChanged_updatesItsPeerUrl_memberKeptAndClusterHealthy(@TempDir Path work)
            throws IOException {
        Path etcd = ToolLookup.debian13("etcd");
        Path etcdctl = ToolLookup.debian13("etcdctl");
        Path openssl = ToolLookup.tool("openssl");
        RenderedCluster before = render(work, "before", "10.240.0.11");
        RenderedCluster after = render(work, "after", "10.240.0.111");
        assertEquals("3.5", before.cluster().release().etcdVersion().substring(0, 3), "this machine's etcd is 3.5");

        Path ca = certificateAuthority(openssl, work.resolve("ca"));
        Map<String, Path> roots = new TreeMap<>();
        for (String controller : CONTROLLERS) {
            Path root = Files.createDirectories(work.resolve("roots").resolve(controller));
            roots.put(controller, root);
            install(before, controller, root, etcdctl);
            issue(openssl, ca, controller, address(before, controller), root);
        }
        // each member's bootstrap, as etcd.service's ExecStartPre: nobody answers yet, so every one starts "new"
        for (String controller : CONTROLLERS) {
            ProcessRun bootstrap = script(roots.get(controller), "bootstrap", controller,
                    roots.get(controller).resolve("run/etcd/bootstrap.env"));
            assertTrue(bootstrap.succeeded(), bootstrap::describe);
        }
        for (String controller : CONTROLLERS) {
            start(etcd, before, controller, roots.get(controller));
        }
        Path client = roots.get("controller-0");
        awaitHealthy(etcdctl, client, clientUrls(before));
        Map<String, JsonNode> membersBefore = members(etcdctl, client, clientUrls(before));
        assertEquals(CONTROLLERS, List.copyOf(membersBefore.keySet()), membersBefore::toString);
        ProcessRun put = ctl(etcdctl, client, clientUrls(before), "put", "/hardway/before-the-move", "kept");
        assertTrue(put.succeeded(), put::describe);

        // controller-1 moves: its new bundle restarts its etcd on the new address, with its data directory; every
        // controller gets the new members file
        stop("controller-1");
        for (String controller : CONTROLLERS) {
            install(after, controller, roots.get(controller), etcdctl);
        }
        issue(openssl, ca, "controller-1", address(after, "controller-1"), roots.get("controller-1"));
        start(etcd, after, "controller-1", roots.get("controller-1"));

        // a controller that takes controller-1's old address in the same change, installed first: until the move,
        // that peer URL is still controller-1's, and the advice must not be to remove that healthy member
        Path newcomer = Files.createDirectories(work.resolve("roots").resolve("controller-3"));
        install(after, "controller-0", newcomer, etcdctl);
        Files.writeString(Path.of(under(newcomer, MEMBERS_FILE)),
                "controller-3 https://127.0.0.11:2380 https://127.0.0.11:2379\n", StandardOpenOption.APPEND);
        issue(openssl, ca, "controller-3", "127.0.0.11", newcomer);
        ProcessRun early = script(newcomer, "bootstrap", "controller-3", newcomer.resolve("run/etcd/bootstrap.env"));
        assertFalse(early.succeeded(), early::describe);
        assertTrue(early.output().contains("https://127.0.0.11:2380 still belongs to controller-1, which "
                + under(newcomer, MEMBERS_FILE) + " lists at https://127.0.0.111:2380"), early::describe);
        assertFalse(early.output().contains("member remove"), early::describe);
        assertEquals(CONTROLLERS, List.copyOf(members(etcdctl, client, clientUrls(before).replace("127.0.0.11:",
                "127.0.0.111:")).keySet()), "the early start changed no membership");

        ProcessRun reconcile = script(roots.get("controller-0"), "reconcile", "controller-0");
        String logged = reconcile.describe() + "\n--- controller-1's etcd\n" + tail(logs.get(logs.size() - 1));
        assertTrue(reconcile.succeeded(), logged);
        assertTrue(reconcile.output().contains("moving controller-1"), logged);
        assertFalse(reconcile.output().contains("removing controller-"), logged);

        Map<String, JsonNode> membersAfter = members(etcdctl, client, clientUrls(after));
        assertEquals(CONTROLLERS, List.copyOf(membersAfter.keySet()), "no member removed\n" + logged);
        JsonNode moved = membersAfter.get("controller-1");
        assertEquals(membersBefore.get("controller-1").path("ID").asText(), moved.path("ID").asText(),
                "controller-1 is the same member, its ID kept\n" + logged);
        assertEquals("[\"https://127.0.0.111:2380\"]", moved.path("peerURLs").toString(), logged);
        awaitHealthy(etcdctl, client, clientUrls(after));
        assertTrue(running.get("controller-1").isAlive(), "controller-1's etcd runs\n" + logged);
        ProcessRun get = ctl(etcdctl, client, "https://127.0.0.111:2379", "get", "/hardway/before-the-move",
                "--print-value-only");
        assertTrue(get.succeeded(), get::describe);
        assertEquals("kept", get.output().strip(), "the moved member serves the data it had");

        // the other controllers' runs of the same unit, and the moved one's own: nothing left to do
        for (String controller : List.of("controller-2", "controller-1")) {
            ProcessRun again = script(roots.get(controller), "reconcile", controller);
            assertTrue(again.succeeded(), again::describe);
            assertTrue(again.output().contains("members match"), again::describe);
            assertFalse(again.output().contains("moving controller-") || again.output().contains("removing controller-"),
                    again::describe);
        }
        assertEquals(membersAfter.keySet(), members(etcdctl, client, clientUrls(after)).keySet());
    }

    /** A cluster of three controllers, controller-1 at {@code controller1Ip}, at an etcd 3.5 Kubernetes minor. */
    private static RenderedCluster render(Path work, String name, String controller1Ip) throws IOException {
        String yaml = TestClusters.yamlUpToControllers("moved", "1.33.5") + """
                  - name: controller-0
                    internalIp: 10.240.0.10
                  - name: controller-1
                    internalIp: %s
                  - name: controller-2
                    internalIp: 10.240.0.12
                workers:
                  - name: worker-0
                    internalIp: 10.240.0.20
                    podCidr: 10.200.0.0/24
                pki:
                  keyAlgorithm: ECDSA
                """.formatted(controller1Ip);
        Path spec = Files.writeString(Files.createDirectories(work.resolve(name)).resolve("cluster.yaml"), yaml);
        return Hardway.render(TestClusters.request(spec, work.resolve(name).resolve("pki")).build());
    }

    private static String address(RenderedCluster cluster, String controller) {
        return loopback(cluster.cluster().controllers().stream().filter(c -> c.name().equals(controller))
                .findFirst().orElseThrow().internalIp());
    }

    /** The generator's 10.240.0.N as 127.0.0.N: the only addresses this test listens on. */
    private static String loopback(String text) {
        return text.replace("10.240.0.", "127.0.0.");
    }

    /** The members file and the membership script of {@code controller}, in its root, adjusted as the class says. */
    private static void install(RenderedCluster cluster, String controller, Path root, Path etcdctl)
            throws IOException {
        String members = loopback(cluster.bundle(controller).file(MEMBERS_FILE).text());
        assertFalse(members.contains("10.240.0."), members);
        write(root, MEMBERS_FILE, members);
        String generated = cluster.bundle(controller).file(SCRIPT_PATH).text();
        String adjusted = generated
                .replace("members=" + MEMBERS_FILE + "\n", "members=" + under(root, MEMBERS_FILE) + "\n")
                .replace("data_dir=/var/lib/etcd\n", "data_dir=" + under(root, "/var/lib/etcd") + "\n")
                .replace("etcdctl=/usr/local/bin/etcdctl\n", "etcdctl=" + etcdctl + "\n")
                .replace("=" + ETCD_PKI, "=" + under(root, ETCD_PKI) + "/");
        List<String> was = generated.lines().toList();
        List<String> is = adjusted.lines().toList();
        assertEquals(was.size(), is.size());
        int changed = 0;
        for (int i = 0; i < was.size(); i++) {
            changed += was.get(i).equals(is.get(i)) ? 0 : 1;
        }
        assertEquals(5, changed, "only the members file, data directory, etcdctl and TLS paths are adjusted:\n"
                + adjusted);
        Path script = write(root, SCRIPT_PATH, adjusted);
        assertTrue(script.toFile().setExecutable(true));
        Files.createDirectories(root.resolve("run/etcd"));
    }

    private static Path write(Path root, String absolute, String text) throws IOException {
        Path file = Path.of(under(root, absolute));
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private static String under(Path root, String absolute) {
        return SystemdUnit.under(root, absolute);
    }

    private static ProcessRun script(Path root, Object... args) {
        return ProcessRun.run(SCRIPT, argv("sh", under(root, SCRIPT_PATH), argv(args)));
    }

    /** Starts the member with its generated etcd.service flags and the environment its bootstrap wrote. */
    private void start(Path etcd, RenderedCluster cluster, String controller, Path root) throws IOException {
        Path unitFile = root.resolve("etcd.service");
        Files.writeString(unitFile, cluster.bundle(controller).file("/etc/systemd/system/etcd.service").text());
        String address = address(cluster, controller);
        List<String> command = new ArrayList<>(List.of(etcd.toString()));
        for (String arg : SystemdUnit.read(unitFile).argumentsUnder(root)) {
            command.add(arg.startsWith("--listen-metrics-urls=http://127.0.0.1:")
                    ? arg.replace("127.0.0.1:", address + ":") : loopback(arg));
        }
        command.forEach(a -> assertFalse(a.contains("10.240.0."), a));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Path env = root.resolve("run/etcd/bootstrap.env");
        for (String line : Files.readAllLines(env)) {
            if (!line.startsWith("#") && line.contains("=")) {
                pb.environment().put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        Path log = root.resolve("etcd-" + logs.size() + ".log");
        logs.add(log);
        pb.redirectOutput(log.toFile());
        running.put(controller, pb.start());
    }

    private void stop(String controller) {
        Process process = running.remove(controller);
        if (process == null) {
            return;
        }
        try {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static Path certificateAuthority(Path openssl, Path dir) throws IOException {
        Files.createDirectories(dir);
        ProcessRun.ok(CALL, argv(openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", dir.resolve("ca.key"), "-out", dir.resolve("ca.crt"), "-days", "1",
                "-subj", "/CN=test-etcd-ca"));
        return dir;
    }

    /** The member's server and peer certificate (one, as both have server and client usage) and the CA's. */
    private static void issue(Path openssl, Path ca, String controller, String address, Path root) throws IOException {
        Path pki = Files.createDirectories(Path.of(under(root, ETCD_PKI)));
        Path ext = Files.writeString(pki.resolve("ext.cnf"), "subjectAltName=DNS:" + controller
                + ",DNS:localhost,IP:" + address + ",IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n"
                + "keyUsage=critical,digitalSignature,keyEncipherment\n");
        ProcessRun.ok(CALL, argv(openssl, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", pki.resolve("server.key"), "-out", pki.resolve("server.csr"), "-subj", "/CN=" + controller));
        ProcessRun.ok(CALL, argv(openssl, "x509", "-req", "-in", pki.resolve("server.csr"), "-CA",
                ca.resolve("ca.crt"), "-CAkey", ca.resolve("ca.key"), "-CAcreateserial", "-days", "1", "-extfile",
                ext, "-out", pki.resolve("server.crt")));
        Files.copy(ca.resolve("ca.crt"), pki.resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pki.resolve("server.crt"), pki.resolve("peer.crt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pki.resolve("server.key"), pki.resolve("peer.key"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static String clientUrls(RenderedCluster cluster) {
        return String.join(",", CONTROLLERS.stream().map(c -> "https://" + address(cluster, c) + ":2379").toList());
    }

    private static ProcessRun ctl(Path etcdctl, Path root, String endpoints, String... args) {
        return ProcessRun.run(CALL, argv(etcdctl, "--endpoints=" + endpoints,
                "--cacert=" + under(root, ETCD_PKI + "ca.crt"), "--cert=" + under(root, ETCD_PKI + "server.crt"),
                "--key=" + under(root, ETCD_PKI + "server.key"), "--dial-timeout=2s", "--command-timeout=5s",
                List.of(args)));
    }

    /** The cluster's members by name, in name order. */
    private static Map<String, JsonNode> members(Path etcdctl, Path root, String endpoints) throws IOException {
        ProcessRun list = ctl(etcdctl, root, endpoints, "member", "list", "-w", "json");
        assertTrue(list.succeeded(), list::describe);
        Map<String, JsonNode> byName = new TreeMap<>();
        JSON.readTree(list.output()).path("members").forEach(m -> byName.put(m.path("name").asText(), m));
        return byName;
    }

    /** Polls {@code endpoint health} of every endpoint until all answer healthy, within {@link #HEALTH_LIMIT}. */
    private void awaitHealthy(Path etcdctl, Path root, String endpoints) throws IOException {
        ProcessRun[] last = {null};
        if (Poll.until(HEALTH_LIMIT, Duration.ofMillis(500), () -> {
            last[0] = ctl(etcdctl, root, endpoints, "endpoint", "health");
            return last[0].succeeded();
        })) {
            return;
        }
        StringBuilder why = new StringBuilder("not all of " + endpoints + " healthy within "
                + HEALTH_LIMIT.toSeconds() + " s\n" + (last[0] == null ? "" : last[0].describe()));
        for (Path log : logs) {
            why.append("\n--- ").append(log).append('\n').append(tail(log));
        }
        fail(why.toString());
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }
}
